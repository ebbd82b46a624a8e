// The profile's brand panel (docs/pages.md, "Brand"): the pages' default language, the headline,
// the about text, the accent colour (its contrast with white shown as it is typed, and a colour
// too light refused at its field before it is sent), and the photo (photoform.js).

import { api } from "./api.js";
import { clearFieldErrors, formValues, h, say, showFieldErrors } from "./dom.js";
import { LANGUAGES, tr } from "./i18n.js";
import { inWords, photoPanel } from "./photoform.js";
import { field, showErrors } from "./ui.js";

const COLOR = /^#[0-9a-fA-F]{6}$/;
export const MIN_CONTRAST = 4.5;  // WCAG AA for text, as the API asks (domain/brand.py)

// The WCAG 2.x contrast of "#rrggbb" against white: 1 (white) to 21 (black); NaN for no colour.
export function contrastWithWhite(color) {
  const text = String(color || "").toLowerCase();
  if (!COLOR.test(text)) return Number.NaN;
  const linear = (i) => {
    const c = parseInt(text.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * linear(1) + 0.7152 * linear(3) + 0.0722 * linear(5);
  return 1.05 / (luminance + 0.05);
}

// A ratio as the API says it: rounded down to two places, so a failing one never reads 4.5.
export function shownRatio(ratio) {
  return Math.floor(ratio * 100) / 100;
}

const FIELDS = ["language", "headline", "about", "accent_color"];

// What is wrong with an accent colour as typed, in words; "" when nothing (blank: no accent).
export function accentProblem(value) {
  if (!value) return "";
  if (!COLOR.test(value)) return tr("brand.error.invalid_color");
  const ratio = contrastWithWhite(value);
  return ratio < MIN_CONTRAST ? tr("brand.low_contrast", { ratio: shownRatio(ratio) }) : "";
}

function accentField(me) {
  const current = me.accent_color || "";
  const text = h("input", { name: "accent_color", maxlength: 7, autocomplete: "off", spellcheck: "false", placeholder: "#0b57d0", value: current });
  const picker = h("input", { type: "color", class: "swatch", "aria-label": tr("brand.pick_color"), value: current || "#0b57d0" });
  const sample = h("span", { class: "button primary accent-sample", "aria-hidden": "true", text: tr("brand.sample") });
  const contrast = h("p", { class: "hint", id: "brand-accent-contrast", "aria-live": "polite" });
  const update = () => {
    const value = text.value.trim();
    const ratio = contrastWithWhite(value);
    contrast.textContent = Number.isNaN(ratio) ? "" : tr("brand.contrast", { ratio: shownRatio(ratio) });
    sample.hidden = !(ratio >= MIN_CONTRAST);  // shown only in a colour the pages may use
    if (!Number.isNaN(ratio)) {
      picker.value = value.toLowerCase();
      sample.style.setProperty("--brand", value);  // CSSOM: no style attribute (CSP)
    }
  };
  text.addEventListener("input", update);
  picker.addEventListener("input", () => { text.value = picker.value; update(); });
  update();
  const wrapped = field("brand-accent", tr("brand.accent"), text, tr("brand.accent_hint"));
  text.setAttribute("aria-describedby", `${text.getAttribute("aria-describedby")} ${contrast.id}`);
  wrapped.append(h("div", { class: "accent-row" }, picker, sample), contrast);
  return wrapped;
}

// The PATCH body: only what changed; a blank accent is null (the pages' own colours).
function bodyOf(values, me) {
  const body = {};
  for (const name of FIELDS) {
    const value = name === "accent_color" ? (values[name] ? values[name].toLowerCase() : null) : values[name];
    if (value !== (me[name] ?? (name === "accent_color" ? null : ""))) body[name] = value;
  }
  return body;
}

export function brandPanel(ctx) {
  const me = ctx.me;
  const error = h("div", { class: "notice", role: "alert" });
  const language = h("select", { name: "language" },
    Object.entries(LANGUAGES).map(([code, name]) => h("option", { value: code, lang: code, selected: code === me.language, text: name })));
  const form = h("form", { id: "brand-form", novalidate: true },
    field("brand-language", tr("brand.language"), language, tr("brand.language_hint")),
    field("brand-headline", tr("brand.headline"), h("input", { name: "headline", maxlength: 120, value: me.headline || "" }), tr("brand.headline_hint")),
    field("brand-about", tr("brand.about"), h("textarea", { name: "about", rows: 5, maxlength: 1000, value: me.about || "" }), tr("brand.about_hint")),
    accentField(me),
    error,
    h("button", { type: "submit", text: tr("brand.save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    say(error, "");
    const values = formValues(form);
    const problem = accentProblem(values.accent_color);
    if (problem) {
      showFieldErrors(form, [{ field: "accent_color", message: problem }]);
      return say(error, tr("common.check_fields"), "error");
    }
    const body = bodyOf(values, me);
    if (!Object.keys(body).length) return say(error, tr("brand.saved"), "status");
    try {
      ctx.me = await api("/me", { method: "PATCH", body });
      Object.assign(me, ctx.me);
      say(error, tr("brand.saved"), "status");
    } catch (err) {
      showErrors(form, error, inWords(err));
    }
  });
  return h("section", { "aria-labelledby": "brand-title", id: "brand" },
    h("h2", { id: "brand-title", text: tr("brand.title") }),
    h("p", { class: "hint", text: tr("brand.intro") }),
    form,
    photoPanel(ctx));
}
