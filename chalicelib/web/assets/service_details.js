// The service editor's parts beyond name and price: who may book it, where it takes place, the
// questions a booking answers, its own booking rules, and its own weekly hours.

import { api } from "./api.js";
import { h } from "./dom.js";
import { tr } from "./i18n.js";
import { readWeek, weekFieldsets } from "./hours.js";
import { dialog, field, flash } from "./ui.js";

const VISIBILITIES = ["public", "unlisted", "hidden"];
const PLACES = ["address", "phone", "video", "note"];
const TYPES = ["text", "long_text", "choice", "checkbox"];
const RULES = [
  ["min_notice_minutes", "services.min_notice", 0, 43200, 1],
  ["max_advance_days", "services.max_advance", 1, 730, 1],
  ["slot_interval_minutes", "services.interval", 5, 240, 5],
  ["max_per_day", "services.max_per_day", 1, 200, 1],
];

export function visibilityField(s, prefix) {
  return field(`${prefix}-visibility`, tr("services.visibility"), h("select", { name: "visibility" },
    VISIBILITIES.map((v) => h("option", { value: v, selected: v === s.visibility, text: tr(`services.visibility.${v}`) }))));
}

export function locationFields(s, prefix) {
  const place = s.location || { type: "", value: "" };
  const value = h("input", { name: "location_value", maxlength: 500, value: place.value, disabled: !place.type });
  const kind = h("select", { name: "location_type", onchange: () => { value.disabled = !kind.value; } },
    h("option", { value: "", text: tr("services.place.none") }),
    PLACES.map((p) => h("option", { value: p, selected: p === place.type, text: tr(`services.place.${p}`) })));
  return h("fieldset", { class: "plain-fieldset" },
    h("legend", { text: tr("services.location") }),
    h("p", { class: "hint", text: tr("services.location_hint") }),
    h("div", { class: "cols" },
      field(`${prefix}-location-type`, tr("services.location_type"), kind),
      field(`${prefix}-location-value`, tr("services.location_value"), value)));
}

export function rulesFields(s, prefix) {
  return h("fieldset", { class: "plain-fieldset" },
    h("legend", { text: tr("services.rules") }),
    h("p", { class: "hint", text: tr("services.rules_hint") }),
    h("div", { class: "cols" }, RULES.map(([name, label, min, max, step]) =>
      field(`${prefix}-${name}`, tr(label), h("input", { name, type: "number", min, max, step, value: s[name] ?? "" })))));
}

// A key for a new question, from its label: "Anything we should know?" -> "anything_we_should_know".
export function questionKey(label, taken) {
  const plain = label.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  let key = plain.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 36) || "question";
  if (!/^[a-z]/.test(key)) key = `q_${key}`.slice(0, 36);
  let unique = key;
  for (let n = 2; taken.has(unique); n += 1) unique = `${key}_${n}`;
  return unique;
}

function questionRow(list, prefix, question) {
  const n = list.children.length;
  const id = `${prefix}-question-${n}-${Math.random().toString(36).slice(2, 7)}`;
  const options = h("textarea", { "data-part": "options", rows: 3, value: (question.options || []).join("\n") });
  const optionsField = field(`${id}-options`, tr("services.options"), options);
  const type = h("select", { "data-part": "type", onchange: () => { optionsField.hidden = type.value !== "choice"; } },
    TYPES.map((v) => h("option", { value: v, selected: v === question.type, text: tr(`services.qtype.${v}`) })));
  optionsField.hidden = question.type !== "choice";
  const row = h("fieldset", { class: "plain-fieldset question", "data-key": question.key || "" },
    h("legend", { text: tr("services.question_n", { n: n + 1 }) }),
    field(`${id}-label`, tr("services.question_label"), h("input", { "data-part": "label", maxlength: 200, value: question.label || "" })),
    h("div", { class: "cols" },
      field(`${id}-type`, tr("services.question_type"), type),
      h("div", { class: "field" }, h("label", { class: "check", for: `${id}-required` },
        h("input", { type: "checkbox", id: `${id}-required`, "data-part": "required", checked: !!question.required }), tr("services.required")))),
    optionsField,
    h("p", {}, h("button", { type: "button", class: "small link", text: tr("services.remove_question"),
      "aria-label": tr("services.remove_question_n", { n: n + 1 }), onclick: () => row.remove() })));
  list.append(row);
  return row;
}

export function questionsEditor(s, prefix) {
  const list = h("div", { class: "questions" });
  (s.questions || []).forEach((q) => questionRow(list, prefix, q));
  const add = h("button", { type: "button", class: "small", text: tr("services.add_question"), onclick: () => {
    if (list.children.length >= 10) return flash(tr("services.questions_full"), "error");
    questionRow(list, prefix, { type: "text" }).querySelector("input").focus();
  } });
  return h("fieldset", { class: "plain-fieldset" },
    h("legend", { text: tr("services.questions") }),
    h("p", { class: "hint", text: tr("services.questions_hint") }),
    list, add);
}

function readQuestions(form) {
  const rows = [...form.querySelectorAll("fieldset.question")];
  const taken = new Set(rows.map((r) => r.dataset.key).filter(Boolean));
  return rows.map((row) => {
    const part = (name) => row.querySelector(`[data-part="${name}"]`);
    const label = part("label").value.trim();
    const type = part("type").value;
    const key = row.dataset.key || questionKey(label, taken);
    taken.add(key);
    row.dataset.key = key;
    const options = type === "choice" ? part("options").value.split("\n").map((o) => o.trim()).filter(Boolean) : [];
    return { key, label, type, required: part("required").checked, options };
  });
}

// The body's fields from the parts above; ``fieldFor`` finds the field a 422's detail names.
export function detailsBody(form, values) {
  const rule = (text) => (text === "" || text === undefined ? null : Number(text));
  const body = {
    visibility: values.visibility,
    location: values.location_type ? { type: values.location_type, value: values.location_value } : null,
    questions: readQuestions(form),
  };
  for (const [name] of RULES) body[name] = rule(values[name]);
  return body;
}

export function detailsFieldFor(form) {
  return (name) => {
    if (name.startsWith("location.")) return `location_${name.split(".")[1]}`;
    const question = name.match(/^questions\.(\d+)(?:\.(\w+))?/);
    if (question) {
      const row = form.querySelectorAll("fieldset.question")[Number(question[1])];
      const part = question[2] === "options" ? "options" : question[2] === "type" ? "type" : "label";
      return row ? row.querySelector(`[data-part="${part}"]`) : name;
    }
    return name;
  };
}

// A service's own weekly hours, or the provider's it follows (then nothing is saved until asked).
export async function editServiceHours(service) {
  const found = await api(`/services/${encodeURIComponent(service.id)}/availability`);
  const own = h("input", { type: "checkbox", id: "own-hours", name: "own_hours", checked: !found.follows_provider });
  const week = h("div", { class: "week-hours" }, weekFieldsets(found.weekly));
  week.hidden = found.follows_provider;
  own.addEventListener("change", () => { week.hidden = !own.checked; });
  const form = dialog(tr("services.hours_title", { name: service.name }),
    [h("div", { class: "field" }, h("label", { class: "check", for: "own-hours" }, own, tr("services.own_hours"))),
      h("p", { class: "hint", text: tr("services.own_hours_hint", { zone: found.timezone }) }), week],
    tr("services.save_hours"),
    async (values, dialogForm) => {
      const path = `/services/${encodeURIComponent(service.id)}/availability`;
      if (!own.checked) {
        await api(path, { method: "DELETE" });
        flash(tr("services.hours_follow", { name: service.name }));
        return;
      }
      const { weekly, fieldFor } = readWeek(dialogForm);
      dialogForm.fieldFor = fieldFor;
      await api(path, { method: "PUT", body: { weekly } });
      flash(tr("services.hours_saved", { name: service.name }));
    },
    { wide: true, fieldFor: (name) => (form.fieldFor ? form.fieldFor(name) : name) });
}
