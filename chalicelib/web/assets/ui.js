// Pieces the dashboard views share: the modal dialog, labels, and reading appointment fields.

import { errorText } from "./api.js";
import { byId, focusOn, formValues, h, replace, say } from "./dom.js";
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
  return { pending: "Pending", confirmed: "Confirmed", cancelled: "Cancelled", completed: "Completed", no_show: "No-show" }[status] || status;
}

export function badge(status) {
  return h("span", { class: `badge ${status}`, text: statusLabel(status) });
}

// Appointments carry {service: {id, name}}; a client's history carries service_name.
export function serviceName(a) {
  return a.service ? a.service.name : a.service_name || "";
}

export function client(a) {
  const c = a.client || {};
  return { id: c.id || "", name: c.name || "", email: c.email || "" };
}

export function field(id, label, input, hint) {
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input, hint ? h("p", { class: "hint", text: hint }) : null);
}

export function zoneSelect(name, current) {
  return h("select", { name }, t.zoneList(current).map((z) => h("option", { value: z, selected: z === current, text: z })));
}

// A modal form: resolves once onSubmit(values) succeeds, shows its errors in place otherwise.
export function dialog(title, fields, submitLabel, onSubmit, { danger = false } = {}) {
  const box = byId("dialog");
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { method: "dialog" },
    h("h2", { id: "dialog-title", text: title }),
    fields,
    error,
    h("p", { class: "actions" },
      h("button", { type: "submit", class: danger ? "danger" : "primary", text: submitLabel }),
      h("button", { type: "button", class: "link", text: "Close", onclick: () => box.close() })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await onSubmit(formValues(form));
      box.close();
    } catch (err) {
      say(error, errorText(err), "error");
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
}

export function money(total, currency) {
  return t.formatMoney(total, currency);
}
