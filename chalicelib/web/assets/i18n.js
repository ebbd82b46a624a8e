// The page's language: its message catalog (./<lang>.json, served with English filled in), the
// locale dates and numbers are formatted in, <html lang>, and the language switcher.
// Which language: ?lang=, else the first of the browser's languages we have, else the provider's
// default (preferDefault, once the page knows it), else English.

export const LANGUAGES = { en: "English", pt: "Português", es: "Español", fr: "Français", de: "Deutsch" };
const ENGLISH = "en";
const state = { lang: ENGLISH, locale: "en-US", source: "fallback", messages: {}, plurals: null };

function primary(tag) {
  return String(tag || "").toLowerCase().split(/[-_]/)[0];
}

// What the visitor asked for: {lang, locale, source} or null. Pure, so it is easy to test.
export function choose(query, browserLanguages) {
  const asked = (query || "").toLowerCase();
  const browser = (browserLanguages || []).filter((tag) => /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(tag));
  if (Object.hasOwn(LANGUAGES, asked)) {
    // The browser's own variant of that language when it has one (pt-PT rather than pt-BR, en-GB's 24 h).
    const variant = browser.find((tag) => primary(tag) === asked);
    return { lang: asked, locale: variant || asked, source: "query" };
  }
  const match = browser.find((tag) => Object.hasOwn(LANGUAGES, primary(tag)));
  return match ? { lang: primary(match), locale: match, source: "browser" } : null;
}

// "public-" for the booking and manage pages (their part of the catalog), "" for the dashboard.
let bundle = "";

async function fetchCatalog(lang) {
  const response = await fetch(new URL(`./${bundle}${lang}.json`, import.meta.url), { credentials: "omit" });
  if (!response.ok) throw new Error(`catalog ${lang}: ${response.status}`);
  return response.json();
}

async function use(lang, locale, source) {
  let messages;
  try {
    messages = await fetchCatalog(lang);
  } catch {
    if (lang === ENGLISH) throw new Error("The page's texts could not be loaded.");
    return use(ENGLISH, "en-US", "fallback");
  }
  let tag = locale;
  try {
    tag = Intl.getCanonicalLocales(locale)[0];
  } catch {
    tag = lang;
  }
  Object.assign(state, { lang, locale: tag, source, messages, plurals: new Intl.PluralRules(tag) });
  document.documentElement.lang = tag;
  document.documentElement.dataset.language = lang;
  return state;
}

// Loads the visitor's language (or English, for now, when nothing they sent matches).
export function start({ publicPage = false, search = location.search, browserLanguages = navigator.languages } = {}) {
  bundle = publicPage ? "public-" : "";
  const asked = choose(new URLSearchParams(search).get("lang"), browserLanguages);
  return asked ? use(asked.lang, asked.locale, asked.source) : use(ENGLISH, "en-US", "fallback");
}

// The provider's default language (the profile's `language`): used only when neither ?lang= nor
// the browser named a language we have.
export async function preferDefault(lang) {
  if (state.source !== "fallback" || !Object.hasOwn(LANGUAGES, lang || "") || lang === state.lang) return false;
  await use(lang, lang, "default");
  return true;
}

export function lang() {
  return state.lang;
}

export function locale() {
  return state.locale;
}

function fill(message, params) {
  return message.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name];
    return typeof value === "number" ? new Intl.NumberFormat(state.locale).format(value) : String(value);
  });
}

// The message for `key` with its {placeholders} filled in; with a numeric `count`, the plural
// form the language's rules pick (key.one, key.few, ...), else key.other. A missing key shows as itself.
export function tr(key, params = {}) {
  let message = state.messages[key];
  if (typeof params.count === "number") {
    const category = state.plurals ? state.plurals.select(params.count) : "other";
    message = state.messages[`${key}.${category}`] ?? state.messages[`${key}.other`] ?? message;
  }
  return fill(message ?? key, params);
}

// Static text in the HTML: data-i18n="key" sets the text, data-i18n-label="key" the aria-label.
export function translatePage(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = tr(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", tr(el.dataset.i18nLabel));
}

// One field error of a 422 in the page's language when the catalog knows its code; `bounds`
// fills {max}/{min} from the field itself. Else the server's (English) message.
export function fieldMessage(detail, bounds = {}) {
  const key = `error.field.${detail.code}`;
  const text = tr(key, bounds);
  return text === key || /\{\w+\}/.test(text) ? detail.message : text;
}

function element(tag, props, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

// A labelled select of the page languages; choosing one reloads the page with ?lang= set.
export function switcher(id = "language") {
  const options = Object.entries(LANGUAGES).map(([code, name]) =>
    element("option", { value: code, lang: code, selected: code === state.lang, textContent: name }));
  const select = element("select", { id, className: "language-select" }, options);
  select.addEventListener("change", () => {
    const next = new URL(location.href);
    next.searchParams.set("lang", select.value);
    location.assign(next.href);
  });
  const label = element("label", { htmlFor: id, textContent: tr("common.language") });
  return element("div", { className: "language" }, [label, select]);
}
