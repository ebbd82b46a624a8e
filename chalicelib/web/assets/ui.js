// Pieces the dashboard views share: the modal dialog, labels, and reading appointment fields.

import { ApiError, errorText } from "./api.js";
import { byId, clearFieldErrors, focusOn, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";

export const notice = () => byId("notice");

export function flash(message, kind = "status") {
  say(notice(), message, kind);
}

// A message for the view that a navigation is about to show (navigating clears the last one).
let next = "";

export function flashNext(message) {
  next = message;
}

export function takeNext() {
  const message = next;
  next = "";
  return message;
}

export function statusLabel(status) {
  const key = `status.${status}`;
  return tr(key) === key ? status : tr(key);
}

export function badge(status) {
  return h("span", { class: `badge ${status}`, text: statusLabel(status) });
}

// Appointments carry {service: {id, name}}; a client's history carries service_name.
export function serviceName(a) {
  return a.service ? a.service.name : a.service_name || "";
}

// The appointment's client: its id, and the name and email its record holds now, which every
// appointment the API answers carries (client_name, client_email; null once erased).
export function client(a) {
  const c = a.client || {};
  return { id: c.id || "", name: a.client_name || c.name || "", email: a.client_email || c.email || "" };
}

export function field(id, label, input, hint) {
  input.id = id;
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint`, text: hint }) : null;
  if (hintEl) input.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input, hintEl);
}

export function zoneSelect(name, current) {
  return h("select", { name }, t.zoneList(current).map((z) => h("option", { value: z, selected: z === current, text: z })));
}

// Field errors of a 422 next to their fields, the rest (or any other error) in `box`.
export function showErrors(form, box, err, fieldFor) {
  if (err instanceof ApiError && err.status === 422 && showFieldErrors(form, err.details, fieldFor)) {
    say(box, tr("common.check_fields"), "error");
  } else {
    say(box, errorText(err), "error");
  }
}

// A modal form: resolves once onSubmit(values, form) succeeds, shows its errors in place otherwise.
export function dialog(title, fields, submitLabel, onSubmit, { danger = false, fieldFor, wide = false } = {}) {
  const box = byId("dialog");
  if (box.open) box.close();
  box.classList.toggle("wide-dialog", wide);
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { method: "dialog", novalidate: true },
    h("h2", { id: "dialog-title", text: title }),
    fields,
    error,
    h("p", { class: "actions" },
      h("button", { type: "submit", class: danger ? "danger" : "primary", text: submitLabel }),
      h("button", { type: "button", class: "link", text: tr("common.close"), onclick: () => box.close() })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clearFieldErrors(form);
    say(error, "");
    try {
      await onSubmit(formValues(form), form);
      box.close();
    } catch (err) {
      showErrors(form, error, err, fieldFor);
    } finally {
      button.disabled = false;
    }
  });
  replace(box, form);
  const opener = document.activeElement;
  box.addEventListener("close", () => { if (opener && opener.isConnected) opener.focus(); }, { once: true });
  box.showModal();
  const first = form.querySelector("input, select, textarea");
  focusOn(first || form.querySelector("button"));
  return form;
}

export function money(total, currency) {
  return t.formatMoney(total, currency);
}
