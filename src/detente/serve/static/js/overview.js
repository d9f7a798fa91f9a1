// Overview page: the global index chart, storylines ranked by escalation, the latest alerts, countries.
import {
  COUNTRIES, api, badge, chart, day, fill, guarded, h, health, indexOption, loadCountries, message, number,
  signed, table, tone,
} from "./common.js";

async function drawIndex() {
  const freq = document.getElementById("index-freq").value;
  const element = document.getElementById("index-chart");
  let series;
  try {
    series = await api("/index", { scope: "global", method: "combined", freq });
  } catch (error) {
    if (error.status !== 422) throw error;
    series = { points: [], why: error.message };
  }
  element.style.display = series.points.length ? "" : "none";
  if (!series.points.length) {
    fill("index-status", message(`No index yet${series.why ? ` (${series.why})` : ""}: ingest and extract articles, `
      + "then `detente index update`."));
    return;
  }
  const instance = window.detenteCharts?.index || chart(element, "index");
  instance.setOption(indexOption(series.points, freq), true);
  const last = series.points[series.points.length - 1];
  const unit = { D: "days", W: "weeks", M: "months" }[freq];
  fill("index-status", h("p", { class: "muted" },
    `${series.points.length} ${unit} with articles, ${day(series.points[0].date)} to ${day(last.date)}; last: ${number(last.index)}`));
}

async function drawEscalation() {
  const days = document.getElementById("escalation-days").value;
  const ranked = await api("/escalation", { by: "storyline", days, min_articles: 5, limit: 100 });
  if (!ranked.items.length) {
    fill("escalation", message("No storyline of five articles or more had events in this window."));
    return;
  }
  fill("escalation", table(ranked.items, [
    ["#", (row) => String(ranked.items.indexOf(row) + 1), "num"],
    ["storyline", (row) => h("a", { href: `/storyline?id=${encodeURIComponent(row.storyline_id)}`, class: "storyline",
      "data-storyline": row.storyline_id }, row.label || row.storyline_id)],
    ["phase", (row) => badge(row.phase)],
    ["last active", (row) => day(row.date), "nowrap"],
    ["balance", (row) => h("span", { class: tone(row.balance) }, signed(row.balance)), "num"],
    ["7-day trend", (row) => h("span", { class: tone(row.trend) }, signed(row.trend)), "num"],
    ["flag", (row) => (row.flag ? badge(row.flag) : ""), null],
    ["articles", (row) => String(row.n_articles ?? "–"), "num"],
  ]));
}

async function drawAlerts() {
  const found = await api("/alerts", { limit: 30 });
  if (!found.items.length) {
    fill("alerts", message("No alert has fired."));
    return;
  }
  fill("alerts", h("ul", { class: "alerts" }, found.items.map((alert) => h("li", {},
    h("b", {}, day(alert.alert_date)), " ", badge(alert.kind), " ", alert.message,
    h("div", { class: "muted" }, `${alert.rule} · `, scopeLink(alert.scope))))));
}

/** An alert's scope, linked to its storyline or country page when it has one. */
function scopeLink(scope) {
  const [kind, id] = String(scope).split(":", 2);
  if (kind === "storyline" && id) return h("a", { href: `/storyline?id=${encodeURIComponent(id)}` }, scope);
  if (/^[A-Z]{3}$/.test(scope)) return h("a", { href: `/country?code=${scope}` }, scope);
  return scope;
}

async function drawCountries() {
  await loadCountries();
  const found = (await api("/countries")).items.slice(0, 40);
  if (!found.length) {
    fill("countries", message("No event names a country yet."));
    return;
  }
  fill("countries", found.map((c) => h("a", { class: "badge", href: `/country?code=${c.code}`, title: COUNTRIES.get(c.code) },
    `${c.name} (${c.events})`)));
}

document.getElementById("index-freq").addEventListener("change", () => guarded("index-status", drawIndex));
document.getElementById("escalation-days").addEventListener("change", () => guarded("escalation", drawEscalation));
health();
await Promise.all([
  guarded("index-status", drawIndex), guarded("escalation", drawEscalation),
  guarded("alerts", drawAlerts), guarded("countries", drawCountries),
]);
document.body.dataset.ready = "true";
