// Events page: a filtered, paged table of coded events; a row opens its source sentence, highlighted.
import { api, eventsTable, fill, guarded, h, health, loadCountries, message } from "./common.js";

// PLOVER event types (with the CAMEO-derived DISAPPROVE, DEMAND, FIGHT and INVESTIGATE the coder also emits)
const TYPES = ["ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE",
  "FIGHT", "INVESTIGATE", "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN"];
const MODALITIES = ["asserted", "reported", "future", "hypothetical", "conditional", "negated"];
const PAGE = 50;

const form = document.getElementById("filters");
let offset = 0;

function filters() {
  const values = Object.fromEntries(new FormData(form).entries());
  if (values.actor) values.actor = values.actor.trim().toUpperCase();
  if (values.country) values.country = values.country.trim().toUpperCase();
  return values;
}

async function load() {
  fill("events", h("p", { class: "loading" }, "Loading…"));
  const chosen = filters();
  const found = await api("/events", { ...chosen, limit: PAGE, offset });
  fill("count", found.count ? `Events ${offset + 1}–${offset + found.count}` : "Events");
  fill("events", found.items.length
    ? eventsTable(found.items)
    : message("No event matches these filters."));
  document.getElementById("previous").disabled = offset === 0;
  document.getElementById("next").disabled = found.count < PAGE;
  fill("page", `page ${Math.floor(offset / PAGE) + 1}`);
  const query = new URLSearchParams(Object.entries(chosen).filter(([, v]) => v));
  history.replaceState(null, "", `/events${query.toString() ? "?" + query : ""}`);
}

for (const type of TYPES) form.elements.type.append(h("option", { value: type }, type));
for (const modality of MODALITIES) form.elements.modality.append(h("option", { value: modality }, modality));
for (const [name, value] of new URLSearchParams(window.location.search)) {
  if (form.elements[name]) form.elements[name].value = value;
}
form.addEventListener("submit", (e) => { e.preventDefault(); offset = 0; guarded("events", load); });
form.addEventListener("reset", () => setTimeout(() => { offset = 0; guarded("events", load); }));
document.getElementById("previous").addEventListener("click", () => { offset = Math.max(0, offset - PAGE); guarded("events", load); });
document.getElementById("next").addEventListener("click", () => { offset += PAGE; guarded("events", load); });

health();
await loadCountries();
await guarded("events", load);
document.body.dataset.ready = "true";
