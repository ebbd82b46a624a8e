// Calendars: the provider's own calendars whose busy times close slots (an ICS address or a
// CalDAV calendar), each with how its last read went; and the secret feed of appointments to
// subscribe to from any calendar app.

import { api, errorText } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";
import { dialog, field, flash, showErrors } from "./ui.js";

export async function render(view, ctx) {
  const [calendars, feed] = await Promise.all([api("/calendars"), api("/me/calendar-feed")]);
  const redraw = () => render(view, ctx);
  replace(view,
    h("h1", { text: tr("nav.calendars") }),
    h("section", { "aria-labelledby": "connected-title" },
      h("h2", { id: "connected-title", text: tr("calendars.connected") }),
      h("p", { class: "hint", text: tr("calendars.connected_hint") }),
      calendars.items.length
        ? h("ul", { class: "rows", id: "calendar-list" }, calendars.items.map((c) => row(c, ctx, redraw)))
        : h("p", { id: "calendar-list", text: tr("calendars.none") })),
    connectForm(redraw),
    feedSection(feed, redraw),
    help());
}

function statusText(c, zone) {
  if (c.status === "pending") return tr("calendars.status_pending");
  const synced = c.last_synced_at ? tr("calendars.synced", { when: t.formatWhen(c.last_synced_at, zone), count: c.busy_count }) : "";
  if (c.status === "error") return [tr("calendars.status_error"), synced].filter(Boolean).join(" · ");
  return synced || tr("calendars.status_ok");
}

function row(c, ctx, redraw) {
  const zone = ctx.me.timezone;
  const status = h("p", { class: "hint", "data-part": "status", text: statusText(c, zone) });
  const error = c.error ? h("p", { class: "field-error", "data-part": "error", text: tr("calendars.last_error", { error: c.error }) }) : null;
  const kind = c.type === "caldav" ? tr(c.write ? "calendars.caldav_write" : "calendars.caldav") : tr("calendars.ics");
  return h("li", { class: "row", "data-calendar": c.id, "data-status": c.status },
    h("div", {},
      h("p", { class: "row-title", text: `${kind} · ${c.url}` }),
      status,
      error),
    h("p", { class: "actions" },
      h("button", {
        type: "button", text: tr("calendars.refresh"), "aria-label": `${tr("calendars.refresh")} · ${c.url}`,
        onclick: async (event) => {
          event.target.disabled = true;
          try {
            await api(`/calendars/${encodeURIComponent(c.id)}/refresh`, { method: "POST" });
            flash(tr("calendars.refreshed"));
            await redraw();
          } catch (err) {
            flash(errorText(err), "error");
            event.target.disabled = false;
          }
        },
      }),
      h("button", {
        type: "button", class: "danger", text: tr("common.remove"), "aria-label": `${tr("common.remove")} · ${c.url}`,
        onclick: () => dialog(tr("calendars.remove_confirm", { url: c.url }), h("p", { text: tr("calendars.remove_hint") }),
          tr("calendars.remove_button"), async () => {
            await api(`/calendars/${encodeURIComponent(c.id)}`, { method: "DELETE" });
            flash(tr("calendars.removed"));
            await redraw();
          }, { danger: true }),
      })));
}

function connectForm(redraw) {
  const type = h("select", { name: "type" },
    h("option", { value: "ics", text: tr("calendars.ics") }),
    h("option", { value: "caldav", text: tr("calendars.caldav") }));
  const caldavOnly = h("div", { class: "caldav-only", hidden: true },
    field("cal-username", tr("calendars.username"), h("input", { name: "username", maxlength: 200, autocomplete: "off" })),
    field("cal-password", tr("calendars.password"), h("input", { name: "password", type: "password", maxlength: 500, autocomplete: "new-password" }), tr("calendars.password_hint")),
    h("div", { class: "field check" },
      h("input", { id: "cal-write", name: "write", type: "checkbox" }),
      h("label", { for: "cal-write", text: tr("calendars.write") })));
  const urlHint = h("p", { class: "hint", id: "cal-url-hint", text: tr("calendars.url_hint_ics") });
  const urlInput = h("input", { id: "cal-url", name: "url", type: "url", required: true, maxlength: 2048, autocomplete: "off", "aria-describedby": "cal-url-hint" });
  type.addEventListener("change", () => {
    caldavOnly.hidden = type.value !== "caldav";
    urlHint.textContent = tr(type.value === "caldav" ? "calendars.url_hint_caldav" : "calendars.url_hint_ics");
  });
  const box = h("div", { class: "notice", role: "alert" });
  const form = h("form", { id: "connect-calendar", novalidate: true },
    field("cal-type", tr("calendars.type"), type),
    h("div", { class: "field" }, h("label", { for: "cal-url", text: tr("calendars.url") }), urlInput, urlHint),
    caldavOnly,
    box,
    h("button", { type: "submit", class: "primary", text: tr("calendars.connect") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    clearFieldErrors(form);
    say(box, "");
    const values = formValues(form);
    const body = { type: values.type, url: values.url };
    if (values.type === "caldav") Object.assign(body, { username: values.username || null, password: values.password || null, write: values.write });
    button.disabled = true;
    try {
      await api("/calendars", { method: "POST", body });
      flash(tr("calendars.connected_done"));
      await redraw();
    } catch (err) {
      showErrors(form, box, err);
    } finally {
      button.disabled = false;
    }
  });
  return h("section", { "aria-labelledby": "connect-title" }, h("h2", { id: "connect-title", text: tr("calendars.connect_title") }), form);
}

function feedSection(feed, redraw) {
  const address = h("input", { id: "feed-url", readonly: true, value: feed.url, "aria-describedby": "feed-hint" });
  const copied = h("p", { class: "hint", id: "feed-copied", role: "status", "aria-live": "polite" });
  return h("section", { "aria-labelledby": "feed-title" },
    h("h2", { id: "feed-title", text: tr("calendars.feed_title") }),
    h("p", { class: "hint", id: "feed-hint", text: tr("calendars.feed_hint", { past: feed.window_past_days, future: feed.window_future_days }) }),
    h("div", { class: "field" }, h("label", { for: "feed-url", text: tr("calendars.feed_url") }), address),
    h("p", { class: "actions" },
      h("button", { type: "button", id: "copy-feed", text: tr("common.copy"), onclick: () => copy(address, copied) }),
      h("button", {
        type: "button", class: "danger", id: "rotate-feed", text: tr("calendars.rotate"),
        onclick: () => dialog(tr("calendars.rotate_confirm"), h("p", { text: tr("calendars.rotate_hint") }), tr("calendars.rotate_button"), async () => {
          await api("/me/calendar-feed/rotate", { method: "POST" });
          flash(tr("calendars.rotated"));
          await redraw();
        }, { danger: true }),
      })),
    copied);
}

// Copies an input's text; where the browser refuses the clipboard, the text is selected instead.
export async function copy(input, region) {
  try {
    await navigator.clipboard.writeText(input.value);
    say(region, tr("common.copied"));
  } catch {
    input.select();
    say(region, tr("common.copy_select"));
  }
}

function help() {
  const steps = (key) => h("ol", {}, tr(key).split("\n").map((s) => h("li", { text: s })));
  return h("section", { "aria-labelledby": "help-title" },
    h("h2", { id: "help-title", text: tr("calendars.help_title") }),
    h("h3", { text: "Google Calendar" }), steps("calendars.help_google"),
    h("h3", { text: "Outlook" }), steps("calendars.help_outlook"),
    h("h3", { text: "iCloud" }), steps("calendars.help_icloud"));
}
