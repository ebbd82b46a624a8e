// One appointment in the dashboard: how it reads, and what the provider can do with it
// (confirm or decline a request, reschedule with the clients' slot picker, cancel, notes,
// completed / no-show).

import { api, ApiError } from "./api.js";
import { byId, h, replace } from "./dom.js";
import { tr } from "./i18n.js";
import { placeFacts } from "./place.js";
import { showChooser, startChooser } from "./slots.js";
import * as t from "./time.js";
import { badge, client, dialog, field, flash, serviceName, statusLabel } from "./ui.js";

const ACTIVE = ["pending", "confirmed"];

export function item(a, ctx, redraw) {
  const zone = ctx.me.timezone;
  const who = client(a);
  return h("li", { class: `appointment ${a.status}`, "data-id": a.id },
    h("p", { class: "when" }, h("strong", { text: t.formatTimeRange(a.start, a.end, zone) }), " ", badge(a.status),
      a.conflict ? h("span", { class: "badge conflict", title: tr("appointments.conflict_title"), text: tr("appointments.conflict") }) : null),
    h("p", { class: "what", text: serviceName(a) }),
    h("p", { class: "who" }, who.id ? h("a", { href: `#clients?id=${encodeURIComponent(who.id)}`, text: who.name || who.email || tr("appointments.client") }) : (who.name || ""),
      who.email && who.name ? h("span", { class: "hint", text: ` ${who.email}` }) : null),
    a.status === "pending" && a.answer_by ? h("p", { class: "hint", text: tr("appointments.answer_by", { when: t.formatWhen(a.answer_by, zone) }) }) : null,
    a.auto_declined ? h("p", { class: "hint", text: tr("appointments.auto_declined") }) : null,
    a.notes ? h("p", { class: "hint", text: tr("appointments.client_notes", { notes: a.notes }) }) : null,
    a.provider_notes ? h("p", { class: "hint provider-notes", text: tr("appointments.your_notes", { notes: a.provider_notes }) }) : null,
    (a.answers || []).length ? h("dl", { class: "answers" }, answerFacts(a)) : null,
    h("p", { class: "actions" }, actions(a, ctx, redraw)));
}

// The intake answers, each under its question as it was asked.
function answerFacts(a) {
  return (a.answers || []).map((answer) => [
    h("dt", { text: answer.label }),
    h("dd", { text: typeof answer.value === "boolean" ? tr(answer.value ? "appointments.yes" : "appointments.no") : answer.value }),
  ]);
}

export function actions(a, ctx, redraw) {
  const label = tr("appointments.label", { service: serviceName(a), client: client(a).name || tr("appointments.client"), when: t.formatWhen(a.start, ctx.me.timezone) });
  const started = new Date(a.start) <= new Date();
  const buttons = [];
  const button = (text, onclick) => h("button", { type: "button", class: "small", "aria-label": `${text}: ${label}`, text, onclick });
  if (a.status === "pending") {
    buttons.push(button(tr("appointments.confirm"), () => confirm(a, redraw)));
    buttons.push(button(tr("appointments.decline"), () => decline(a, redraw)));
  }
  if (ACTIVE.includes(a.status)) {
    buttons.push(button(tr("appointments.reschedule"), () => reschedule(a, ctx, redraw)));
    buttons.push(button(tr("appointments.cancel"), () => cancel(a, redraw)));
  }
  buttons.push(button(tr("appointments.notes"), () => editNotes(a, redraw)));
  if (started && ["confirmed", "no_show"].includes(a.status)) buttons.push(button(tr("status.completed"), () => mark(a, "completed", redraw)));
  if (started && ["confirmed", "completed"].includes(a.status)) buttons.push(button(tr("status.no_show"), () => mark(a, "no_show", redraw)));
  return buttons;
}

// The week grid's blocks open this: the appointment's facts and the same actions as in the list.
export function openAppointment(a, ctx, redraw) {
  const box = byId("dialog");
  const who = client(a);
  if (box.open) box.close();
  box.classList.remove("wide-dialog");
  replace(box, h("div", { class: "appointment-detail", "data-id": a.id },
    h("h2", { id: "dialog-title", text: serviceName(a) }),
    h("dl", { class: "facts" },
      h("dt", { text: tr("common.when") }), h("dd", { text: t.formatWhenRange(a.start, a.end, ctx.me.timezone) }),
      h("dt", { text: tr("appointments.client") }), h("dd", { text: [who.name, who.email].filter(Boolean).join(" · ") || "–" }),
      h("dt", { text: tr("manage.status") }), h("dd", {}, badge(a.status)),
      a.notes ? [h("dt", { text: tr("appointments.client_notes_title") }), h("dd", { text: a.notes })] : null,
      a.provider_notes ? [h("dt", { text: tr("appointments.notes") }), h("dd", { text: a.provider_notes })] : null,
      placeFacts(a.location),
      answerFacts(a)),
    h("p", { class: "actions" }, actions(a, ctx, redraw),
      h("button", { type: "button", class: "link", text: tr("common.close"), onclick: () => box.close() }))));
  box.showModal();
  box.querySelector("button").focus();
}

// A request (pending) is answered: confirmed at once, or declined with a reason the client is told.
async function confirm(a, redraw) {
  try {
    await api(`/appointments/${encodeURIComponent(a.id)}/confirm`, { method: "POST", body: {} });
    flash(tr("appointments.confirmed", { client: client(a).name || tr("appointments.client") }));
  } catch (error) {
    flash(error.message, "error");
  }
  await redraw();
}

function decline(a, redraw) {
  dialog(tr("appointments.decline_title"),
    [h("p", { text: tr("appointments.decline_text", { service: serviceName(a), client: client(a).name || tr("appointments.client") }) }),
      field("decline-reason", tr("appointments.decline_reason"), h("textarea", { name: "reason", rows: 2, maxlength: 500 }))],
    tr("appointments.decline_button"),
    async (values) => {
      await api(`/appointments/${encodeURIComponent(a.id)}/decline`, { method: "POST", body: { reason: values.reason } });
      flash(tr("appointments.declined"));
      await redraw();
    }, { danger: true });
}

function cancel(a, redraw) {
  dialog(tr("appointments.cancel_title"),
    [h("p", { text: tr("appointments.cancel_text", { service: serviceName(a), client: client(a).name || tr("appointments.client") }) }),
      field("cancel-reason", tr("appointments.cancel_reason"), h("textarea", { name: "reason", rows: 2, maxlength: 500 }))],
    tr("appointments.cancel_button"),
    async (values) => {
      await api(`/appointments/${encodeURIComponent(a.id)}/cancel`, { method: "POST", body: { reason: values.reason } });
      flash(tr("appointments.cancelled"));
      await redraw();
    }, { danger: true });
}

function editNotes(a, redraw) {
  dialog(tr("appointments.notes_title"),
    [field("provider-notes", tr("appointments.notes"), h("textarea", { name: "notes", rows: 4, maxlength: 2000, value: a.provider_notes || "" }), tr("appointments.notes_hint"))],
    tr("common.save"),
    async (values) => {
      await api(`/appointments/${encodeURIComponent(a.id)}`, { method: "PATCH", body: { notes: values.notes } });
      flash(tr("appointments.notes_saved"));
      await redraw();
    });
}

// The same picker clients use, opened on the appointment's day with its time marked.
export function reschedule(a, ctx, redraw) {
  const service = ctx.services.get(a.service.id) || { id: a.service.id, visible: false };
  const chooser = startChooser(service, ctx, { current: { start: a.start, end: a.end } });
  const slot = h("div", { class: "chooser-slot" });
  dialog(tr("appointments.move_title"), [slot], tr("appointments.move_button"),
    async () => {
      const start = chooser.chosen();
      if (!start) throw new ApiError(422, { error: { message: tr("slots.pick_first"), details: [] } });
      try {
        await api(`/appointments/${encodeURIComponent(a.id)}/reschedule`, { method: "POST", body: { start } });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) await chooser.refresh();
        throw err;
      }
      flash(tr("appointments.moved", { when: t.formatWhen(start, ctx.me.timezone) }));
      await redraw();
    }, { wide: true });
  showChooser(slot, chooser);
}

async function mark(a, status, redraw) {
  try {
    await api(`/appointments/${encodeURIComponent(a.id)}`, { method: "PATCH", body: { status } });
    flash(tr("appointments.marked", { status: statusLabel(status) }));
  } catch (error) {
    flash(error.message, "error");
  }
  await redraw();
}
