// Storyline page: timeline of events, positions and ledger, scenarios with asset impacts, event study.
import {
  MODALITY_SYMBOL, actorLink, api, badge, chart, day, fill, goldsteinColor, guarded, h, health, humanise,
  loadCountries, message, number, openEvent, param, percent, signed, table, tone, eventsTable,
} from "./common.js";

const id = param("id");
const escapeText = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
let eventsById = new Map();

/** Open an event's sentence under its row of the events table (from a click on the timeline). */
function showSentence(event) {
  const row = document.querySelector(`#events tr[data-event="${CSS.escape(event.id)}"]`);
  if (row) openEvent(event, row).scrollIntoView({ block: "nearest" });
}

function timelineOption(events, phases, storyline) {
  const modalities = [...new Set(events.map((e) => e.modality))];
  const series = modalities.map((modality) => ({
    name: modality, type: "scatter", symbol: MODALITY_SYMBOL[modality] || "circle", symbolSize: 11,
    itemStyle: { opacity: 0.85, borderColor: "#333", borderWidth: 0.4 },
    data: events.filter((e) => e.modality === modality && e.event_date).map((e) => ({
      value: [e.event_date, e.goldstein ?? 0], id: e.id, itemStyle: { color: goldsteinColor(e.goldstein) },
    })),
  }));
  if (series.length && phases.length) {
    series[0].markLine = {
      symbol: "none", silent: true, lineStyle: { color: "#8893a5", type: "dashed" },
      label: { show: false }, emphasis: { label: { show: true, formatter: (p) => humanise(p.name), color: "#5d6677" } },
      data: phases.map((p) => ({ name: p.phase, xAxis: p.phase_date })),
    };
  }
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 40, bottom: 72 },
    legend: { top: 0, itemStyle: { color: "#8893a5" } },
    tooltip: {
      trigger: "item", confine: true, extraCssText: "max-width: 420px; white-space: normal;",
      formatter: (p) => {
        const e = eventsById.get(p.data.id);
        if (!e) return "";
        return `<b>${escapeText(day(e.event_date))}</b> · ${escapeText(e.source_actor || "?")} → <b>${escapeText(e.event_type)}</b>`
          + ` → ${escapeText(e.target_actor || "–")}<br>${escapeText(e.modality)} · Goldstein ${escapeText(signed(e.goldstein))}`
          + `<br><span style="color:#5d6677">${escapeText((e.sentence || "").slice(0, 220))}</span>`;
      },
    },
    xAxis: { type: "time" },
    yAxis: { type: "value", min: -10, max: 10, name: "Goldstein", nameGap: 10 },
    dataZoom: [{ type: "inside", xAxisIndex: 0, ...extent(storyline) }, { type: "slider", xAxisIndex: 0, bottom: 14, height: 24 }],
    series,
  };
}

/** The zoom window of the timeline: the storyline's publication span, a week wider each side (events dated far
 * outside it, a mis-resolved year for instance, stay reachable by zooming out). */
function extent(storyline) {
  const week = 7 * 86400000;
  const first = Date.parse(storyline.first_published), last = Date.parse(storyline.last_published);
  return Number.isNaN(first) || Number.isNaN(last) ? {} : { startValue: first - week, endValue: last + week };
}

async function drawStory() {
  await loadCountries();
  const [story, found] = await Promise.all([api(`/storylines/${encodeURIComponent(id)}`),
    api("/events", { storyline: id, limit: 1000 })]);
  const s = story.storyline;
  document.title = `${s.label} · Détente`;
  fill("title", s.label);
  fill("facts",
    h("span", {}, "phase ", badge(s.phase), s.phase_since ? ` since ${day(s.phase_since)}` : ""),
    h("span", {}, h("b", {}, String(s.n_articles)), " articles, ", day(s.first_published), " to ", day(s.last_published)),
    h("span", {}, "actors ", (s.actors || []).flatMap((a, i) => (i ? [", ", actorLink(a)] : [actorLink(a)]))),
    h("span", {}, h("b", {}, String(found.count)), found.count >= 1000 ? " events (the newest 1,000 shown)" : " events"));
  const events = found.items;
  eventsById = new Map(events.map((e) => [e.id, e]));
  if (events.length) {
    const instance = chart(document.getElementById("timeline-chart"), "timeline");
    instance.setOption(timelineOption(events, story.phases || [], s));
    instance.on("click", (p) => { const e = eventsById.get(p.data && p.data.id); if (e) showSentence(e); });
    fill("events", eventsTable(events));
  } else {
    fill("timeline-status", message("No event was coded in this storyline's articles."));
    fill("events", message("No events."));
  }
  drawPositions(story.signals || [], story.ledger || []);
}

function drawPositions(signals, ledger) {
  const positions = signals.filter((s) => s.kind === "position");
  fill("positions", positions.length ? table(positions, [
    ["actor", (r) => actorLink(r.actor)], ["stance", (r) => r.stance || "–"], ["issue", (r) => r.issue || "–"],
    ["towards", (r) => actorLink(r.counterpart)], ["quote", (r) => h("i", {}, r.quote || "")],
  ]) : message("No position was found in this storyline's articles."));
  const current = ledger.filter((r) => r.current !== false);
  fill("ledger", current.length ? table(current, [
    ["kind", (r) => r.kind], ["actor", (r) => actorLink(r.actor)],
    ["what", (r) => [r.action || "–", r.issue ? h("div", { class: "muted" }, r.issue) : null]],
    ["status", (r) => [badge(r.status), h("div", { class: "muted nowrap" }, day(r.status_date))]],
    ["quote", (r) => h("i", { title: r.reason || "" }, r.quote || "")],
  ]) : message("No condition or commitment is on the ledger."));
}

function impactCell(impact) {
  if (!impact) return h("span", { class: "muted" }, "–");
  if (impact.size === null || impact.size === undefined) {
    return h("span", { class: "muted", title: impact.basis }, impact.direction > 0 ? "↑ prior" : impact.direction < 0 ? "↓ prior" : "no prior");
  }
  return h("span", { title: impact.basis },
    h("span", { class: tone(impact.size) }, percent(impact.size)),
    h("span", { class: "muted" }, ` [${percent(impact.interval_low)}, ${percent(impact.interval_high)}]`));
}

async function drawScenarios() {
  const outlook = await api(`/storylines/${encodeURIComponent(id)}/scenarios`);
  const scenarios = outlook.scenarios || [];
  if (!scenarios.length) {
    fill("scenarios", message("No scenarios for this storyline."));
    return;
  }
  const assets = scenarios[0].asset_impacts.map((i) => i.asset);
  const measured = assets.filter((a) => scenarios.some((s) => s.asset_impacts.some((i) => i.asset === a && i.size !== null)));
  const priorsOnly = assets.filter((a) => !measured.includes(a));
  const expected = new Map((outlook.expected || []).map((e) => [e.asset, e]));
  const byName = (s, asset) => s.asset_impacts.find((i) => i.asset === asset);
  const probabilities = table(scenarios, [
    ["scenario", (s) => h("b", {}, humanise(s.name))],
    ["probability", (s) => h("span", {}, h("span", { class: "prob", style: { width: `${Math.round(160 * s.probability)}px` } }),
      `${(100 * s.probability).toFixed(0)}%`)],
    ["drivers", (s) => h("span", { class: "muted" }, `${s.drivers.length} pieces of evidence`)],
  ]);
  const rows = measured.length ? measured : assets;
  const impacts = table(rows, [
    ["asset", (a) => h("b", {}, a)],
    ...scenarios.map((s) => [`${humanise(s.name)} (${(100 * s.probability).toFixed(0)}%)`, (a) => impactCell(byName(s, a))]),
    ["expected", (a) => {
      const e = expected.get(a);
      return e && e.expected !== null ? h("span", {}, h("b", { class: tone(e.expected) }, percent(e.expected)),
        h("span", { class: "muted" }, ` [${percent(e.low)}, ${percent(e.high)}]`)) : h("span", { class: "muted" }, "–");
    }],
  ]);
  fill("scenarios", h("div", { class: "grid" }, h("div", {}, probabilities),
    h("div", { class: "muted" }, `Theme: ${humanise(outlook.theme)}. Impacts are mean cumulative abnormal returns of`
      + " historical analogues, with their interval; hover a cell for the analogues used.")),
  h("div", { class: "scroll", style: { marginTop: "10px" } }, impacts),
  priorsOnly.length && measured.length ? h("p", { class: "muted" },
    `${priorsOnly.length} more exposed assets have no stored prices and only the exposure-map prior: ${priorsOnly.join(", ")}.`) : null,
  measured.length ? null : h("p", { class: "muted" }, "No exposed asset has stored prices: the arrows are the exposure map's priors."));
}

function studyOption(study) {
  const assets = [...new Set(study.paths.map((p) => p.asset))];
  const palette = ["#1f5fa8", "#c0392b", "#1e8449", "#b9770e", "#7d3c98", "#117a65"];
  const series = [];
  assets.forEach((asset, i) => {
    const path = study.paths.filter((p) => p.asset === asset);
    const name = study.frequencies[asset] === "M" ? `${asset} (months)` : asset;
    const color = palette[i % palette.length];
    series.push({ name: `${name} band low`, type: "line", stack: `band-${asset}`, stackStrategy: "all", symbol: "none", silent: true,
      lineStyle: { opacity: 0 }, data: path.map((p) => [p.tau, p.mean_car - p.band]), tooltip: { show: false } });
    series.push({ name: `${name} band`, type: "line", stack: `band-${asset}`, stackStrategy: "all", symbol: "none", silent: true,
      lineStyle: { opacity: 0 }, areaStyle: { color, opacity: 0.08 }, data: path.map((p) => [p.tau, 2 * p.band]),
      tooltip: { show: false } });
    series.push({ name, type: "line", color, symbolSize: 5, data: path.map((p) => [p.tau, p.mean_car]) });
  });
  return {
    animation: false,
    grid: { left: 60, right: 24, top: 44, bottom: 40 },
    legend: { top: 0, right: 10, data: series.filter((s) => !s.stack).map((s) => s.name) },
    tooltip: { trigger: "axis", valueFormatter: (v) => percent(v, 2) },
    xAxis: { type: "value", name: "days from event", nameLocation: "middle", nameGap: 26,
      min: study.window[0], max: study.window[1], interval: 1 },
    yAxis: { type: "value", name: "mean CAR", axisLabel: { formatter: (v) => `${(100 * v).toFixed(1)}%` } },
    dataZoom: [{ type: "inside", xAxisIndex: 0 }],
    series,
  };
}

async function drawStudy() {
  const events = document.getElementById("study-events").value;
  fill("study-status", h("p", { class: "loading" }, "Running the event study…"));
  const study = await api(`/storylines/${encodeURIComponent(id)}/study`, { events });
  const element = document.getElementById("study-chart");
  if (study.message || !study.paths.length) {
    element.style.display = "none";
    fill("study-status", message(study.message || "No event study for this storyline."));
    return;
  }
  element.style.display = "";
  const instance = window.detenteCharts?.study || chart(element, "study");
  instance.setOption(studyOption(study), true);
  fill("study-status", table(study.summary, [
    ["asset", (r) => r.asset], ["window", (r) => r.window], ["events", (r) => String(r.n), "num"],
    ["mean CAR", (r) => h("span", { class: tone(r.mean_car) }, percent(r.mean_car, 2)), "num"],
    ["95% interval", (r) => `[${percent(r.ci_low, 2)}, ${percent(r.ci_high, 2)}]`, "num"],
    ["p (cross-section t)", (r) => number(r.p_cross, 3), "num"],
  ]), h("p", { class: "muted" }, `${study.event_set.length} event days; constant-mean model, estimation window −250 to −11.`));
}

if (!id) {
  fill("title", "No storyline chosen");
  fill("facts", message("Open a storyline from the overview's ranking."));
} else {
  health();
  document.getElementById("study-events").addEventListener("change", () => guarded("study-status", drawStudy));
  await Promise.all([guarded("facts", drawStory), guarded("scenarios", drawScenarios), guarded("study-status", drawStudy)]);
}
document.body.dataset.ready = "true";
