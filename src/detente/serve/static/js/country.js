// Country page: the country's risk index, its most conflictual events and the assets exposed to it.
import {
  COUNTRIES, api, chart, eventsTable, fill, guarded, h, health, humanise, indexOption, loadCountries, message,
  param, table,
} from "./common.js";

const arrow = (sign) => (sign > 0 ? "↑ up" : sign < 0 ? "↓ down" : "–");

async function drawIndex(code) {
  const freq = document.getElementById("index-freq").value;
  let series;
  try {
    series = await api("/index", { scope: code, method: "combined", freq });
  } catch (error) {
    if (error.status !== 422) throw error;
    series = { points: [], why: error.message };
  }
  document.getElementById("index-chart").style.display = series.points.length ? "" : "none";
  if (!series.points.length) {
    fill("index-status", message(`No index for ${code}: ${series.why || "no article or event of it is indexed"}.`));
    return;
  }
  fill("index-status");
  const instance = window.detenteCharts?.index || chart(document.getElementById("index-chart"), "index");
  instance.setOption(indexOption(series.points, freq), true);
}

async function drawCountry(code) {
  const found = await api(`/countries/${code}`);
  fill("title", found.name ? `${found.name} (${code})` : code);
  document.title = `${found.name || code} · Détente`;
  fill("events", found.top_events.length
    ? eventsTable(found.top_events)
    : message(`No event names ${code}.`));
  fill("theme-note", `theme ${humanise(found.theme)} of the exposure map: expected move on escalation / de-escalation`);
  fill("exposures", table(found.exposures, [
    ["asset", (e) => h("b", {}, e.asset)], ["label", (e) => e.label], ["channel", (e) => e.channel],
    ["escalation", (e) => arrow(e.escalation)], ["de-escalation", (e) => arrow(e.de_escalation)],
    ["prices", (e) => (e.loaded ? "loaded" : h("span", { class: "muted" }, "not loaded"))],
  ]));
}

health();
await loadCountries();
const select = document.getElementById("code");
const code = (param("code") || COUNTRIES.keys().next().value || "").toUpperCase();
for (const [iso3, name] of COUNTRIES) select.append(h("option", { value: iso3, selected: iso3 === code }, `${name} (${iso3})`));
select.addEventListener("change", () => { window.location.search = `?code=${select.value}`; });
if (!/^[A-Z]{3}$/.test(code)) {
  fill("title", "Countries");
  fill("events", message("No country to show: no coded event names one yet."));
} else {
  if (!COUNTRIES.has(code)) select.append(h("option", { value: code, selected: true }, code));
  document.getElementById("index-freq").addEventListener("change", () => guarded("index-status", () => drawIndex(code)));
  await Promise.all([guarded("index-status", () => drawIndex(code)), guarded("events", () => drawCountry(code))]);
}
document.body.dataset.ready = "true";
