// Building the page from data without innerHTML: text always goes in as text.

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

// Marks the fields a 422 named, next to each field; returns whether any field was marked.
export function showFieldErrors(form, details, fieldFor = (name) => name) {
  clearFieldErrors(form);
  let marked = false;
  for (const detail of details || []) {
    const field = form.elements.namedItem(fieldFor(detail.field));
    if (!field || !field.id) continue;
    const hint = h("p", { class: "field-error", id: `${field.id}-error`, text: detail.message });
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", hint.id);
    field.insertAdjacentElement("afterend", hint);
    if (!marked) field.focus();
    marked = true;
  }
  return marked;
}

export function clearFieldErrors(form) {
  for (const hint of form.querySelectorAll(".field-error")) hint.remove();
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
  }
}
