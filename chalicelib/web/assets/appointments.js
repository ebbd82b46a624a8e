// Appointments: upcoming, past, or one week at a time (a time grid); filters by status and
// client; a new appointment; each appointment's actions (actions.js).

import { all } from "./api.js";
import { h, replace } from "./dom.js";
import { tr } from "./i18n.js";
import { item } from "./actions.js";
import { newAppointment } from "./create.js";
import * as t from "./time.js";
import { statusLabel } from "./ui.js";
import { weekGrid, weekStart } from "./week.js";

const STATUSES = ["pending", "confirmed", "declined", "cancelled", "completed", "no_show"];
const state = { mode: "upcoming", status: "", week: null };

// Appointments starting on the days fromDay..toDay (inclusive) of `zone`, every page; each
// carries its client's name and email (client_name, client_email), whatever the client list's size.
export async function appointmentsBetween(fromDay, toDay, zone, filters = {}) {
  const items = await all("/appointments", {
    from: t.zonedToIso(fromDay, "00:00", zone),
    to: t.zonedToIso(t.addDays(toDay, 1), "00:00", zone),
    ...filters,
  });
  return items.filter((a) => t.dayOf(a.start, zone) <= toDay);
}

export async function render(view, ctx) {
  const zone = ctx.me.timezone;
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  const clientId = params.get("client") || "";
  state.week = state.week || weekStart(t.today(zone));
  ctx.services = new Map((await all("/services")).map((s) => [s.id, s]));
  const list = h("div", { id: "appointment-list", "aria-live": "polite" });
  const redraw = () => draw(list, ctx, clientId);
  const modes = [["upcoming", tr("appointments.upcoming")], ["past", tr("appointments.past")], ["week", tr("appointments.week")]].map(([mode, label]) =>
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
  }, h("option", { value: "", text: tr("appointments.any_status") }),
  STATUSES.map((s) => h("option", { value: s, selected: state.status === s, text: statusLabel(s) })));
  replace(view,
    h("div", { class: "view-head" },
      h("h1", { text: tr("nav.appointments") }),
      h("button", { type: "button", class: "primary", id: "new-appointment", text: tr("create.open"), onclick: () => newAppointment(ctx, redraw) })),
    h("div", { class: "toolbar" },
      h("div", { class: "segmented", role: "group", "aria-label": tr("appointments.show") }, modes),
      h("div", { class: "field inline" }, h("label", { for: "status-filter", text: tr("manage.status") }), status),
      clientId ? h("p", { class: "chip" }, tr("appointments.one_client"), " · ", h("a", { href: "#appointments", text: tr("appointments.everyone") })) : null),
    list);
  await draw(list, ctx, clientId);
}

async function draw(list, ctx, clientId) {
  const zone = ctx.me.timezone;
  const todayKey = t.today(zone);
  const filters = { status: state.status, client_id: clientId };
  const mode = state.mode;
  replace(list, h("p", { text: tr("common.loading") }));
  const redraw = () => draw(list, ctx, clientId);
  if (mode === "week") {
    const week = state.week;
    const items = await appointmentsBetween(week, t.addDays(week, 6), zone, filters);
    if (state.mode !== mode || state.week !== week) return;  // a newer choice is being drawn
    const move = (delta) => () => {
      state.week = delta === 0 ? weekStart(t.today(zone)) : t.addDays(state.week, 7 * delta);
      redraw();
    };
    return replace(list, weekGrid(week, items, ctx, redraw, move));
  }
  const upcoming = mode === "upcoming";
  const [from, to] = upcoming ? [todayKey, t.addDays(todayKey, 180)] : [t.addDays(todayKey, -180), todayKey];
  const now = new Date();
  let items = (await appointmentsBetween(from, to, zone, filters))
    .filter((a) => (upcoming ? new Date(a.end) >= now : new Date(a.start) < now));
  if (state.mode !== mode) return;
  items = items.sort((a, b) => (upcoming ? a.start.localeCompare(b.start) : b.start.localeCompare(a.start)));
  if (!items.length) return replace(list, h("p", { text: tr(upcoming ? "appointments.none_upcoming" : "appointments.none_past") }));
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
