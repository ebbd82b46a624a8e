// Weekly hours (wall-clock times in the provider's zone) and date overrides.

import { all, api, errorText } from "./api.js";
import { formValues, h, replace, say } from "./dom.js";
import * as t from "./time.js";
import { dialog, field, flash, zoneSelect } from "./ui.js";

export async function render(view, ctx) {
  const zone = ctx.me.timezone;
  const todayKey = t.today(zone);
  const [availability, overrides] = await Promise.all([
    api("/availability"),
    all("/availability/overrides", { from: todayKey, to: t.addDays(todayKey, 365) }),
  ]);
  const redraw = () => render(view, ctx);
  replace(view,
    h("h1", { text: "Hours" }),
    weeklyForm(availability, ctx),
    h("section", { "aria-labelledby": "overrides-title" },
      h("h2", { id: "overrides-title", text: "Days that differ" }),
      h("p", { class: "hint", text: "Holidays, short days or extra days: a date here replaces its weekly hours." }),
      overrides.length
        ? h("ul", { class: "rows" }, overrides.map((o) => h("li", { class: "row" },
          h("p", {}, h("strong", { text: t.formatDay(o.date) }), " ",
            o.intervals.length ? o.intervals.map((i) => `${i.start}–${i.end}`).join(", ") : "Closed"),
          h("button", { type: "button", class: "small danger", "aria-label": `Remove ${t.formatDay(o.date)}`, text: "Remove",
            onclick: () => removeOverride(o, redraw) }))))
        : h("p", { text: "None yet." }),
      h("button", { type: "button", text: "Add a date", onclick: () => addOverride(todayKey, redraw) })));
}

function intervalRow(day, interval, index) {
  const label = (what) => `${t.weekdayName(t.WEEKDAYS.indexOf(day))} ${what} ${index + 1}`;
  const row = h("div", { class: "interval" },
    h("input", { type: "time", "data-part": "start", value: interval.start, "aria-label": label("from"), required: true }),
    h("span", { "aria-hidden": "true", text: "to" }),
    h("input", { type: "time", "data-part": "end", value: interval.end === "24:00" ? "23:59" : interval.end, "aria-label": label("until"), required: true }),
    h("button", { type: "button", class: "small link", text: "Remove", "aria-label": `Remove ${label("hours")}`, onclick: () => row.remove() }));
  return row;
}

function weeklyForm(availability, ctx) {
  const error = h("div", { class: "notice", role: "alert" });
  const days = t.WEEKDAYS.map((day, index) => {
    const list = h("div", { class: "intervals" },
      availability.weekly.filter((w) => w.day === day).map((w, i) => intervalRow(day, w, i)));
    return h("fieldset", { class: "weekday", "data-day": day },
      h("legend", { text: t.weekdayName(index) }),
      list,
      h("button", { type: "button", class: "small", text: "Add hours", "aria-label": `Add hours on ${t.weekdayName(index)}`,
        onclick: () => {
          const row = intervalRow(day, { start: "09:00", end: "17:00" }, list.children.length);
          list.append(row);
          row.querySelector("input").focus();
        } }));
  });
  const form = h("form", { id: "weekly-form" },
    field("hours-zone", "Time zone", zoneSelect("timezone", availability.timezone || ctx.me.timezone)),
    h("div", { class: "week-hours" }, days),
    error,
    h("button", { type: "submit", class: "primary", text: "Save weekly hours" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const weekly = [];
    for (const fieldset of form.querySelectorAll("fieldset[data-day]")) {
      for (const row of fieldset.querySelectorAll(".interval")) {
        const end = row.querySelector('[data-part="end"]').value;
        weekly.push({ day: fieldset.dataset.day, start: row.querySelector('[data-part="start"]').value, end: end === "23:59" ? "24:00" : end });
      }
    }
    try {
      const saved = await api("/availability", { method: "PUT", body: { timezone: formValues(form).timezone, weekly } });
      ctx.me.timezone = saved.timezone || ctx.me.timezone;
      say(error, "");
      flash("Weekly hours saved.");
    } catch (err) {
      say(error, errorText(err), "error");
    }
  });
  return h("section", { "aria-labelledby": "weekly-title" },
    h("h2", { id: "weekly-title", text: "Weekly hours" }),
    h("p", { class: "hint", text: "Several blocks a day are fine (e.g. a lunch break); they must not overlap. Until 23:59 means until midnight." }),
    form);
}

function addOverride(todayKey, redraw) {
  dialog("Hours for one date",
    [field("override-date", "Date", h("input", { name: "date", type: "date", required: true, min: todayKey, value: todayKey })),
      h("div", { class: "field" }, h("label", { class: "check", for: "override-closed" },
        h("input", { type: "checkbox", id: "override-closed", name: "closed" }), "Closed all day")),
      h("div", { class: "cols" },
        field("override-start", "From", h("input", { name: "start", type: "time", value: "09:00" })),
        field("override-end", "Until", h("input", { name: "end", type: "time", value: "13:00" })))],
    "Save date",
    async (values) => {
      const intervals = values.closed ? [] : [{ start: values.start, end: values.end === "23:59" ? "24:00" : values.end }];
      await api(`/availability/overrides/${values.date}`, { method: "PUT", body: { intervals } });
      flash(`Saved ${t.formatDay(values.date)}.`);
      await redraw();
    });
}

async function removeOverride(override, redraw) {
  try {
    await api(`/availability/overrides/${override.date}`, { method: "DELETE" });
    flash(`${t.formatDay(override.date)} follows the weekly hours again.`);
  } catch (error) {
    flash(errorText(error), "error");
  }
  await redraw();
}
