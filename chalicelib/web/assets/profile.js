// The profile and the booking policy. The API counts minutes; the form speaks in minutes, hours
// or days (2 hours, not 120; 30 days, not 43200), each rule with its range beside it.

import { api, ApiError } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import { tr } from "./i18n.js";
import { brandPanel } from "./brandform.js";
import { embedPanel } from "./embedform.js";
import { shareLink } from "./share.js";
import { field, flash, showErrors, zoneSelect } from "./ui.js";

const UNITS = { minutes: 1, hours: 60, days: 1440 };
const REMINDERS = 3;

// The largest unit that says `minutes` in whole numbers: 120 -> [2, "hours"], 90 -> [90, "minutes"].
export function inUnits(minutes) {
  if (minutes && minutes % 1440 === 0) return [minutes / 1440, "days"];
  if (minutes && minutes % 60 === 0) return [minutes / 60, "hours"];
  return [minutes, "minutes"];
}

function unitField(id, label, name, minutes, hint) {
  const [amount, unit] = minutes === null ? ["", "hours"] : inUnits(minutes);
  const number = h("input", { id, name, type: "number", min: 0, step: "any", inputmode: "decimal", value: amount, class: "amount" });
  const select = h("select", { name: `${name}__unit`, "aria-label": tr("profile.unit_of", { what: label }) },
    Object.keys(UNITS).map((u) => h("option", { value: u, selected: u === unit, text: tr(`unit.${u}`) })));
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint`, text: hint }) : null;
  if (hintEl) number.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id, text: label }), h("div", { class: "unit-field" }, number, select), hintEl);
}

// The minutes a unit field holds; null when blank, NaN when it is not a whole number of minutes.
function minutesOf(values, name) {
  if (values[name] === "") return null;
  const amount = Number(values[name].replace(",", "."));
  const minutes = amount * UNITS[values[`${name}__unit`]];
  return Number.isFinite(minutes) && Math.abs(minutes - Math.round(minutes)) < 1e-9 ? Math.round(minutes) : Number.NaN;
}

function rules(me) {
  const offsets = me.reminder_offsets_minutes || [];
  return h("fieldset", { class: "rules" }, h("legend", { text: tr("profile.rules") }),
    h("div", { class: "cols" },
      unitField("profile-notice", tr("profile.min_notice"), "min_notice_minutes", me.min_notice_minutes, tr("profile.min_notice_hint")),
      unitField("profile-cancel", tr("profile.cancel_notice"), "cancellation_notice_minutes", me.cancellation_notice_minutes, tr("profile.cancel_notice_hint")),
      field("profile-advance", tr("profile.advance"), h("input", { name: "max_advance_days", type: "number", min: 1, max: 730, value: me.max_advance_days }), tr("profile.advance_hint")),
      field("profile-interval", tr("profile.interval"), h("input", { name: "slot_interval_minutes", type: "number", min: 5, max: 240, step: 5, value: me.slot_interval_minutes }), tr("profile.interval_hint")),
      field("profile-grace", tr("profile.grace"), h("input", { name: "change_grace_minutes", type: "number", min: 0, max: 60, value: me.change_grace_minutes ?? 10 }), tr("profile.grace_hint")),
      field("profile-expires", tr("profile.expires"), h("input", { name: "approval_expires_hours", type: "number", min: 1, max: 720, value: me.approval_expires_hours ?? "" }), tr("profile.expires_hint"))),
    h("fieldset", { class: "reminders" }, h("legend", { text: tr("profile.reminders") }),
      h("p", { class: "hint", text: tr("profile.reminders_hint") }),
      h("div", { class: "cols" }, Array.from({ length: REMINDERS }, (_, i) =>
        unitField(`profile-reminder-${i}`, tr("profile.reminder_n", { n: i + 1 }), `reminder_${i}`, offsets[i] ?? null)))),
    h("label", { class: "check" },
      h("input", { name: "booking_challenge", type: "checkbox", checked: Boolean(me.booking_challenge) }),
      " ", tr("profile.challenge")));
}

// The PATCH body (only what changed) and which reminder field each sent offset came from.
function bodyOf(v, me) {
  const body = { name: v.name, timezone: v.timezone, slug: v.slug };
  body.min_notice_minutes = minutesOf(v, "min_notice_minutes");
  body.cancellation_notice_minutes = minutesOf(v, "cancellation_notice_minutes");
  body.max_advance_days = Number(v.max_advance_days);
  body.slot_interval_minutes = Number(v.slot_interval_minutes);
  body.change_grace_minutes = Number(v.change_grace_minutes);
  body.approval_expires_hours = v.approval_expires_hours === "" ? null : Number(v.approval_expires_hours); // blank: no expiry
  const reminders = Array.from({ length: REMINDERS }, (_, i) => [i, minutesOf(v, `reminder_${i}`)]).filter(([, m]) => m !== null);
  body.reminder_offsets_minutes = reminders.map(([, m]) => m);
  body.booking_challenge = v.booking_challenge;
  for (const key of Object.keys(body)) {
    if (JSON.stringify(body[key]) === JSON.stringify(me[key])) delete body[key];
  }
  return [body, reminders.map(([i]) => i)];
}

// The fields the page itself refuses before asking: numbers that are not whole minutes.
function ownProblems(body, reminderFields) {
  const problems = [];
  for (const name of ["min_notice_minutes", "cancellation_notice_minutes"]) {
    if (Number.isNaN(body[name]) || body[name] === null) problems.push({ field: name, message: tr("profile.whole_minutes") });
  }
  (body.reminder_offsets_minutes || []).forEach((m, i) => {
    if (Number.isNaN(m)) problems.push({ field: `reminder_${reminderFields[i]}`, message: tr("profile.whole_minutes") });
  });
  return problems;
}

export async function render(view, ctx) {
  const me = ctx.me;
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { id: "profile-form", novalidate: true },
    h("div", { class: "cols" },
      field("profile-name", tr("dash.public_name"), h("input", { name: "name", required: true, maxlength: 100, value: me.name })),
      field("profile-zone", tr("common.time_zone"), zoneSelect("timezone", me.timezone))),
    field("profile-slug", tr("dash.slug"), h("input", { name: "slug", required: true, maxlength: 40, value: me.slug || "" }), tr("profile.slug_hint")),
    rules(me),
    error,
    h("button", { type: "submit", class: "primary", text: tr("profile.save") }));
  let reminderFields = [];
  // "reminder_offsets_minutes.1" is the second reminder sent; the list as a whole, the first field.
  const fieldFor = (name) => (name.startsWith("reminder_offsets_minutes") ? `reminder_${reminderFields[Number(name.split(".")[1] || 0)] ?? 0}` : name);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    say(error, "");
    const [body, fields] = bodyOf(formValues(form), me);
    reminderFields = fields;
    const problems = ownProblems(body, fields);
    if (problems.length) {
      showFieldErrors(form, problems);
      return say(error, tr("common.check_fields"), "error");
    }
    try {
      ctx.me = await api("/me", { method: "PATCH", body });
      flash(tr("profile.saved"));
      await render(view, ctx);
    } catch (err) {
      if (err instanceof ApiError && err.code === "slug_taken") {
        showFieldErrors(form, [{ field: "slug", message: tr("dash.slug_taken") }]);
      } else {
        showErrors(form, error, err, fieldFor);
      }
    }
  });
  replace(view,
    h("h1", { text: tr("nav.profile") }),
    h("section", { "aria-labelledby": "page-title" }, h("h2", { id: "page-title", text: tr("profile.page") }), shareLink(me.slug)),
    me.slug ? embedPanel(ctx) : null,
    h("section", { "aria-labelledby": "details-title" }, h("h2", { id: "details-title", text: tr("profile.details") }), form),
    brandPanel(ctx));
}
