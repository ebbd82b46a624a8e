// Building the page from data without innerHTML: text always goes in as text.

import { fieldMessage } from "./i18n.js";

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "value" || key === "checked" || key === "selected") el[key] = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function byId(id) {
  return document.getElementById(id);
}

// A message in a live region: "status" (polite) or "error" (also styled as one).
export function say(region, message, kind = "status") {
  region.className = `notice ${message ? kind : ""}`.trim();
  region.textContent = message || "";
}

// Moves focus to a heading or section after the view changes, so keyboard and screen reader
// users land where the new content starts.
export function focusOn(el) {
  if (!el) return;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  el.focus();
}

// Form fields by name, as strings (trimmed); checkboxes as booleans.
export function formValues(form) {
  const values = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    values[field.name] = field.type === "checkbox" ? field.checked : field.value.trim();
  }
  return values;
}

// Marks the fields a 422 (or the page's own checks) named, each message next to its field.
// fieldFor maps a detail's field ("client.email", "weekly.3") to a form field's name or to an
// element. True when every detail found its field (else the caller says the rest in words).
let unnamed = 0;

export function showFieldErrors(form, details, fieldFor = (name) => name) {
  clearFieldErrors(form);
  let marked = 0;
  const list = details || [];
  for (const detail of list) {
    const target = fieldFor(detail.field);
    const field = target instanceof Element ? target : form.elements.namedItem(target);
    if (!(field instanceof Element)) continue;
    if (!field.id) field.id = `field-${++unnamed}`;
    const bounds = {};
    const max = field.getAttribute("maxlength") || field.getAttribute("max");
    if (max) bounds.max = Number(max);
    if (field.getAttribute("min")) bounds.min = Number(field.getAttribute("min"));
    const text = detail.code ? fieldMessage(detail, bounds) : detail.message;
    const hint = h("p", { class: "field-error", id: `${field.id}-error`, text });
    const existing = document.getElementById(hint.id);
    if (existing) existing.textContent = `${existing.textContent} ${text}`;
    else (field.closest(".interval, .unit-field") || field).insertAdjacentElement("afterend", hint);
    if (!field.hasAttribute("aria-invalid")) field.dataset.describedBy = field.getAttribute("aria-describedby") || "";
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", `${hint.id} ${field.dataset.describedBy}`.trim());
    if (!marked) field.focus();
    marked += 1;
  }
  return marked > 0 && marked === list.length;
}

export function clearFieldErrors(form) {
  for (const hint of form.querySelectorAll(".field-error")) hint.remove();
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    if (field.dataset.describedBy) field.setAttribute("aria-describedby", field.dataset.describedBy);
    else field.removeAttribute("aria-describedby");
    delete field.dataset.describedBy;
  }
}
