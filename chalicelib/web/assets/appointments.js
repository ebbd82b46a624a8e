// Appointments: upcoming, past, or one week at a time; filters by status and client; actions.

import { all, api } from "./api.js";
import { h, replace } from "./dom.js";
import * as t from "./time.js";
import { badge, client, dialog, field, flash, serviceName, statusLabel } from "./ui.js";

const STATUSES = ["pending", "confirmed", "cancelled", "completed", "no_show"];
const state = { mode: "upcoming", status: "", week: null };

// Appointments starting on the days fromDay..toDay (inclusive) of `zone`, every page, each with
// its client's name and email when the client list has them.
export async function appointmentsBetween(fromDay, toDay, zone, filters = {}) {
  const [items, people] = await Promise.all([
    all("/appointments", {
      from: t.zonedToIso(fromDay, "00:00", zone),
      to: t.zonedToIso(t.addDays(toDay, 1), "00:00", zone),
      ...filters,
    }),
    clientsById(),
  ]);
  return items
    .filter((a) => t.dayOf(a.start, zone) <= toDay)
    .map((a) => ({ ...a, client: { ...(people.get(a.client.id) || {}), ...a.client } }));
}

// The client list, read at most every 30 s (the overview asks twice at once).
let clients = { at: 0, map: null };

async function clientsById() {
  if (clients.map && Date.now() - clients.at < 30000) return clients.map;
  const map = all("/clients", {}, 10)
    .then((list) => new Map(list.map((c) => [c.id, c])))
    .catch(() => new Map());  // names are a nicety here; the appointments still show
  clients = { at: Date.now(), map };
  return map;
}

export async function render(view, ctx) {
  const zone = ctx.me.timezone;
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const clientId = params.get("client") || "";
  state.week = state.week || weekStart(t.today(zone));
  const list = h("div", { id: "appointment-list", "aria-live": "polite" });
  const modes = [["upcoming", "Upcoming"], ["past", "Past"], ["week", "Week"]].map(([mode, label]) =>
    h("button", {
      type: "button", "aria-pressed": String(state.mode === mode), "data-mode": mode, text: label,
      onclick: (event) => {
        state.mode = mode;
        for (const b of event.target.parentElement.children) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
        draw(list, ctx, clientId);
      },
    }));
  const status = h("select", {
    id: "status-filter",
    onchange: () => { state.status = status.value; draw(list, ctx, clientId); },
  }, h("option", { value: "", text: "Any status" }),
  STATUSES.map((s) => h("option", { value: s, selected: state.status === s, text: statusLabel(s) })));
  replace(view,
    h("h1", { text: "Appointments" }),
    h("div", { class: "toolbar" },
      h("div", { class: "segmented", role: "group", "aria-label": "Show" }, modes),
      h("div", { class: "field inline" }, h("label", { for: "status-filter", text: "Status" }), status),
      clientId ? h("p", { class: "chip" }, "One client only · ", h("a", { href: "#appointments", text: "show everyone" })) : null),
    list);
  await draw(list, ctx, clientId);
}

function weekStart(day) {
  return t.addDays(day, -t.weekdayIndex(day));
}

async function draw(list, ctx, clientId) {
  const zone = ctx.me.timezone;
  const todayKey = t.today(zone);
  const filters = { status: state.status, client_id: clientId };
  replace(list, h("p", { text: "Loading…" }));
  const redraw = () => draw(list, ctx, clientId);
  if (state.mode === "week") {
    const items = await appointmentsBetween(state.week, t.addDays(state.week, 6), zone, filters);
    return replace(list, weekView(items, ctx, redraw));
  }
  const upcoming = state.mode === "upcoming";
  const [from, to] = upcoming ? [todayKey, t.addDays(todayKey, 180)] : [t.addDays(todayKey, -180), todayKey];
  const now = new Date();
  let items = (await appointmentsBetween(from, to, zone, filters))
    .filter((a) => (upcoming ? new Date(a.end) >= now : new Date(a.start) < now));
  items = items.sort((a, b) => (upcoming ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)));
  if (!items.length) return replace(list, h("p", { text: upcoming ? "No upcoming appointments." : "No past appointments in the last six months." }));
  const byDay = new Map();
  for (const a of items) {
    const day = t.dayOf(a.start, zone);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push(a);
  }
  replace(list, [...byDay].map(([day, dayItems]) => h("section", { class: "day-group", "aria-label": t.formatDay(day) },
    h("h2", { text: t.formatDay(day) }),
    h("ul", { class: "appointments" }, dayItems.map((a) => item(a, ctx, redraw))))));
}

function weekView(items, ctx, redraw) {
  const zone = ctx.me.timezone;
  const days = Array.from({ length: 7 }, (_, i) => t.addDays(state.week, i));
  const move = (delta) => () => { state.week = delta === 0 ? weekStart(t.today(zone)) : t.addDays(state.week, 7 * delta); redraw(); };
  return [
    h("div", { class: "actions week-nav" },
      h("button", { type: "button", text: "Previous week", onclick: move(-1) }),
      h("button", { type: "button", text: "This week", onclick: move(0) }),
      h("button", { type: "button", text: "Next week", onclick: move(1) }),
      h("h2", { class: "week-title", text: `${t.formatDay(days[0], "short")} – ${t.formatDay(days[6], "short")}` })),
    h("div", { class: "week" }, days.map((day) => {
      const dayItems = items.filter((a) => t.dayOf(a.start, zone) === day).sort((a, b) => a.start.localeCompare(b.start));
      return h("section", { class: "week-day", "aria-label": t.formatDay(day) },
        h("h3", { text: t.formatDay(day, "short") }),
        dayItems.length ? h("ul", { class: "appointments compact" }, dayItems.map((a) => item(a, ctx, redraw))) : h("p", { class: "hint", text: "Free" }));
    })),
  ];
}

function item(a, ctx, redraw) {
  const zone = ctx.me.timezone;
  const who = client(a);
  return h("li", { class: `appointment ${a.status}`, "data-id": a.id },
    h("p", { class: "when" }, h("strong", { text: `${t.formatTime(a.start, zone)}–${t.formatTime(a.end, zone)}` }), " ", badge(a.status),
      a.conflict ? h("span", { class: "badge conflict", title: "Overlaps another appointment (imported): cancel or move one", text: "Overlaps another" }) : null),
    h("p", { class: "what", text: serviceName(a) }),
    h("p", { class: "who" }, who.id ? h("a", { href: `#clients?id=${encodeURIComponent(who.id)}`, text: who.name || who.email || "Client" }) : (who.name || ""),
      who.email && who.name ? h("span", { class: "hint", text: ` ${who.email}` }) : null),
    a.notes ? h("p", { class: "hint", text: `Notes: ${a.notes}` }) : null,
    h("p", { class: "actions" }, actions(a, ctx, redraw)));
}

function actions(a, ctx, redraw) {
  const label = `${serviceName(a)} with ${client(a).name || "client"} on ${t.formatWhen(a.start, ctx.me.timezone)}`;
  const started = new Date(a.start) <= new Date();
  const buttons = [];
  const button = (text, onclick) => h("button", { type: "button", class: "small", "aria-label": `${text}: ${label}`, text, onclick });
  if (["pending", "confirmed"].includes(a.status)) {
    buttons.push(button("Reschedule", () => reschedule(a, ctx, redraw)));
    buttons.push(button("Cancel", () => cancel(a, redraw)));
  }
  if (started && ["confirmed", "no_show"].includes(a.status)) buttons.push(button("Completed", () => mark(a, "completed", redraw)));
  if (started && ["confirmed", "completed"].includes(a.status)) buttons.push(button("No-show", () => mark(a, "no_show", redraw)));
  return buttons;
}

function cancel(a, redraw) {
  dialog("Cancel this appointment?",
    [h("p", { text: `${serviceName(a)} with ${client(a).name}. The client is told by email.` }),
      field("cancel-reason", "Reason (sent to the client)", h("textarea", { name: "reason", rows: 2, maxlength: 500 }))],
    "Cancel appointment",
    async (values) => {
      await api(`/appointments/${encodeURIComponent(a.id)}/cancel`, { method: "POST", body: { reason: values.reason } });
      flash("The appointment is cancelled; its time is free again.");
      await redraw();
    }, { danger: true });
}

function reschedule(a, ctx, redraw) {
  const zone = ctx.me.timezone;
  dialog("Move this appointment",
    [h("p", { class: "hint", text: `Times are in your zone, ${t.zoneLabel(zone)}.` }),
      field("move-date", "New date", h("input", { name: "date", type: "date", required: true, value: t.dayOf(a.start, zone) })),
      field("move-time", "New start time", h("input", { name: "time", type: "time", required: true, step: 300, value: t.timeOf(a.start, zone) }))],
    "Move appointment",
    async (values) => {
      const start = t.zonedToIso(values.date, values.time, zone);
      await api(`/appointments/${encodeURIComponent(a.id)}/reschedule`, { method: "POST", body: { start } });
      flash(`Moved to ${t.formatWhen(start, zone)}.`);
      await redraw();
    });
}

async function mark(a, status, redraw) {
  try {
    await api(`/appointments/${encodeURIComponent(a.id)}`, { method: "PATCH", body: { status } });
    flash(`Marked ${statusLabel(status).toLowerCase()}.`);
  } catch (error) {
    flash(error.message, "error");
  }
  await redraw();
}
