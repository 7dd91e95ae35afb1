// MEFS console: polls /console/api/status and follows /console/api/live
// (server-sent events). Sections render whatever fields the node reports,
// so roles and features added later appear without changing this file.
"use strict";
const $ = (id) => document.getElementById(id);
const known = new Set(["time", "roles", "user", "providers", "keepers", "errors", "buckets"]);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function bytes(n) {
  if (!n) return "0 B";
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + " " + u[i];
}
function short(s) { return s && s.length > 18 ? s.slice(0, 8) + "…" + s.slice(-6) : (s || ""); }
function fill(table, rows) {
  const tb = table.tBodies[0];
  tb.replaceChildren(...rows.map((cells) => {
    const tr = el("tr");
    for (const c of cells) {
      const td = c instanceof Node ? (() => { const t = el("td"); t.append(c); return t; })() : el("td", c);
      if (typeof c === "string" && c.length > 18) td.title = c;
      tr.append(td);
    }
    return tr;
  }));
}
// generic renders any value as a table (arrays of objects) or a list.
function generic(v) {
  if (Array.isArray(v)) {
    if (!v.length) return el("p", "none");
    if (typeof v[0] !== "object") return el("p", v.join(", "));
    const cols = [...new Set(v.flatMap((o) => Object.keys(o)))];
    const t = el("table"); const h = el("tr");
    cols.forEach((c) => h.append(el("th", c)));
    t.append(el("thead")); t.tHead.append(h); t.append(el("tbody"));
    fill(t, v.map((o) => cols.map((c) => fmt(o[c]))));
    return t;
  }
  if (v && typeof v === "object") {
    const d = el("div");
    for (const [k, x] of Object.entries(v)) {
      if (x && typeof x === "object") { d.append(el("h3", k), generic(x)); } else { d.append(el("div", k + ": " + fmt(x))); }
    }
    return d;
  }
  return el("p", fmt(v));
}
function fmt(x) { return x === undefined || x === null ? "" : typeof x === "object" ? JSON.stringify(x) : String(x); }

// standing and epochs render a Provider's verification state: its standing
// on chain, and its last epochs' certificates (green passed/claimed, red
// failed, grey none).
function standing(s) { return !s ? "" : el("span", s, s === "ok" ? "ok" : "bad"); }
function epochs(list) {
  const span = document.createElement("span");
  for (const e of list || []) {
    const cls = e.result === "failed" ? "bad" : e.result === "none" ? "" : "ok";
    const x = el("span", `${e.epoch}:${e.result} `, cls);
    span.appendChild(x);
  }
  return span;
}

function renderNetwork(st) {
  const u = st.user || {};
  const health = new Map((u.providers || []).map((p) => [p.peer_id, p]));
  const orders = new Map((u.orders || []).map((o) => [o.provider, o]));
  const ids = new Set([...(st.providers || []).map((p) => p.peer_id), ...health.keys()]);
  const local = new Map((st.providers || []).map((p) => [p.peer_id, p]));
  fill($("providers"), [...ids].map((id) => {
    const p = local.get(id) || {}; const h = health.get(id); const o = orders.get(id) || {};
    const hs = !h ? el("span", "not in roster") : h.suspect ? el("span", "suspect", "bad") : h.connected ? el("span", "connected", "ok") : el("span", "disconnected", "bad");
    return [id, p.account || o.account || "", (p.addrs || []).join(" "), p.pledge || "", hs, p.chunks || 0, bytes(p.bytes),
      o.size ? bytes(o.size) : "", o.price || "", o.end_epoch || "", o.root ? short(o.root) : "",
      standing(p.standing), epochs(p.epochs), p.claimed || ""];
  }));
  fill($("keepers"), (st.keepers || []).map((k) => {
    const a = k.attested || {};
    return [k.peer_id, k.account || "", (k.addrs || []).join(" "), k.pledge || "",
      a.last_epoch ?? "", a.passed ?? "", a.failed ?? "", a.certificates_submitted ?? "", k.keeper_income || ""];
  }));
  $("summary").textContent = `${ids.size} Providers · ${(st.keepers || []).length} Keepers · EC ${u.ec || "?"} · roles ${(st.roles || []).join(", ")}`;
}
function renderRest(st) {
  const u = st.user || {};
  fill($("buckets"), (st.buckets || []).map((b) => {
    const extra = Object.fromEntries(Object.entries(b).filter(([k]) => k !== "name" && k !== "created"));
    return [b.name, b.created || "", Object.keys(extra).length ? JSON.stringify(extra) : ""];
  }));
  const dur = { repair_queue: u.repair_queue, garbage: u.garbage, chunk_read_latency: u.chunk_read_latency, ec: u.ec };
  for (const k of Object.keys(u)) if (/repair|redundan|health|stripe|meta_backup|at_risk/.test(k) && k !== "repair_queue") dur[k] = u[k];
  $("durability-body").replaceChildren(generic(dur));
  const money = { account: u.account || "none (no chain)" };
  for (const k of Object.keys(u)) if (/balance|deposit|spend|income|wallet/.test(k)) money[k] = u[k];
  money.orders = (u.orders || []).map((o) => ({ provider: short(o.provider), size: o.size, price: o.price, end_epoch: o.end_epoch, escrow: o.escrow }));
  $("money-body").replaceChildren(generic(money));
  const more = Object.entries(st).filter(([k]) => !known.has(k));
  $("more").hidden = !more.length;
  $("more-body").replaceChildren(...more.map(([k, v]) => { const d = el("div"); d.append(el("h3", k), generic(v)); return d; }));
  $("errors").hidden = !(st.errors || []).length;
  $("errors-list").replaceChildren(...(st.errors || []).map((e) => el("li", e)));
  $("updated").textContent = "updated " + new Date(st.time).toLocaleTimeString();
}
async function poll() {
  try {
    const r = await fetch("/console/api/status", { cache: "no-store" });
    if (r.status === 401) { location.href = "/console/login.html"; return; }
    const st = await r.json();
    renderNetwork(st); renderRest(st);
  } catch (e) {
    $("updated").textContent = "status unavailable";
  }
  setTimeout(poll, 2000);
}

const series = { rate: [], latency: [] };
function chart(canvas, data, unit) {
  const c = canvas.getContext("2d"); const w = canvas.width, h = canvas.height;
  c.clearRect(0, 0, w, h);
  const max = Math.max(1e-9, ...data);
  c.strokeStyle = "#2563eb"; c.lineWidth = 2; c.beginPath();
  data.forEach((v, i) => { const x = (i / 59) * w, y = h - 14 - (v / max) * (h - 24); i ? c.lineTo(x, y) : c.moveTo(x, y); });
  c.stroke(); c.fillStyle = "#555"; c.font = "11px sans-serif";
  c.fillText(canvas.getAttribute("aria-label") + " (max " + max.toPrecision(3) + " " + unit + ")", 4, 11);
}
let prev = null;
function onSample(s) {
  $("s3-requests").textContent = s.requests;
  $("s3-errors").textContent = s.errors;
  if (prev) {
    const dt = (Date.parse(s.time) - Date.parse(prev.time)) / 1000 || 1;
    const rate = (s.requests - prev.requests) / dt;
    const n = s.latency_count - prev.latency_count;
    const lat = n > 0 ? (s.latency_sum - prev.latency_sum) / n * 1000 : 0;
    $("s3-rate").textContent = rate.toFixed(1);
    if (n > 0) $("s3-latency").textContent = lat.toFixed(1) + " ms";
    if (s.bytes) $("s3-throughput").textContent = bytes((s.bytes - prev.bytes) / dt) + "/s";
    for (const [k, v] of [["rate", rate], ["latency", lat]]) { series[k].push(v); if (series[k].length > 60) series[k].shift(); }
    chart($("chart-rate"), series.rate, "req/s"); chart($("chart-latency"), series.latency, "ms");
  }
  prev = s;
}
const live = new EventSource("/console/api/live");
live.onmessage = (e) => onSample(JSON.parse(e.data));
poll();
