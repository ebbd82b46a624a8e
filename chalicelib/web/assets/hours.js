// Weekly hours (wall-clock times in the provider's zone), date overrides and time off. A service's
// own weekly hours (services.js) use the same day editor (weekFieldsets, readWeek).
// Each day reads back its hours in the page's locale ("9:00 AM – 1:00 PM"), so what the time
// fields show can always be checked against what is saved.

import { all, api, errorText } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";
import { dialog, field, flash, showErrors, zoneSelect } from "./ui.js";

// A first week to start from: Monday to Friday, 9 to 5 with an hour for lunch (saved only on Save).
const SUGGESTED = [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "17:00" }];
const WORKDAYS = t.WEEKDAYS.slice(0, 5);

export async function render(view, ctx) {
  const zone = ctx.me.timezone;
  const todayKey = t.today(zone);
  const [availability, overrides, timeOff] = await Promise.all([
    api("/availability"),
    all("/availability/overrides", { from: todayKey, to: t.addDays(todayKey, 365) }),
    api("/availability/time-off"),
  ]);
  const redraw = () => render(view, ctx);
  replace(view,
    h("h1", { text: tr("hours.title") }),
    weeklyForm(availability, ctx),
    h("section", { "aria-labelledby": "overrides-title" },
      h("h2", { id: "overrides-title", text: tr("hours.overrides") }),
      h("p", { class: "hint", text: tr("hours.overrides_hint") }),
      overrides.length
        ? h("ul", { class: "rows" }, overrides.map((o) => h("li", { class: "row", "data-date": o.date },
          h("p", {}, h("strong", { text: t.formatDay(o.date) }), " ",
            o.intervals.length ? o.intervals.map((i) => t.formatClockRange(i.start, i.end)).join(", ") : tr("hours.closed")),
          h("button", { type: "button", class: "small danger", "aria-label": tr("hours.remove_date", { day: t.formatDay(o.date) }), text: tr("common.remove"),
            onclick: () => removeOverride(o, redraw) }))))
        : h("p", { text: tr("hours.no_overrides") }),
      h("button", { type: "button", text: tr("hours.add_date"), onclick: () => addOverride(todayKey, redraw) })),
    timeOffSection(timeOff.items, todayKey, redraw));
}

function timeOffSection(ranges, todayKey, redraw) {
  const label = (r) => tr("hours.time_off_range", { from: t.formatDay(r.from), to: t.formatDay(r.to) });
  return h("section", { "aria-labelledby": "time-off-title" },
    h("h2", { id: "time-off-title", text: tr("hours.time_off") }),
    h("p", { class: "hint", text: tr("hours.time_off_hint") }),
    ranges.length
      ? h("ul", { class: "rows", id: "time-off-list" }, ranges.map((r) => h("li", { class: "row", "data-from": r.from },
        h("p", {}, h("strong", { text: label(r) }), r.reason ? ` ${r.reason}` : ""),
        h("button", { type: "button", class: "small danger", "aria-label": tr("hours.remove_time_off", { range: label(r) }), text: tr("common.remove"),
          onclick: () => removeTimeOff(r, label(r), redraw) }))))
      : h("p", { text: tr("hours.no_time_off") }),
    h("button", { type: "button", id: "add-time-off", text: tr("hours.add_time_off"), onclick: () => addTimeOff(todayKey, redraw) }));
}

function addTimeOff(todayKey, redraw) {
  dialog(tr("hours.time_off_title"),
    [h("div", { class: "cols" },
      field("time-off-from", tr("hours.time_off_from"), h("input", { name: "from", type: "date", required: true, min: todayKey, value: todayKey })),
      field("time-off-to", tr("hours.time_off_to"), h("input", { name: "to", type: "date", required: true, min: todayKey, value: t.addDays(todayKey, 6) }))),
    field("time-off-reason", tr("hours.time_off_reason"), h("input", { name: "reason", maxlength: 200 }))],
    tr("hours.save_time_off"),
    async (values) => {
      await api("/availability/time-off", { method: "POST", body: { from: values.from, to: values.to, reason: values.reason } });
      flash(tr("hours.time_off_saved", { range: tr("hours.time_off_range", { from: t.formatDay(values.from), to: t.formatDay(values.to) }) }));
      await redraw();
    });
}

async function removeTimeOff(range, label, redraw) {
  try {
    await api(`/availability/time-off/${encodeURIComponent(range.id)}`, { method: "DELETE" });
    flash(tr("hours.time_off_removed", { range: label }));
  } catch (error) {
    flash(errorText(error), "error");
  }
  await redraw();
}

function dayName(day) {
  return t.weekdayName(t.WEEKDAYS.indexOf(day));
}

// "24:00" (the end of the day) is shown as 23:59, the last minute a time field can hold.
const shown = (hhmm) => (hhmm === "24:00" ? "23:59" : hhmm);
const sent = (hhmm) => (hhmm === "23:59" ? "24:00" : hhmm);

function intervalRow(day, interval, onChange) {
  const input = (part, value, label) => h("input", {
    type: "time", "data-part": part, value: shown(value), "aria-label": label, required: true, oninput: onChange,
  });
  const row = h("div", { class: "interval" },
    input("start", interval.start, tr("hours.from_on", { day: dayName(day) })),
    h("span", { "aria-hidden": "true", text: "–" }),
    input("end", interval.end, tr("hours.until_on", { day: dayName(day) })),
    h("button", { type: "button", class: "small link", text: tr("common.remove"), "aria-label": tr("hours.remove_block", { day: dayName(day) }),
      onclick: () => { row.remove(); onChange(); } }));
  return row;
}

function rowsOf(fieldset) {
  return [...fieldset.querySelectorAll(".interval")].map((row) => ({
    start: row.querySelector('[data-part="start"]').value,
    end: sent(row.querySelector('[data-part="end"]').value),
  }));
}

function dayFieldset(day, intervals) {
  const list = h("div", { class: "intervals" });
  const summary = h("p", { class: "day-summary", "aria-live": "polite" });
  const fieldset = h("fieldset", { class: "weekday", "data-day": day });
  const update = () => {
    const rows = rowsOf(fieldset).filter((r) => r.start && r.end);
    summary.textContent = rows.length ? rows.map((r) => t.formatClockRange(r.start, r.end)).join(", ") : tr("hours.closed");
  };
  const add = (interval) => list.append(intervalRow(day, interval, update));
  intervals.forEach(add);
  const addButton = h("button", { type: "button", class: "small", text: tr("hours.add"), "aria-label": tr("hours.add_on", { day: dayName(day) }),
    onclick: () => {
      // After the day's last block, an hour long; on an empty day, 9 to 5.
      const last = rowsOf(fieldset).pop();
      const after = last && /^\d\d:\d\d$/.test(last.end) && last.end < "23:00";
      const next = after ? `${String(Number(last.end.slice(0, 2)) + 1).padStart(2, "0")}:${last.end.slice(3)}` : "";
      add(after ? { start: last.end, end: next } : { start: "09:00", end: "17:00" });
      list.lastElementChild.querySelector("input").focus();
      update();
    } });
  const copy = h("button", { type: "button", class: "small", text: tr("hours.copy"), "aria-label": tr("hours.copy_from", { day: dayName(day) }),
    onclick: () => copyToWorkdays(fieldset) });
  fieldset.append(h("legend", { text: dayName(day) }), summary, list, h("p", { class: "actions" }, addButton, copy));
  fieldset.refill = (rows) => {
    replace(list);
    rows.forEach(add);
    update();
  };
  update();
  return fieldset;
}

function copyToWorkdays(from) {
  const rows = rowsOf(from);
  const form = from.closest("form");
  for (const fieldset of form.querySelectorAll("fieldset[data-day]")) {
    if (fieldset !== from && WORKDAYS.includes(fieldset.dataset.day)) fieldset.refill(rows);
  }
  flash(tr("hours.copied", { day: dayName(from.dataset.day) }));
}

// One fieldset per weekday holding ``weekly``'s intervals (``suggest``: a first week when empty).
export function weekFieldsets(weekly, suggest = false) {
  const empty = weekly.length === 0;
  return t.WEEKDAYS.map((day) => dayFieldset(day, empty && suggest
    ? (WORKDAYS.includes(day) ? SUGGESTED : [])
    : weekly.filter((w) => w.day === day)));
}

// The week a form's day fieldsets hold, as PUT /availability takes it, and each interval's row
// (a 422's "weekly.3" names the fourth).
export function readWeek(form) {
  const weekly = [];
  const inputs = [];
  for (const fieldset of form.querySelectorAll("fieldset[data-day]")) {
    for (const row of fieldset.querySelectorAll(".interval")) {
      inputs.push(row);
      weekly.push({ day: fieldset.dataset.day, start: row.querySelector('[data-part="start"]').value, end: sent(row.querySelector('[data-part="end"]').value) });
    }
  }
  // "weekly.3" or "weekly.3.end": the fourth block sent, at its start (or named) field.
  const fieldFor = (name) => {
    const [, index, part] = name.split(".");
    const row = inputs[Number(index)];
    return row ? row.querySelector(`[data-part="${part === "end" ? "end" : "start"}"]`) : name;
  };
  return { weekly, fieldFor };
}

function weeklyForm(availability, ctx) {
  const error = h("div", { class: "notice", role: "alert" });
  const empty = availability.weekly.length === 0;
  const days = weekFieldsets(availability.weekly, true);
  const form = h("form", { id: "weekly-form", novalidate: true },
    field("hours-zone", tr("common.time_zone"), zoneSelect("timezone", availability.timezone || ctx.me.timezone)),
    empty ? h("p", { class: "notice", id: "suggested", text: tr("hours.suggested") }) : null,
    h("div", { class: "week-hours" }, days),
    error,
    h("button", { type: "submit", class: "primary", text: tr("hours.save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const { weekly, fieldFor } = readWeek(form);
    try {
      const saved = await api("/availability", { method: "PUT", body: { timezone: formValues(form).timezone, weekly } });
      ctx.me.timezone = saved.timezone || ctx.me.timezone;
      say(error, "");
      const suggested = form.querySelector("#suggested");
      if (suggested) suggested.remove();
      flash(tr("hours.saved"));
    } catch (err) {
      showErrors(form, error, err, fieldFor);
    }
  });
  return h("section", { "aria-labelledby": "weekly-title" },
    h("h2", { id: "weekly-title", text: tr("hours.weekly") }),
    h("p", { class: "hint", text: tr("hours.weekly_hint") }),
    form);
}

function addOverride(todayKey, redraw) {
  const start = h("input", { name: "start", type: "time", value: "09:00" });
  const end = h("input", { name: "end", type: "time", value: "13:00" });
  const closed = h("input", { type: "checkbox", id: "override-closed", name: "closed",
    onchange: () => { start.disabled = closed.checked; end.disabled = closed.checked; } });
  dialog(tr("hours.date_title"),
    [field("override-date", tr("hours.date"), h("input", { name: "date", type: "date", required: true, min: todayKey, value: todayKey })),
      h("div", { class: "field" }, h("label", { class: "check", for: "override-closed" }, closed, tr("hours.closed_all_day"))),
      h("div", { class: "cols" }, field("override-start", tr("hours.from"), start), field("override-end", tr("hours.until"), end))],
    tr("hours.save_date"),
    async (values) => {
      const intervals = closed.checked ? [] : [{ start: values.start, end: sent(values.end) }];
      await api(`/availability/overrides/${values.date}`, { method: "PUT", body: { intervals } });
      flash(tr("hours.date_saved", { day: t.formatDay(values.date) }));
      await redraw();
    },
    { fieldFor: (name) => (name.startsWith("intervals") ? (name.endsWith(".end") ? "end" : "start") : name) });
}

async function removeOverride(override, redraw) {
  try {
    await api(`/availability/overrides/${override.date}`, { method: "DELETE" });
    flash(tr("hours.date_removed", { day: t.formatDay(override.date) }));
  } catch (error) {
    flash(errorText(error), "error");
  }
  await redraw();
}
