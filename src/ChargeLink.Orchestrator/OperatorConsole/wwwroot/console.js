// ChargeLink's operator console: reads the read API with the console's cookie, and re-reads what it shows when the
// orchestrator tells it (server-sent events) that a group changed. It writes only its own sign-in and an operator's
// acts, each confirmed and with a reason (the write API: the group decides, the stream records who and why).
"use strict";

const view = document.getElementById("view");
const live = document.getElementById("live");
const signOut = document.getElementById("sign-out");
const who = document.getElementById("who");
let shown = null; // what the page shows: { kind, id, render }
let events = null;
let rerender = null;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  return node;
}

class Unauthorized extends Error {}

async function read(path) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 401) throw new Unauthorized();
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// Minor units in the currency's own number of decimals (2 for EUR, 0 for JPY, 3 for KWD).
function money(minor, currency) {
  if (minor === null || minor === undefined) return "";
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
}
const kwh = wh => wh === null || wh === undefined ? "" : `${(wh / 1000).toFixed(2)} kWh`;
function ago(at) {
  const seconds = Math.max(0, Math.round((Date.now() - new Date(at).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor(seconds % 3600 / 60)} min ago`;
}
function countdown(until) {
  const seconds = Math.round((new Date(until).getTime() - Date.now()) / 1000);
  if (seconds <= 0) return "voiding now";
  return `void in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
// Times that move by themselves: refreshed each second without asking the server.
function ticking(kind, at) {
  const node = el("span", { "data-tick": kind, "data-at": at });
  node.textContent = kind === "ago" ? ago(at) : countdown(at);
  return node;
}
setInterval(() => document.querySelectorAll("[data-tick]").forEach(node => {
  node.textContent = node.dataset.tick === "ago" ? ago(node.dataset.at) : countdown(node.dataset.at);
}), 1000);

const STATES = { Occupied: "occupied, waiting for payment", Starting: "starting", Charging: "charging", Finishing: "finishing",
  Available: "available", Faulted: "faulted", Unavailable: "unavailable", Reserved: "reserved", Unknown: "no report yet", Offline: "offline" };

// Acts the group carries out itself: no station answers them.
const OFFLINE_ACTS = new Set(["void-payment"]);

async function sites() {
  const groups = await read("/groups");
  return [
    el("h1", {}, "Sites"),
    el("div", { class: "cards" }, groups.map(g => el("a", { class: "card", href: `#/site/${encodeURIComponent(g.groupId)}`, "data-group": g.groupId },
      el("h3", {}, g.name, " ", el("span", { class: "muted" }, g.groupId)),
      el("div", { class: "counts" },
        el("span", {}, el("b", {}, g.occupied), " occupied"), el("span", {}, el("b", {}, g.starting + g.charging), " charging"),
        el("span", {}, el("b", {}, g.available), " available"), el("span", {}, el("b", {}, g.faultedOrUnavailable), " faulted/unavailable"),
        el("span", {}, el("b", {}, g.offlineStations), " station(s) offline"),
        el("span", {}, el("b", {}, g.waitingPayments), " payments waiting"), el("span", {}, el("b", {}, g.sessionsToday), " sessions today"),
        el("span", {}, el("b", {}, money(g.capturedTodayMinor, g.currency)), " captured today")),
      el("div", { class: "muted" }, `${g.stations} station(s), ${g.connectors} connector(s), terminals ${g.terminals.join(", ")}`)))),
  ];
}

// The energy since the transaction's start, where the station has reported a reading since; else nothing.
function energySoFar(session) {
  const known = value => value !== null && value !== undefined;
  return known(session.lastMeterWh) && known(session.meterStartWh) ? ` · ${kwh(session.lastMeterWh - session.meterStartWh)} so far` : "";
}

async function site(groupId) {
  const [group, settled] = await Promise.all([read(`/groups/${encodeURIComponent(groupId)}`), read(`/groups/${encodeURIComponent(groupId)}/settled?limit=10`)]);
  if (!group) return [el("h1", {}, "No such site"), el("p", {}, `The topology has no station group "${groupId}".`)];
  const sessionOf = new Map(group.sessions.map(s => [`${s.chargePointId}/${s.connectorId}`, s]));
  const stationOf = new Map(group.stations.map(s => [s.chargePointId, s]));
  const table = (head, rows, empty) => rows.length === 0 ? el("p", { class: "empty" }, empty)
    : el("div", { class: "scroll" }, el("table", {}, el("thead", {}, el("tr", {}, head.map(h => el("th", {}, h)))), el("tbody", {}, rows)));
  return [
    el("h1", {}, group.name, " ", el("span", { class: "muted" }, groupId)),
    el("p", { class: "muted" }, `Tariff ${money(group.tariff.pricePerKwhMinor, group.tariff.currency)} per kWh; a payment waits ${group.paymentWaitSeconds} s for an occupied connector.`),
    el("div", { class: "tiles" }, group.connectors.map(c => {
      const session = sessionOf.get(`${c.chargePointId}/${c.connectorId}`);
      const station = stationOf.get(c.chargePointId);
      // A station no gateway serves: its connectors are offline, whatever they last reported.
      const offline = station && !station.online;
      const state = offline ? "Offline" : c.state;
      const since = offline ? station.since : c.since;
      const out = c.outOfService;
      const path = `/groups/${encodeURIComponent(groupId)}/stations/${encodeURIComponent(c.chargePointId)}/connectors/${c.connectorId}`;
      return el("div", { class: out ? "tile out-of-service" : "tile", "data-connector": `${c.chargePointId}/${c.connectorId}`, "data-state": state,
        "data-out-of-service": out ? out.operator : null },
        el("div", { class: "id" }, `${c.chargePointId} / ${c.connectorId}`),
        el("div", { class: "state" }, offline ? (station.since ? "offline" : "offline, never connected") : STATES[c.state] ?? c.state),
        el("div", { class: "since" }, since ? ["since ", ticking("ago", since)] : ""),
        offline && c.state !== "Unknown" ? el("div", { class: "extra" }, `last reported: ${STATES[c.state] ?? c.state}`) : "",
        session ? el("div", { class: "extra" }, "payment ", el("a", { href: `#/payment/${encodeURIComponent(session.paymentId)}` }, session.paymentId),
          energySoFar(session)) : "",
        out ? el("div", { class: "extra out" }, `out of service: ${out.operator}, `, ticking("ago", out.since), ` (${out.reason})`) : "",
        el("div", { class: "acts" },
          // A charging session can be stopped from its tile as from its payment's page.
          session && session.phase === "Charging" ? actButton("stop session", "stop-session",
            `Stop the session of payment ${session.paymentId} on ${c.chargePointId} / ${c.connectorId}? The payment is then captured from the station's own readings.`,
            `/payments/${encodeURIComponent(session.paymentId)}/stop`) : "",
          actButton("unlock", "unlock-connector", `Unlock ${c.chargePointId} / ${c.connectorId}?`, `${path}/unlock`),
          actButton("refresh status", "trigger-status", `Ask ${c.chargePointId} for the status of connector ${c.connectorId}?`, `${path}/trigger-status`),
          out ? actButton("return to service", "return-to-service", `Return ${c.chargePointId} / ${c.connectorId} to service?`, `${path}/in-service`)
            : actButton("take out of service", "take-out-of-service",
              `Take ${c.chargePointId} / ${c.connectorId} out of service? No payment will be started on it until it is returned.`, `${path}/out-of-service`)));
    })),
    el("h2", {}, "Stations"),
    table(["station", "connection", ""], group.stations.map(st => el("tr", { "data-station": st.chargePointId },
      el("td", {}, st.chargePointId), el("td", {}, st.online ? `online over ${st.subprotocol}` : "offline"),
      el("td", {}, ["soft", "hard"].map(kind => actButton(`${kind} reset`, "reset-station", `Reset ${st.chargePointId} (${kind})?`,
        `/groups/${encodeURIComponent(groupId)}/stations/${encodeURIComponent(st.chargePointId)}/reset`, { hard: kind === "hard" }))))),
      "The site has no station."),
    el("h2", {}, "Operators' acts"),
    table(["when", "operator", "act", "on", "why", "answer"], (group.recentActs ?? []).map(a => el("tr", { "data-act-id": a.actId, "data-answer": a.answer },
      el("td", {}, ticking("ago", a.at)), el("td", {}, a.operator), el("td", {}, a.act + (a.option && a.option !== "NotCharging" ? ` (${a.option})` : "")),
      el("td", {}, a.paymentId ? el("a", { href: `#/payment/${encodeURIComponent(a.paymentId)}` }, a.paymentId)
        : a.connectorId ? `${a.chargePointId} / ${a.connectorId}` : a.chargePointId ?? ""),
      el("td", {}, a.reason), el("td", {}, a.answer ?? (OFFLINE_ACTS.has(a.act) ? "" : "waiting for the station")))),
      "No operator has acted here yet."),
    el("h2", {}, "Payments waiting"),
    table(["payment", "terminal", "held", "authorized", ""], group.waitingPayments.map(p => el("tr", { "data-waiting": p.paymentId },
      el("td", {}, el("a", { href: `#/payment/${encodeURIComponent(p.paymentId)}` }, p.paymentId)), el("td", {}, p.terminalId),
      el("td", { class: "num" }, money(p.heldMinor, p.currency)), el("td", {}, ticking("ago", p.receivedAt)),
      el("td", { class: "num" }, ticking("void", new Date(new Date(p.receivedAt).getTime() + group.paymentWaitSeconds * 1000).toISOString())))),
      "No payment is waiting."),
    el("h2", {}, "Sessions"),
    table(["payment", "connector", "phase", "since", "transaction"], group.sessions.map(s => el("tr", { "data-session": s.paymentId },
      el("td", {}, el("a", { href: `#/payment/${encodeURIComponent(s.paymentId)}` }, s.paymentId)), el("td", {}, `${s.chargePointId} / ${s.connectorId}`),
      el("td", {}, s.phase + (s.overdueSince ? " (overdue)" : "")), el("td", {}, ticking("ago", s.since)), el("td", {}, s.transactionId ?? ""))),
      "No session runs."),
    el("h2", {}, "Last settled payments"),
    table(["payment", "outcome", "connector", "energy", "settled"], settled.map(p => el("tr", { "data-settled": p.paymentId, "data-status": p.status },
      el("td", {}, el("a", { href: `#/payment/${encodeURIComponent(p.paymentId)}` }, p.paymentId)),
      el("td", { class: `status-${p.status}` }, p.status === "Captured" ? `captured ${money(p.capturedMinor, p.currency)} of ${money(p.heldMinor, p.currency)}`
        : p.status === "Voided" ? `voided: ${p.voidMeaning} (${p.voidReason})` : "cancelled at the terminal"),
      el("td", {}, p.chargePointId ? `${p.chargePointId} / ${p.connectorId}` : ""), el("td", { class: "num" }, kwh(p.energyWh)),
      el("td", {}, ticking("ago", p.settledAt)))),
      "No payment settled yet."),
  ];
}

// A payment's page is read again only for news of its own group, and not at all once it is settled (its story is told
// from the whole group stream, and a settled one never changes).
async function payment(paymentId, page) {
  const found = await read(`/payments/${encodeURIComponent(paymentId)}/story`);
  if (found) {
    page.groupId = found.payment.groupId;
    page.settled = ["Captured", "Voided", "Cancelled"].includes(found.payment.status);
  }
  if (!found) return [el("h1", {}, "No such payment"), el("p", {}, `No payment "${paymentId}" has reached a station group (a payment for an unknown terminal is voided without one).`)];
  const p = found.payment;
  const outcome = p.status === "Captured" ? `captured ${money(p.capturedMinor, p.currency)} for ${kwh(p.energyWh)}`
    : p.status === "Voided" ? `voided: ${p.voidReason}` : p.status.toLowerCase();
  return [
    el("h1", {}, "Payment ", p.paymentId),
    el("p", {}, el("span", { class: `status-${p.status}`, "data-payment-status": p.status }, outcome), " · held ", money(p.heldMinor, p.currency),
      " at terminal ", p.terminalId, " · site ", el("a", { href: `#/site/${encodeURIComponent(p.groupId)}` }, p.groupId),
      p.chargePointId ? ` · connector ${p.chargePointId} / ${p.connectorId}` : ""),
    el("h2", {}, "Story"),
    el("ol", { class: "story" }, found.story.map(line => el("li", {}, el("time", { datetime: line.at }, new Date(line.at).toLocaleString()), line.text))),
    p.status === "Waiting" ? voidForm(p.paymentId) : [],
    p.status === "Charging" && !p.stoppedAt ? stopForm(p.paymentId) : [],
  ];
}

// An act: confirmed, with a reason for the audit; the answer is shown, and the story follows by itself (live news).
async function act(path, reason, actId = undefined, extra = {}) {
  const response = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ reason, actId, ...extra }),
  });
  if (response.status === 401) throw new Unauthorized();
  if (response.status === 403) return "Your sign-in may only read: ask an operator.";
  if (response.ok) return "Sent: the site's record says who and why, and the station's answer follows it.";
  const problem = await response.json().catch(() => ({}));
  return problem.error ?? `refused (${response.status})`;
}

// getRandomValues, not randomUUID: a console reached over plain http off loopback is no secure context.
const newActId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, "0")).join("");

// An act on a station: the reason asked is the confirmation; one act id per confirmation, so that the same act sent
// twice does one thing. The answer is shown beside the button; the record has it too.
function actButton(label, kind, question, path, extra = {}) {
  const answer = el("span", { class: "act-answer", role: "status" });
  const button = el("button", { type: "button", class: "act", "data-act": kind }, label);
  button.addEventListener("click", async () => {
    const reason = prompt(`${question} Why (kept in the audit):`)?.trim();
    if (!reason) return;
    answer.textContent = await act(path, reason, newActId(), extra);
  });
  return el("span", {}, button, answer);
}

function stopForm(paymentId) {
  const answer = el("p", { class: "act-answer", role: "status" });
  const form = el("form", { class: "act", "data-act": "stop-session" },
    el("h2", {}, "Stop this session"),
    el("p", {}, "The station is asked to stop; the payment is then captured from the station's own readings."),
    el("input", { name: "reason", placeholder: "why (kept in the audit)", "aria-label": "reason", required: "", maxlength: "500" }),
    el("button", { type: "submit" }, "stop session"), answer);
  const actId = newActId();
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const reason = form.elements.reason.value.trim();
    if (!reason || !confirm(`Stop the session of payment ${paymentId}?`)) return;
    answer.textContent = await act(`/payments/${encodeURIComponent(paymentId)}/stop`, reason, actId);
  });
  return form;
}

function voidForm(paymentId) {
  const answer = el("p", { class: "act-answer", role: "status" });
  const form = el("form", { class: "act", "data-act": "void-payment" },
    el("h2", {}, "Void this payment"),
    el("p", {}, "The driver gave up: the payment is voided now, as if its wait had run out, and can never start."),
    el("input", { name: "reason", placeholder: "why (kept in the audit)", "aria-label": "reason", required: "", maxlength: "500" }),
    el("button", { type: "submit" }, "void payment"), answer);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const reason = form.elements.reason.value.trim();
    if (!reason || !confirm(`Void payment ${paymentId}? The driver's hold is released; this cannot be undone.`)) return;
    answer.textContent = await act(`/payments/${encodeURIComponent(paymentId)}/void`, reason);
  });
  return form;
}

function route() {
  let kind = "", id = "";
  try {
    [, kind = "", id = ""] = location.hash.split("/").map(decodeURIComponent);
  } catch {
    // A hash no one could have linked to: the list of sites.
  }
  if (kind === "site" && id) return { kind, id, render: () => site(id) };
  if (kind === "payment" && id) return { kind, id, render: page => payment(id, page) };
  return { kind: "sites", id: null, render: sites };
}

async function show() {
  shown = route();
  const rendering = shown;
  try {
    const content = await rendering.render(rendering);
    if (rendering !== shown) return;
    view.replaceChildren(...content);
    view.dataset.shown = `${rendering.kind}:${rendering.id ?? ""}`;
    signOut.hidden = false;
    showWho();
    follow();
  } catch (error) {
    if (error instanceof Unauthorized) return askToSignIn();
    view.replaceChildren(el("p", { class: "error" }, `Could not read: ${error.message}`));
  }
}

// Who is signed in, read once per sign-in: acts go on the record in that name.
async function showWho() {
  if (who.dataset.operator) return;
  try {
    const me = await read("/console/me");
    if (!me) return;
    who.textContent = `signed in as ${me.operator} (${me.role})`;
    who.dataset.operator = me.operator;
    who.dataset.role = me.role;
    who.hidden = false;
  } catch (error) {
    if (error instanceof Unauthorized) askToSignIn();
  }
}

function askToSignIn() {
  if (events) { events.close(); events = null; }
  setLive(false);
  signOut.hidden = true;
  who.hidden = true;
  who.textContent = "";
  delete who.dataset.operator;
  delete who.dataset.role;
  const form = document.getElementById("sign-in-form").content.firstElementChild.cloneNode(true);
  form.addEventListener("submit", async submitted => {
    submitted.preventDefault();
    const response = await fetch("/console/sign-in", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: form.token.value }) });
    if (response.ok) show(); else form.querySelector(".error").textContent = "That is not the operator's token.";
  });
  view.replaceChildren(form);
  view.dataset.shown = "sign-in";
}

function setLive(on) {
  live.classList.toggle("on", on);
  live.classList.toggle("off", !on);
  live.textContent = on ? "live" : "offline";
}

// One stream of news per page; what is shown is read again when its group changes (a site, or any for the list).
function follow() {
  if (events) return;
  events = new EventSource("/console/events");
  events.onopen = () => { setLive(true); show(); };
  events.onerror = () => {
    setLive(false);
    // A refused reconnect (401 after the token changed, 502 from a proxy) closes the stream for good: start over.
    if (events.readyState === EventSource.CLOSED) {
      events = null;
      setTimeout(show, 2000);
    }
  };
  events.addEventListener("group", message => {
    const change = JSON.parse(message.data);
    const concerned = shown && (shown.kind === "sites" || (shown.kind === "site" && shown.id === change.groupId)
      || (shown.kind === "payment" && !shown.settled && (shown.groupId === undefined || shown.groupId === change.groupId)));
    if (!concerned) return;
    clearTimeout(rerender);
    rerender = setTimeout(show, 50);
  });
}

document.getElementById("search").addEventListener("submit", submitted => {
  submitted.preventDefault();
  const id = document.getElementById("search-payment").value.trim();
  if (id) location.hash = `#/payment/${encodeURIComponent(id)}`;
});
signOut.addEventListener("click", async () => {
  await fetch("/console/sign-out", { method: "POST", credentials: "same-origin" });
  askToSignIn();
});
window.addEventListener("hashchange", show);
show();
