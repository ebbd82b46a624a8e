// The provider dashboard: sign in, first-run set-up, then one view per part of the business.

import { api, ApiError, errorText, url } from "./api.js";
import * as auth from "./auth.js";
import { byId, clearFieldErrors, focusOn, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import * as i18n from "./i18n.js";
import { tr } from "./i18n.js";
import { suggestSlug } from "./slug.js";
import * as t from "./time.js";
import { field, flash, takeNext, zoneSelect } from "./ui.js";

const VIEWS = {
  overview: () => import("./overview.js"),
  appointments: () => import("./appointments.js"),
  services: () => import("./services.js"),
  hours: () => import("./hours.js"),
  clients: () => import("./clients.js"),
  calendars: () => import("./calendars.js"),
  integrations: () => import("./integrations.js"),
  profile: () => import("./profile.js"),
};

const ctx = { config: null, me: null, navigated: false };
const view = byId("view");
// Each navigation takes a number; a view that finishes loading after a newer one began is dropped.
let shown = 0;

async function boot() {
  try {
    [ctx.config] = await Promise.all([api("/app/config.json", { auth: false }), i18n.start()]);
  } catch (error) {
    replace(view, h("p", { class: "notice error", text: errorText(error) }));
    return;
  }
  i18n.translatePage();
  document.title = tr("dash.title");
  byId("language-slot").append(i18n.switcher());
  if (location.pathname.endsWith("/app/callback")) {
    const problem = await auth.finishHostedUi(ctx.config);
    if (problem) return signIn(problem);
  }
  if (!auth.resume()) return signIn();
  await enter();
}

async function enter() {
  try {
    ctx.me = await api("/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      auth.forget();
      return signIn(tr("dash.session_ended"));
    }
    return replace(view, h("p", { class: "notice error", text: errorText(error) }));
  }
  // The provider's own language (the profile's `language`) when the browser named none we have.
  if (await i18n.preferDefault(ctx.me.language)) i18n.translatePage();
  if (!ctx.me.slug) return onboarding();
  showShell();
}

function card(title, ...body) {
  replace(view, h("section", { class: "narrow-card" },
    h("div", { class: "card-head" }, h("h1", { id: "view-title", text: title }), i18n.switcher("card-language")), body));
  focusOn(byId("view-title"));
}

function signIn(message = "") {
  byId("topbar").hidden = true;
  const error = h("div", { class: "notice error", role: "alert", text: message });
  let body;
  if (ctx.config.sign_in === "dev_login") {
    const form = h("form", { id: "dev-login" },
      field("login-email", tr("field.email"), h("input", { name: "email", type: "email", autocomplete: "email", required: true })),
      field("login-name", tr("dash.your_name"), h("input", { name: "name", autocomplete: "name" })),
      h("button", { type: "submit", class: "primary", text: tr("dash.sign_in") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = formValues(form);
      try {
        await auth.devLogin(values.email, values.name);
        await enter();
      } catch (err) {
        say(error, errorText(err), "error");
      }
    });
    body = [h("p", { class: "hint", text: tr("dash.dev_login") }), form];
  } else if (ctx.config.sign_in === "hosted_ui") {
    body = h("button", { type: "button", class: "primary", text: tr("dash.sign_in_google"), onclick: () => auth.startHostedUi(ctx.config) });
  } else {
    body = h("p", { text: tr("dash.sign_in_unavailable") });
  }
  card(tr("dash.sign_in_title"), error, body);
}

function slugTaken(form) {
  showFieldErrors(form, [{ field: "slug", message: tr("dash.slug_taken") }]);
}

function onboarding() {
  byId("topbar").hidden = true;
  const zone = ctx.me.timezone && ctx.me.timezone !== "UTC" ? ctx.me.timezone : t.visitorZone();
  const slug = h("input", { name: "slug", required: true, maxlength: 40, value: suggestSlug(ctx.me.name || "") });
  const name = h("input", { name: "name", required: true, maxlength: 100, value: ctx.me.name || "" });
  let edited = false;
  slug.addEventListener("input", () => { edited = true; });
  name.addEventListener("input", () => { if (!edited) slug.value = suggestSlug(name.value); });
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { id: "onboarding", novalidate: true },
    field("ob-name", tr("dash.public_name"), name),
    field("ob-zone", tr("dash.your_zone"), zoneSelect("timezone", zone)),
    field("ob-slug", tr("dash.slug"), slug, tr("dash.slug_hint", { base: url("/book/") })),
    error,
    h("button", { type: "submit", class: "primary", text: tr("dash.create_page") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    say(error, "");
    try {
      ctx.me = await api("/me", { method: "PATCH", body: formValues(form) });
      history.replaceState(null, "", `${location.search}#services`);
      showShell(tr("dash.page_ready"));
    } catch (err) {
      if (err instanceof ApiError && err.code === "slug_taken") slugTaken(form);
      else if (!(err instanceof ApiError && showFieldErrors(form, err.details))) say(error, errorText(err), "error");
    }
  });
  card(tr("dash.welcome"), form);
}

function showShell(message = "") {
  byId("topbar").hidden = false;
  byId("who").textContent = ctx.me.name;
  flash(message);
  route();
}

async function route() {
  const ticket = ++shown;
  const name = location.hash.slice(1).split("?")[0] || "overview";
  const load = VIEWS[name] || VIEWS.overview;
  for (const link of byId("nav").querySelectorAll("a")) {
    if (link.getAttribute("href") === `#${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  replace(view, h("p", { text: tr("common.loading") }));
  // The view draws into a page of its own, put on screen only if no newer navigation began.
  const page = h("div", { class: "view-page", "data-view": name });
  try {
    const module = await load();
    await module.render(page, ctx);
  } catch (error) {
    if (ticket !== shown) return;
    if (error instanceof ApiError && error.status === 401) {
      auth.forget();
      return signIn(tr("dash.session_ended"));
    }
    replace(page, h("p", { class: "notice error", role: "alert", text: errorText(error) }));
  }
  if (ticket !== shown) return;
  replace(view, page);
  const title = page.querySelector("h1");
  if (title && ctx.navigated) focusOn(title);
}

window.addEventListener("hashchange", () => {
  if (!ctx.me || !ctx.me.slug) return;
  ctx.navigated = true;
  flash(takeNext());
  route();
});
byId("sign-out").addEventListener("click", () => {
  auth.forget();
  location.assign(auth.signOutUrl(ctx.config));
});
boot();
