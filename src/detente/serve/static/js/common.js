// Détente dashboard: helpers every page uses (API calls, safe DOM building, formats, charts, sentences).
// Data is put in the page with textContent only, never as HTML.

export const API = "/api/v1";

/** The sessionStorage item holding the API key sent as ``X-API-Key`` (per browser tab, gone when it closes). */
const KEY_ITEM = "detente-api-key";

/** The API key stored for this tab, or null. */
export const storedKey = () => window.sessionStorage.getItem(KEY_ITEM);

/** GET an API path with query parameters; resolves to the JSON body or throws an Error with the API's message.
 * Sends the stored API key, if any; a 401 (reads need a key, or the key was refused) shows the key form. */
export async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, value);
  }
  const url = `${API}${path}${query.toString() ? "?" + query : ""}`;
  const key = storedKey();
  const headers = { Accept: "application/json" };
  if (key) headers["X-API-Key"] = key;
  const response = await fetch(url, { headers });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) {
    const error = new Error((body && body.error) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    if (response.status === 401) askForKey(key ? error.message : null);
    throw error;
  }
  return body;
}

/** Show, once per page and above its panels, a form asking for the API key the server wants for reads;
 * ``refusal`` is the server's message when it refused the stored key. Submitting stores the key for this tab
 * and reloads the page, so every panel asks again with it. */
export function askForKey(refusal = null) {
  if (document.getElementById("api-key-form")) return;
  const input = h("input", { type: "password", name: "key", required: true, autocomplete: "off", spellcheck: "false",
    size: "44", placeholder: "dtk_…" });
  const form = h("form", { class: "card api-key", id: "api-key-form" },
    h("p", {}, h("b", {}, "This server needs an API key for reads."), " Ask whoever runs it for one (",
      h("code", {}, "detente keys create NAME"), "); the dashboard keeps it in this browser tab only."),
    refusal ? h("p", { class: "error", role: "alert" }, `The key was refused: ${refusal}`) : null,
    h("label", {}, "API key ", input), h("button", { type: "submit" }, "Use this key"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    window.sessionStorage.setItem(KEY_ITEM, key);
    window.location.reload();
  });
  document.querySelector("main").prepend(form);
  document.body.classList.add("needs-key");  // hides the charts' empty frames
  input.focus();
}

/** While a key is stored, a button in the page header that forgets it and reloads the page. */
function forgetKeyButton() {
  const header = document.querySelector("header.top");
  if (!storedKey() || !header) return;
  header.append(h("button", {
    type: "button", class: "plain forget-key", id: "forget-key", title: "stop sending the API key stored in this tab",
    onclick: () => { window.sessionStorage.removeItem(KEY_ITEM); window.location.reload(); },
  }, "forget API key"));
}

/** An element: h("a", {href: "/"}, "text", child, ...); attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "style" && typeof value === "object") Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replace the contents of the element with id ``id`` (or the element) by ``children``. */
export function fill(target, ...children) {
  const element = typeof target === "string" ? document.getElementById(target) : target;
  element.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return element;
}

export const message = (text) => h("div", { class: "message" }, text);
export const failure = (error) => h("div", { class: "error", role: "alert" }, `Could not load: ${error.message || error}`);

/** Run ``load`` and show its failure in ``target`` instead of leaving the panel empty. */
export async function guarded(target, load) {
  try {
    await load();
  } catch (error) {
    if (error.status === 401) {  // the key form at the top of the page says why
      fill(target, message("This panel needs an API key: enter it in the form at the top of the page."));
      return;
    }
    console.error(error);
    fill(target, failure(error));
  }
}

export const param = (name) => new URLSearchParams(window.location.search).get(name);
export const day = (value) => (value ? String(value).slice(0, 10) : "");
export const number = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? "–" : Number(value).toFixed(digits);
export const signed = (value, digits = 1) =>
  value === null || value === undefined ? "–" : (value > 0 ? "+" : "") + Number(value).toFixed(digits);
export const percent = (value, digits = 1) =>
  value === null || value === undefined ? "–" : (value > 0 ? "+" : "") + (100 * value).toFixed(digits) + "%";
export const tone = (value) => (value < 0 ? "neg" : value > 0 ? "pos" : "");
export const humanise = (text) => (text ? String(text).replaceAll("_", " ") : "–");

/** A phase (or flag) badge. */
export const badge = (text) => (text ? h("span", { class: `badge ${text}` }, humanise(text)) : h("span", { class: "muted" }, "–"));

/** The colour of a Goldstein score: red at −10 (conflict), grey at 0, green at +10 (cooperation). */
export function goldsteinColor(score) {
  const s = Math.max(-10, Math.min(10, Number(score) || 0)) / 10;
  const grey = [150, 156, 166];
  const end = s < 0 ? [192, 57, 43] : [30, 132, 73];
  const mix = grey.map((g, i) => Math.round(g + (end[i] - g) * Math.abs(s)));
  return `rgb(${mix.join(",")})`;
}

/** ECharts symbol per modality: facts are filled circles, the rest say how the text holds them. */
export const MODALITY_SYMBOL = {
  asserted: "circle", reported: "rect", future: "triangle", hypothetical: "diamond",
  conditional: "roundRect", negated: "pin",
};

/** An ECharts chart in ``element`` that follows the element's size; registered in ``window.detenteCharts``. */
export function chart(element, name) {
  const instance = window.echarts.init(element, null, { renderer: "canvas" });
  new ResizeObserver(() => instance.resize()).observe(element);
  window.detenteCharts = window.detenteCharts || {};
  window.detenteCharts[name] = instance;
  return instance;
}

/** Days between two points beyond which the index line is broken instead of drawn across, per frequency. */
const GAP_DAYS = { D: 30, W: 60, M: 100 };

/** The index chart option: combined index, threats and acts over time, with hover and time zoom. Long gaps in
 * the data (no article for a month) break the lines instead of joining them. */
export function indexOption(points, freq = "D") {
  const rows = [];
  points.forEach((p, i) => {
    if (i && (Date.parse(p.date) - Date.parse(points[i - 1].date)) / 86400000 > (GAP_DAYS[freq] || 30)) rows.push({ date: p.date, gap: true });
    rows.push(p);
  });
  const value = (p, field) => (p.gap || p[field] === null || p[field] === undefined ? null : Number(p[field].toFixed(2)));
  // a point between two gaps has no line to show it: give it a dot
  const alone = rows.map((p, i) => !p.gap && (i === 0 || rows[i - 1].gap) && (i === rows.length - 1 || rows[i + 1].gap));
  const series = (name, field, color, width) => ({
    name, type: "line", showSymbol: true, showAllSymbol: true, connectNulls: false, lineStyle: { width }, color,
    symbolSize: (v, params) => (alone[params.dataIndex] ? 6 : 0),
    data: rows.map((p) => [p.date, value(p, field)]),
  });
  return {
    animation: false,
    grid: { left: 56, right: 20, top: 36, bottom: 72 },
    legend: { top: 0 },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v === null || v === undefined ? "–" : Number(v).toFixed(1)) },
    xAxis: { type: "time" },
    yAxis: { type: "value", name: "base = 100", nameGap: 12 },
    dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "slider", xAxisIndex: 0, bottom: 14, height: 24 }],
    series: [series("Index", "index", "#1f5fa8", 2), series("Threats", "threat", "#e67e22", 1),
             series("Acts", "act", "#c0392b", 1)],
  };
}

/** The source sentence of an event with the trigger and the actor mentions inside ``<mark>`` elements. */
export function markedSentence(event) {
  const text = event.sentence || "";
  const base = event.sentence_start ?? 0;
  const spans = [];
  const add = (start, end, cls, title) => {
    if (start === null || start === undefined || end === null || end === undefined) return;
    const a = start - base, b = end - base;
    if (a >= 0 && b <= text.length && b > a) spans.push({ a, b, cls, title });
  };
  add(event.trigger_start, event.trigger_end, "trigger", `trigger of ${event.event_type}`);
  add(event.source_start, event.source_end, "actor source", `source actor ${event.source_actor || ""}`);
  add(event.target_start, event.target_end, "actor target", `target actor ${event.target_actor || ""}`);
  spans.sort((x, y) => x.a - y.a);
  const sentence = h("p", { class: "sentence" });
  let at = 0;
  for (const span of spans) {
    if (span.a < at) continue; // overlapping spans: the first one wins
    if (span.a > at) sentence.append(text.slice(at, span.a));
    sentence.append(h("mark", { class: span.cls, title: span.title }, text.slice(span.a, span.b)));
    at = span.b;
  }
  sentence.append(text.slice(at));
  return sentence;
}

/** A panel with an event's source sentence, highlighted, and what was coded from it. */
export function sentencePanel(event) {
  const who = [event.source_actor || "?", event.event_type, event.target_actor || "–"].join(" → ");
  return h("div", { class: "sentence-panel", "data-event": event.id },
    h("div", { class: "meta" }, `${day(event.event_date)} · ${who} · ${event.modality} · Goldstein ${signed(event.goldstein)}`
      + (event.place ? ` · ${event.place}` : "") + (event.cameo_code ? ` · CAMEO ${event.cameo_code}` : "")),
    event.sentence ? markedSentence(event) : h("p", { class: "muted" }, "No source sentence is stored for this event."),
    h("div", { class: "legend" }, h("mark", { class: "trigger" }, "trigger"), " ",
      h("mark", { class: "actor source" }, "source actor"), " ", h("mark", { class: "actor target" }, "target actor")));
}

/** Country names by ISO3 code, of the countries the stored events name (``loadCountries`` fills it). */
export const COUNTRIES = new Map();

/** Fetch the countries the events name, once per page. */
export async function loadCountries() {
  if (COUNTRIES.size) return COUNTRIES;
  try {
    for (const found of (await api("/countries")).items) COUNTRIES.set(found.code, found.name);
  } catch { /* links to country pages are optional */ }
  return COUNTRIES;
}

/** A link to a country page for an actor code whose first three letters are a country, or the plain code. */
export function actorLink(code) {
  if (!code) return h("span", { class: "muted" }, "–");
  const country = String(code).slice(0, 3);
  return COUNTRIES.has(country)
    ? h("a", { href: `/country?code=${country}`, title: COUNTRIES.get(country) }, code)
    : h("span", {}, code);
}

/** Open the source sentence of ``event`` in a detail row under its row of an events table (closing others). */
export function openEvent(event, row) {
  const body = row.parentElement;
  body.querySelectorAll("tr.detail").forEach((r) => r.remove());
  body.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
  row.classList.add("selected");
  const detail = h("tr", { class: "detail" }, h("td", { colspan: String(row.children.length) }, sentencePanel(event)));
  row.after(detail);
  return detail;
}

/** A table of events; clicking a row opens its source sentence under it (and calls ``onSelect(event, row)``). */
export function eventsTable(events, onSelect = null) {
  const body = h("tbody");
  for (const event of events) {
    const row = h("tr", { class: "clickable", "data-event": event.id, tabindex: "0", title: "show the source sentence" },
      h("td", { class: "nowrap" }, day(event.event_date)), h("td", {}, actorLink(event.source_actor)), h("td", {}, event.event_type),
      h("td", {}, actorLink(event.target_actor)), h("td", {}, event.modality),
      h("td", { class: `num ${tone(event.goldstein)}` }, signed(event.goldstein)));
    const select = () => {
      if (row.classList.contains("selected") && row.nextElementSibling?.classList.contains("detail")) {
        row.nextElementSibling.remove();
        row.classList.remove("selected");
        return;
      }
      openEvent(event, row);
      if (onSelect) onSelect(event, row);
    };
    row.addEventListener("click", (e) => { if (e.target.tagName !== "A") select(); });
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") select(); });
    body.append(row);
  }
  return h("table", { class: "events" },
    h("thead", {}, h("tr", {}, h("th", {}, "date"), h("th", {}, "source"), h("th", {}, "event"), h("th", {}, "target"),
      h("th", {}, "modality"), h("th", { class: "num" }, "Goldstein"))), body);
}

/** A plain table from rows and [header, cell(row) → node or text, class] columns. */
export function table(rows, columns) {
  return h("table", {},
    h("thead", {}, h("tr", {}, columns.map(([title, , cls]) => h("th", { class: cls || null }, title)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([, cell, cls]) => h("td", { class: cls || null }, cell(row)))))));
}

/** Show the served database's version in the header. */
export async function health() {
  try {
    const found = await api("/health");
    const where = document.getElementById("served");
    if (where) where.textContent = `Détente ${found.version} · schema ${found.schema_version}${found.read_only ? " · read-only" : ""}`;
  } catch { /* the header note is optional */ }
}

// every page imports this module (as a deferred module script, so the header is already parsed)
forgetKeyButton();
