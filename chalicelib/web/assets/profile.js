// The profile and the booking policy.

import { api, ApiError, errorText } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import { shareLink } from "./share.js";
import { field, flash, zoneSelect } from "./ui.js";

const NUMBERS = ["min_notice_minutes", "max_advance_days", "slot_interval_minutes", "cancellation_notice_minutes"];

export async function render(view, ctx) {
  const me = ctx.me;
  const number = (name, min, max, step = 1) => h("input", { name, type: "number", min, max, step, required: true, value: me[name] });
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { id: "profile-form" },
    h("div", { class: "cols" },
      field("profile-name", "Name your clients see", h("input", { name: "name", required: true, maxlength: 100, value: me.name })),
      field("profile-zone", "Time zone", zoneSelect("timezone", me.timezone))),
    field("profile-slug", "Booking page address", h("input", { name: "slug", required: true, pattern: "[a-z0-9\\-]{3,40}", value: me.slug || "" }),
      "Changing it frees the old address: links you shared stop working."),
    h("div", { class: "cols" },
      field("profile-notice", "Minimum notice (minutes)", number("min_notice_minutes", 0, 43200)),
      field("profile-advance", "Book at most this many days ahead", number("max_advance_days", 1, 730)),
      field("profile-interval", "Start times every (minutes)", number("slot_interval_minutes", 5, 240, 5)),
      field("profile-cancel", "Clients may cancel or move until (minutes before)", number("cancellation_notice_minutes", 0, 43200))),
    field("profile-reminders", "Reminders (minutes before, comma-separated)",
      h("input", { name: "reminder_offsets_minutes", value: (me.reminder_offsets_minutes || []).join(", ") })),
    h("label", { class: "check" },
      h("input", { name: "booking_challenge", type: "checkbox", checked: Boolean(me.booking_challenge) }),
      " Ask for an automatic check before each booking (a second or two in the visitor's browser; stops scripted floods)"),
    error,
    h("button", { type: "submit", class: "primary", text: "Save profile" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const v = formValues(form);
    const body = { name: v.name, timezone: v.timezone, slug: v.slug };
    for (const name of NUMBERS) body[name] = Number(v[name]);
    body.reminder_offsets_minutes = v.reminder_offsets_minutes.split(/[\s,]+/).filter(Boolean).map(Number);
    body.booking_challenge = v.booking_challenge;
    for (const key of Object.keys(body)) {
      if (JSON.stringify(body[key]) === JSON.stringify(me[key])) delete body[key];
    }
    try {
      ctx.me = await api("/me", { method: "PATCH", body });
      say(error, "");
      flash("Profile saved.");
      await render(view, ctx);
    } catch (err) {
      if (err instanceof ApiError && err.code === "slug_taken") {
        showFieldErrors(form, [{ field: "slug", message: "Someone already has this address. Try another." }]);
      } else if (!(err instanceof ApiError && showFieldErrors(form, err.details))) {
        say(error, errorText(err), "error");
      }
    }
  });
  replace(view,
    h("h1", { text: "Profile" }),
    h("section", {}, h("h2", { text: "Your booking page" }), shareLink(me.slug)),
    h("section", {}, h("h2", { text: "Details and booking rules" }), form));
}
