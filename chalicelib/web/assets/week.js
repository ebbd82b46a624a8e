// One week as a time grid: a column per day, an hour per row, each appointment a block as tall
// as it lasts (side by side when they overlap). Each day is also a list, in time order, for
// screen readers and phones; a block opens the appointment's actions.

import { h } from "./dom.js";
import { tr } from "./i18n.js";
import { openAppointment } from "./actions.js";
import * as t from "./time.js";
import { client, serviceName } from "./ui.js";

const FIRST_HOUR = 8;
const LAST_HOUR = 19;

export function weekStart(day) {
  return t.addDays(day, -t.weekdayIndex(day));
}

// Minutes since the day's local midnight, in `zone`.
function minutesIn(instant, zone) {
  const [hh, mm] = t.timeOf(instant, zone).split(":").map(Number);
  return hh * 60 + mm;
}

// Side-by-side lanes for overlapping appointments: [{a, lane, lanes}], greedy by start time.
export function lanes(items) {
  const sorted = [...items].sort((x, y) => x.top - y.top || y.bottom - x.bottom);
  const placed = [];
  let group = [];
  let groupEnd = -1;
  const close = () => {
    const count = Math.max(1, ...group.map((p) => p.lane + 1));
    for (const p of group) p.lanes = count;
    group = [];
  };
  for (const entry of sorted) {
    if (entry.top >= groupEnd) close();
    const taken = new Set(group.filter((p) => p.bottom > entry.top).map((p) => p.lane));
    let lane = 0;
    while (taken.has(lane)) lane += 1;
    const p = { ...entry, lane, lanes: 1 };
    group.push(p);
    placed.push(p);
    groupEnd = Math.max(groupEnd, entry.bottom);
  }
  close();
  return placed;
}

function hoursFor(items, zone) {
  let first = FIRST_HOUR;
  let last = LAST_HOUR;
  for (const a of items) {
    first = Math.min(first, Math.floor(minutesIn(a.start, zone) / 60));
    const end = t.dayOf(a.end, zone) === t.dayOf(a.start, zone) ? minutesIn(a.end, zone) : 24 * 60;
    last = Math.max(last, Math.ceil(end / 60));
  }
  return [first, Math.min(24, Math.max(last, first + 1))];
}

function block(entry, span, ctx, redraw) {
  const { a } = entry;
  const zone = ctx.me.timezone;
  const who = client(a);
  // What the block shows, then (for screen readers) when it ends and its status.
  const el = h("button", { type: "button", class: `block ${a.status}`, "data-id": a.id, onclick: () => openAppointment(a, ctx, redraw) },
    h("span", { class: "block-time", text: t.formatTime(a.start, zone) }),
    h("span", { class: "block-what", text: serviceName(a) }),
    who.name ? h("span", { class: "block-who", text: who.name }) : null,
    h("span", { class: "visually-hidden", text: `, ${t.formatTimeRange(a.start, a.end, zone)}, ${tr(`status.${a.status}`)}` }));
  // Placed through the CSSOM (the strict CSP forbids style attributes, not this).
  el.style.top = `${((entry.top - span[0]) / (span[1] - span[0])) * 100}%`;
  el.style.height = `${(Math.max(entry.bottom - entry.top, 15) / (span[1] - span[0])) * 100}%`;
  el.style.left = `${(entry.lane / entry.lanes) * 100}%`;
  el.style.width = `${100 / entry.lanes}%`;
  return el;
}

export function weekGrid(week, items, ctx, redraw, move) {
  const zone = ctx.me.timezone;
  const days = Array.from({ length: 7 }, (_, i) => t.addDays(week, i));
  const [firstHour, lastHour] = hoursFor(items, zone);
  const span = [firstHour * 60, lastHour * 60];
  const hours = Array.from({ length: lastHour - firstHour }, (_, i) => firstHour + i);
  const gutter = h("div", { class: "grid-hours", "aria-hidden": "true" },
    hours.map((hour) => h("span", { class: "grid-hour", text: t.formatClock(`${String(hour).padStart(2, "0")}:00`) })));
  const columns = days.map((day) => {
    const dayItems = items.filter((a) => t.dayOf(a.start, zone) === day);
    const entries = lanes(dayItems.map((a) => ({
      a, top: minutesIn(a.start, zone),
      bottom: t.dayOf(a.end, zone) === day ? minutesIn(a.end, zone) : 24 * 60,
    })));
    return h("section", { class: "grid-day", "data-day": day, "aria-label": t.formatDay(day) },
      h("h3", { class: "grid-day-title", text: t.formatDay(day, "short") }),
      h("ul", { class: "grid-slots" }, entries.map((entry) => h("li", {}, block(entry, span, ctx, redraw)))),
      dayItems.length ? null : h("p", { class: "visually-hidden", text: tr("appointments.free_day") }));
  });
  const grid = h("div", { class: "week-grid" }, gutter, columns);
  grid.style.setProperty("--hours", String(lastHour - firstHour));
  return [
    h("div", { class: "actions week-nav" },
      h("button", { type: "button", text: tr("appointments.previous_week"), onclick: move(-1) }),
      h("button", { type: "button", text: tr("appointments.this_week"), onclick: move(0) }),
      h("button", { type: "button", text: tr("appointments.next_week"), onclick: move(1) }),
      h("h2", { class: "week-title", text: t.formatDayRange(days[0], days[6]) })),
    h("div", { class: "week-scroll" }, grid),
  ];
}
