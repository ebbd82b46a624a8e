// Integrations: API keys (each key shown once), webhook endpoints (the signing secret shown once,
// a test send, a new secret, the delivery log with a retry, removal) and CSV exports.

import { api, errorText, file } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";
import { copy } from "./calendars.js";
import { dialog, field, flash, showErrors } from "./ui.js";

const EVENTS = ["booking.created", "booking.confirmed", "booking.declined", "booking.rescheduled",
  "booking.cancelled", "booking.completed", "booking.no_show", "client.erased"];

export async function render(view, ctx) {
  const [keys, hooks] = await Promise.all([api("/api-keys"), api("/webhooks")]);
  const redraw = () => render(view, ctx);
  replace(view,
    h("h1", { text: tr("nav.integrations") }),
    h("div", { id: "once", "aria-live": "polite" }),
    keysSection(keys.items, ctx, redraw),
    hooksSection(hooks.items, ctx, redraw),
    exportsSection(ctx));
}

// A secret the API answers only once: shown with a copy button and a warning until dismissed.
function showOnce(title, value) {
  const input = h("input", { id: "once-value", readonly: true, value, "aria-describedby": "once-warning" });
  const region = h("p", { class: "hint", id: "once-copied", role: "status" });
  const box = h("section", { class: "notice once", "aria-labelledby": "once-title" },
    h("h2", { id: "once-title", text: title }),
    h("p", { id: "once-warning", text: tr("integrations.once_warning") }),
    h("div", { class: "field" }, h("label", { for: "once-value", text: tr("integrations.once_label") }), input),
    h("p", { class: "actions" },
      h("button", { type: "button", id: "copy-once", text: tr("common.copy"), onclick: () => copy(input, region) }),
      h("button", { type: "button", class: "link", text: tr("integrations.once_done"), onclick: () => box.remove() })),
    region);
  const slot = document.getElementById("once");
  replace(slot, box);
  input.focus();
  input.select();
}

function when(instant, zone) {
  return instant ? t.formatWhen(instant, zone) : tr("integrations.never");
}

function keysSection(items, ctx, redraw) {
  const zone = ctx.me.timezone;
  const list = items.length
    ? h("ul", { class: "rows", id: "key-list" }, items.map((k) => h("li", { class: "row", "data-key": k.id },
      h("div", {},
        h("p", { class: "row-title", text: `${k.name} · ${k.prefix}…` }),
        h("p", { class: "hint", text: tr("integrations.key_facts", {
          scopes: k.scopes.map((s) => tr(`integrations.scope_${s}`)).join(", "),
          created: t.formatWhen(k.created_at, zone), used: when(k.last_used_at, zone),
        }) })),
      h("button", {
        type: "button", class: "danger", text: tr("integrations.revoke"), "aria-label": `${tr("integrations.revoke")} · ${k.name}`,
        onclick: () => dialog(tr("integrations.revoke_confirm", { name: k.name }), h("p", { text: tr("integrations.revoke_hint") }),
          tr("integrations.revoke_button"), async () => {
            await api(`/api-keys/${encodeURIComponent(k.id)}`, { method: "DELETE" });
            flash(tr("integrations.revoked"));
            await redraw();
          }, { danger: true }),
      }))))
    : h("p", { id: "key-list", text: tr("integrations.no_keys") });
  const add = h("button", {
    type: "button", id: "new-key", class: "primary", text: tr("integrations.new_key"),
    onclick: () => dialog(tr("integrations.new_key"), [
      field("key-name", tr("field.name"), h("input", { name: "name", required: true, maxlength: 100 }), tr("integrations.key_name_hint")),
      h("fieldset", { id: "key-scopes" },
        h("legend", { text: tr("integrations.scopes") }),
        h("div", { class: "check" }, h("input", { id: "scope-read", type: "radio", name: "scope", value: "read", checked: true }),
          h("label", { for: "scope-read", text: tr("integrations.scope_read_only") })),
        h("div", { class: "check" }, h("input", { id: "scope-write", type: "radio", name: "scope", value: "write" }),
          h("label", { for: "scope-write", text: tr("integrations.scope_read_write") })))],
    tr("integrations.create_key"), async (values, form) => {
      const scope = form.querySelector("input[name=scope]:checked");
      const scopes = scope && scope.value === "write" ? ["read", "write"] : ["read"];
      const created = await api("/api-keys", { method: "POST", body: { name: values.name, scopes } });
      await redraw();
      showOnce(tr("integrations.key_once", { name: created.name }), created.key);
    }, { fieldFor: (name) => (name === "scopes" ? document.getElementById("scope-read") : name) }),
  });
  return h("section", { "aria-labelledby": "keys-title" },
    h("div", { class: "view-head" }, h("h2", { id: "keys-title", text: tr("integrations.keys") }), add),
    h("p", { class: "hint", text: tr("integrations.keys_hint") }),
    list);
}

function eventBoxes(chosen) {
  return h("fieldset", { id: "hook-events" },
    h("legend", { text: tr("integrations.events") }),
    EVENTS.map((e, i) => h("div", { class: "check" },
      h("input", { id: `event-${i}`, type: "checkbox", name: `event:${e}`, checked: chosen.includes(e) }),
      h("label", { for: `event-${i}`, text: tr(`integrations.event.${e}`) }))));
}

function hooksSection(items, ctx, redraw) {
  const list = items.length
    ? h("ul", { class: "rows", id: "hook-list" }, items.map((w) => hookRow(w, ctx, redraw)))
    : h("p", { id: "hook-list", text: tr("integrations.no_hooks") });
  const add = h("button", {
    type: "button", id: "new-hook", class: "primary", text: tr("integrations.new_hook"),
    onclick: () => dialog(tr("integrations.new_hook"), [
      field("hook-url", tr("integrations.hook_url"), h("input", { name: "url", type: "url", required: true, maxlength: 2048 }), tr("integrations.hook_url_hint")),
      eventBoxes(["booking.created"]),
      field("hook-description", tr("integrations.description"), h("input", { name: "description", maxlength: 200 }))],
    tr("integrations.add_hook"), async (values) => {
      const events = EVENTS.filter((e) => values[`event:${e}`]);
      const created = await api("/webhooks", { method: "POST", body: { url: values.url, events, description: values.description } });
      await redraw();
      showOnce(tr("integrations.secret_once", { url: created.url }), created.secret);
    }, { wide: true, fieldFor: (name) => (name === "events" ? document.getElementById("event-0") : name) }),
  });
  return h("section", { "aria-labelledby": "hooks-title" },
    h("div", { class: "view-head" }, h("h2", { id: "hooks-title", text: tr("integrations.hooks") }), add),
    h("p", { class: "hint", text: tr("integrations.hooks_hint") }),
    list);
}

// The endpoint's last attempts, newest first; the latest attempt of each delivery can be sent again.
async function showDeliveries(w, ctx, region) {
  const { items } = await api(`/webhooks/${encodeURIComponent(w.id)}/deliveries`);
  if (!items.length) {
    replace(region, h("p", { class: "hint", text: tr("integrations.no_deliveries") }));
    return;
  }
  const said = h("p", { class: "hint", "data-part": "retry-result", role: "status" });
  const seen = new Set();
  const rows = items.map((d) => {
    const latest = !seen.has(d.id);
    seen.add(d.id);
    const code = d.response_code === null ? tr("integrations.no_code") : String(d.response_code);
    const facts = tr("integrations.delivery_facts", {
      event: tr(`integrations.event.${d.event_type}`), attempt: d.attempt, code,
      when: t.formatWhen(d.at, ctx.me.timezone), ms: Math.round(d.duration_ms),
    });
    return h("li", { class: "row", "data-delivery": d.id, "data-attempt": String(d.attempt) },
      h("div", {},
        h("p", { class: "row-title", text: tr(`integrations.status.${d.status}`) }),
        h("p", { class: "hint", text: facts }),
        d.response_body ? h("p", { class: "hint excerpt", text: d.response_body.slice(0, 200) }) : null),
      latest ? h("p", { class: "actions" }, h("button", {
        type: "button", text: tr("integrations.retry"),
        "aria-label": `${tr("integrations.retry")} · ${tr(`integrations.event.${d.event_type}`)} · ${d.attempt}`,
        onclick: async (event) => {
          event.target.disabled = true;
          try {
            const r = await api(`/webhooks/${encodeURIComponent(w.id)}/deliveries/${encodeURIComponent(d.id)}/retry`, { method: "POST" });
            const answer = r.response_code === null ? tr("integrations.no_code") : String(r.response_code);
            await showDeliveries(w, ctx, region);
            say(region.querySelector('[data-part="retry-result"]'), tr("integrations.retried", { code: answer }), r.status === "delivered" ? "status" : "error");
          } catch (err) {
            event.target.disabled = false;
            say(said, errorText(err), "error");
          }
        },
      })) : null);
  });
  replace(region, said, h("ul", { class: "rows", "aria-label": tr("integrations.deliveries_of", { url: w.url }) }, rows));
}

// Whether the endpoint is on, and since when it has been failing (retried automatically meanwhile).
function health(w, zone) {
  if (!w.enabled) {
    const key = w.disabled_reason === "failing" ? "integrations.off_failing" : "integrations.off_by_you";
    return h("p", { class: "notice error", "data-part": "health", text: tr(key, { when: t.formatWhen(w.disabled_at, zone) }) });
  }
  if (w.failing_since) {
    return h("p", { class: "hint", "data-part": "health", text: tr("integrations.failing_since", { when: t.formatWhen(w.failing_since, zone) }) });
  }
  return null;
}

function hookRow(w, ctx, redraw) {
  const result = h("p", { class: "hint", "data-part": "test-result", role: "status" });
  const log = h("div", { "data-part": "deliveries", id: `deliveries-${w.id}`, hidden: true });
  const named = (label) => `${label} · ${w.url}`;
  return h("li", { class: "row", "data-hook": w.id },
    h("div", {},
      h("p", { class: "row-title", text: w.url }),
      w.description ? h("p", { text: w.description }) : null,
      h("p", { class: "hint", text: w.events.map((e) => tr(`integrations.event.${e}`)).join(", ") }),
      w.previous_secret_until ? h("p", { class: "hint", text: tr("integrations.old_secret_until", { when: t.formatWhen(w.previous_secret_until, ctx.me.timezone) }) }) : null,
      health(w, ctx.me.timezone),
      result,
      log),
    h("p", { class: "actions" },
      h("button", {
        type: "button", text: tr("integrations.deliveries"), "aria-label": named(tr("integrations.deliveries")),
        "aria-expanded": "false", "aria-controls": `deliveries-${w.id}`,
        onclick: async (event) => {
          const button = event.currentTarget;
          const open = button.getAttribute("aria-expanded") !== "true";
          button.setAttribute("aria-expanded", String(open));
          log.hidden = !open;
          if (!open) return;
          replace(log, h("p", { class: "hint", text: tr("common.loading") }));
          try {
            await showDeliveries(w, ctx, log);
          } catch (err) {
            replace(log, h("p", { class: "notice error", text: errorText(err) }));
          }
        },
      }),
      h("button", {
        type: "button", text: tr("integrations.test"), "aria-label": named(tr("integrations.test")),
        onclick: async (event) => {
          event.target.disabled = true;
          say(result, tr("integrations.testing"));
          try {
            const r = await api(`/webhooks/${encodeURIComponent(w.id)}/test`, { method: "POST" });
            if (r.status_code === null) say(result, tr("integrations.test_failed", { error: r.error ? r.error.message : "" }), "error");
            else say(result, tr("integrations.test_answer", { code: r.status_code, ms: Math.round(r.duration_ms) }), r.status_code < 300 ? "status" : "error");
          } catch (err) {
            say(result, errorText(err), "error");
          } finally {
            event.target.disabled = false;
          }
        },
      }),
      h("button", {
        type: "button", text: tr(w.enabled ? "integrations.turn_off" : "integrations.turn_on"),
        "aria-label": named(tr(w.enabled ? "integrations.turn_off" : "integrations.turn_on")),
        onclick: async (event) => {
          event.target.disabled = true;
          try {
            await api(`/webhooks/${encodeURIComponent(w.id)}`, { method: "PATCH", body: { enabled: !w.enabled } });
            flash(tr(w.enabled ? "integrations.turned_off" : "integrations.turned_on"));
            await redraw();
          } catch (err) {
            say(result, errorText(err), "error");
            event.target.disabled = false;
          }
        },
      }),
      h("button", {
        type: "button", text: tr("integrations.rotate"), "aria-label": named(tr("integrations.rotate")),
        onclick: () => dialog(tr("integrations.rotate_confirm"), h("p", { text: tr("integrations.rotate_hint") }), tr("integrations.rotate"), async () => {
          const rotated = await api(`/webhooks/${encodeURIComponent(w.id)}/rotate-secret`, { method: "POST" });
          await redraw();
          showOnce(tr("integrations.secret_once", { url: w.url }), rotated.secret);
        }),
      }),
      h("button", {
        type: "button", class: "danger", text: tr("common.delete"), "aria-label": named(tr("common.delete")),
        onclick: () => dialog(tr("integrations.delete_confirm", { url: w.url }), h("p", { text: tr("integrations.delete_hint") }), tr("integrations.delete_button"), async () => {
          await api(`/webhooks/${encodeURIComponent(w.id)}`, { method: "DELETE" });
          flash(tr("integrations.deleted"));
          await redraw();
        }, { danger: true }),
      })));
}

function saveFile({ blob, name }) {
  const href = URL.createObjectURL(blob);
  const link = h("a", { href, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

function exportsSection(ctx) {
  const zone = ctx.me.timezone;
  const today = t.today(zone);
  const box = h("div", { class: "notice", role: "alert" });
  const form = h("form", { id: "export-appointments", class: "inline-form", novalidate: true },
    field("export-from", tr("integrations.from"), h("input", { name: "from", type: "date", required: true, value: t.addDays(today, -30) })),
    field("export-to", tr("integrations.to"), h("input", { name: "to", type: "date", required: true, value: t.addDays(today, 30) })),
    h("button", { type: "submit", text: tr("integrations.export_appointments") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    say(box, "");
    const values = formValues(form);
    try {
      saveFile(await file(`/appointments/export?from=${encodeURIComponent(values.from)}&to=${encodeURIComponent(values.to)}&format=csv`, `appointments-${values.from}.csv`));
    } catch (err) {
      showErrors(form, box, err);
    }
  });
  const clientsBox = h("div", { class: "notice", role: "alert" });
  return h("section", { "aria-labelledby": "exports-title" },
    h("h2", { id: "exports-title", text: tr("integrations.exports") }),
    h("p", { class: "hint", text: tr("integrations.exports_hint") }),
    form, box,
    h("p", {}, h("button", {
      type: "button", id: "export-clients", text: tr("integrations.export_clients"),
      onclick: async () => {
        say(clientsBox, "");
        try {
          saveFile(await file("/clients/export?format=csv", `clients-${today}.csv`));
        } catch (err) {
          say(clientsBox, errorText(err), "error");
        }
      },
    })),
    clientsBox);
}
