// The status page's HTML: one self-contained document (inline CSS and script, no external assets) that
// renders the state pushed over server-sent events from /ui/events, and polls /ui/state if SSE fails.
// Everything user-controlled is inserted with textContent, never as HTML.
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>kxds status</title>
<style>
  :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#667085; --line:#e4e7ec; --ok:#12805c; --bad:#c4320a; --warn:#b54708; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--ink); }
  header { display:flex; align-items:baseline; gap:16px; padding:14px 24px; background:#101828; color:#fff; }
  header h1 { margin:0; font-size:18px; }
  header .meta { color:#d0d5dd; font-size:13px; }
  main { padding:16px 24px; display:grid; gap:16px; max-width:1400px; }
  section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; overflow-x:auto; }
  h2 { margin:0 0 8px; font-size:15px; }
  h2 .count { color:var(--muted); font-weight:normal; }
  table { border-collapse:collapse; width:100%; }
  th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { font-size:12px; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); }
  code, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
  .badge { display:inline-block; padding:1px 7px; border-radius:10px; font-size:12px; font-weight:600; }
  .ACKED { background:#d1fadf; color:var(--ok); }
  .NACKED { background:#fee4e2; color:var(--bad); }
  .PENDING { background:#fef0c7; color:var(--warn); }
  .nack-text { color:var(--bad); margin-top:4px; font-size:12.5px; white-space:pre-wrap; }
  .empty { color:var(--muted); }
  .health-ok { color:var(--ok); font-weight:600; }
  .health-bad { color:var(--bad); font-weight:600; }
  .health-some { color:var(--warn); font-weight:600; }
  .aliases { color:var(--muted); font-size:12px; margin-left:6px; cursor:help; }
  .live { width:9px; height:9px; border-radius:50%; display:inline-block; background:#98a2b3; margin-right:6px; }
  .live.on { background:#32d583; }
  ul.warnings { margin:0; padding-left:18px; }
  ul.warnings li { margin:3px 0; }
</style>
</head>
<body>
<header><h1>kxds</h1><span class="meta"><span id="live" class="live"></span><span id="meta">connecting…</span></span></header>
<main>
  <section><h2>Connected proxies <span class="count" id="nodes-count"></span></h2>
    <table><thead><tr><th>Node</th><th>Role</th><th>Group</th><th>Held back</th><th>LDS</th><th>RDS</th><th>CDS</th><th>EDS</th><th>SDS</th><th>Last seen</th></tr></thead>
    <tbody id="nodes"></tbody></table></section>
  <section><h2>Warnings about input <span class="count" id="warnings-count"></span></h2><ul class="warnings" id="warnings"></ul></section>
  <section><h2>Routes <span class="count" id="routes-count"></span></h2>
    <table><thead><tr><th>Group</th><th>Host</th><th>Path</th><th>Cluster</th><th>Endpoints healthy / total</th></tr></thead>
    <tbody id="routes"></tbody></table></section>
  <section><h2>Gateways <span class="count" id="gateways-count"></span></h2>
    <table><thead><tr><th>Gateway</th><th>Conditions</th><th>Listeners</th><th>Attached routes</th></tr></thead>
    <tbody id="gateways"></tbody></table></section>
</main>
<script>
"use strict";
const TYPES = [["listener","LDS"],["route","RDS"],["cluster","CDS"],["endpoint","EDS"],["secret","SDS"]];
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? s + " s ago" : s < 3600 ? Math.round(s / 60) + " min ago" : Math.round(s / 3600) + " h ago";
}
function short(v) { return v ? String(v).slice(0, 8) : "–"; }
function typeCell(t) {
  if (!t) return el("td", {class: "empty"}, "–");
  const state = t.nack ? "NACKED" : (t.sentVersion !== undefined && t.ackedVersion === t.sentVersion) ? "ACKED" : "PENDING";
  const td = el("td", {"data-type": t.type}, el("span", {class: "badge " + state}, state === "PENDING" ? "SENT" : state), " ", el("code", {title: t.sentVersion || ""}, short(t.sentVersion)));
  if (t.nack) td.append(el("div", {class: "nack-text"}, t.nack.message));
  return td;
}
function heldBackCell(n) {
  if (n.heldBack.length === 0) return el("td", {class: "empty", "data-held-back": "0"}, n.dialect + ": nothing");
  const list = el("ul", {class: "warnings"}, ...n.heldBack.map((h) => el("li", {}, el("code", {}, h.cluster), " " + h.policy + ": " + h.reason)));
  return el("td", {"data-held-back": String(n.heldBack.length)}, el("details", {}, el("summary", {}, n.dialect + ": " + n.heldBack.length + " held back"), list));
}
function render(state) {
  document.getElementById("meta").textContent = "kxds " + state.version + " · " + (state.ready ? "serving" : "waiting for the first snapshot") + " · source " + state.source + " · updated " + new Date(state.generatedAt).toLocaleTimeString();
  const nodes = document.getElementById("nodes");
  nodes.replaceChildren(...state.nodes.map((n) => {
    const byType = new Map(n.types.map((t) => [t.type, t]));
    return el("tr", {"data-node": n.id}, el("td", {class: "mono"}, n.id || "(no id)"), el("td", {}, n.role), el("td", {class: "mono"}, n.group),
      heldBackCell(n), ...TYPES.map(([k]) => typeCell(byType.get(k))), el("td", {title: n.lastSeen}, ago(n.lastSeen)));
  }));
  if (state.nodes.length === 0) nodes.append(el("tr", {}, el("td", {colspan: "10", class: "empty"}, "No proxy is connected.")));
  document.getElementById("nodes-count").textContent = "(" + state.nodes.length + ")";
  const warnings = document.getElementById("warnings");
  const findings = state.statuses.flatMap((s) => s.conditions.map((c) => [s.ref, c]));
  warnings.replaceChildren(...findings.map(([ref, c]) => el("li", {"data-reason": c.reason},
    el("strong", {}, ref.kind + " " + (ref.namespace ? ref.namespace + "/" : "") + ref.name), ": " + c.message + " ",
    el("code", {title: c.type + "=" + c.status}, c.reason))));
  if (findings.length === 0) warnings.append(el("li", {class: "empty"}, "None: every object translated cleanly."));
  document.getElementById("warnings-count").textContent = "(" + findings.length + ")";
  const routes = document.getElementById("routes");
  routes.replaceChildren(...state.routes.map((r) => {
    const host = el("td", {class: "mono"}, r.host);
    if (r.aliases.length > 0) host.append(el("span", {class: "aliases", title: r.aliases.join("\\n")}, "+" + r.aliases.length + " aliases"));
    const health = r.total > 0 && r.healthy === r.total ? "health-ok" : r.healthy > 0 ? "health-some" : "health-bad";
    return el("tr", {"data-cluster": r.cluster}, el("td", {class: "mono"}, r.group), host, el("td", {class: "mono"}, r.path),
      el("td", {class: "mono"}, r.cluster), el("td", {class: health}, r.healthy + " / " + r.total));
  }));
  if (state.routes.length === 0) routes.append(el("tr", {}, el("td", {colspan: "5", class: "empty"}, "No routes are served.")));
  document.getElementById("routes-count").textContent = "(" + state.routes.length + ")";
  renderGateways(state.gateways || []);
}
function conditionList(conditions) {
  return el("span", {}, ...conditions.map((c) => el("span", {class: "badge " + (c.status === "True" ? "ACKED" : "NACKED"), title: c.reason, "data-condition": c.type}, c.type + "=" + c.status + " ")));
}
function renderGateways(gateways) {
  const body = document.getElementById("gateways");
  body.replaceChildren(...gateways.map((g) => el("tr", {"data-gateway": g.namespace + "/" + g.name},
    el("td", {class: "mono"}, g.namespace + "/" + g.name),
    el("td", {}, conditionList(g.conditions)),
    el("td", {}, el("ul", {class: "warnings"}, ...g.listeners.map((l) => el("li", {"data-listener": l.name}, el("code", {}, l.name), " " + l.attachedRoutes + " routes ", conditionList(l.conditions))))),
    el("td", {}, el("ul", {class: "warnings"}, ...g.routes.map((r) => el("li", {"data-route": r.kind + " " + r.namespace + "/" + r.name},
      r.kind + " " + r.namespace + "/" + r.name + (r.sectionName ? " (" + r.sectionName + ")" : "") + ": Accepted " + r.accepted)))))));
  if (gateways.length === 0) body.append(el("tr", {}, el("td", {colspan: "4", class: "empty"}, "No Gateway is served.")));
  document.getElementById("gateways-count").textContent = "(" + gateways.length + ")";
}
function poll() {
  fetch("/ui/state").then((r) => r.json()).then(render).catch(() => undefined).finally(() => setTimeout(poll, 1000));
}
if (window.EventSource) {
  const source = new EventSource("/ui/events");
  source.onmessage = (e) => { document.getElementById("live").classList.add("on"); render(JSON.parse(e.data)); };
  source.onerror = () => document.getElementById("live").classList.remove("on");
} else poll();
</script>
</body>
</html>
`;
