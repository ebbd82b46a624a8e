// The provider dashboard: sign in, first-run set-up, then one view per part of the business.

import { api, ApiError, errorText, url } from "./api.js";
import * as auth from "./auth.js";
import { byId, focusOn, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import * as t from "./time.js";
import { field, flash, takeNext, zoneSelect } from "./ui.js";

const VIEWS = {
  overview: () => import("./overview.js"),
  appointments: () => import("./appointments.js"),
  services: () => import("./services.js"),
  hours: () => import("./hours.js"),
  clients: () => import("./clients.js"),
  profile: () => import("./profile.js"),
};

const ctx = { config: null, me: null };
const view = byId("view");

async function boot() {
  try {
    ctx.config = await api("/app/config.json", { auth: false });
  } catch (error) {
    replace(view, h("p", { class: "notice error", text: errorText(error) }));
    return;
  }
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
      return signIn("Your session has ended. Please sign in again.");
    }
    return replace(view, h("p", { class: "notice error", text: errorText(error) }));
  }
  if (!ctx.me.slug) return onboarding();
  showShell();
}

function signIn(message = "") {
  byId("topbar").hidden = true;
  const error = h("div", { class: "notice error", role: "alert", text: message });
  let body;
  if (ctx.config.sign_in === "dev_login") {
    const form = h("form", { id: "dev-login" },
      field("login-email", "Email", h("input", { name: "email", type: "email", autocomplete: "email", required: true })),
      field("login-name", "Your name", h("input", { name: "name", autocomplete: "name" })),
      h("button", { type: "submit", class: "primary", text: "Sign in" }));
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
    body = [h("p", { class: "hint", text: "Local development: any email signs in as its own provider." }), form];
  } else if (ctx.config.sign_in === "hosted_ui") {
    body = h("button", { type: "button", class: "primary", text: "Sign in with Google", onclick: () => auth.startHostedUi(ctx.config) });
  } else {
    body = h("p", { text: "Sign-in is not configured on this stage (COGNITO_DOMAIN is missing)." });
  }
  replace(view, h("section", { class: "narrow-card" }, h("h1", { id: "view-title", text: "Sign in to your dashboard" }), error, body));
  focusOn(byId("view-title"));
}

function suggestSlug(name) {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
}

function onboarding() {
  byId("topbar").hidden = true;
  const zone = ctx.me.timezone && ctx.me.timezone !== "UTC" ? ctx.me.timezone : t.visitorZone();
  const slug = h("input", { name: "slug", required: true, pattern: "[a-z0-9\\-]{3,40}", value: suggestSlug(ctx.me.name || "") });
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { id: "onboarding" },
    field("ob-name", "Name your clients see", h("input", { name: "name", required: true, maxlength: 100, value: ctx.me.name || "" })),
    field("ob-zone", "Your time zone", zoneSelect("timezone", zone)),
    field("ob-slug", "Booking page address", slug, `3 to 40 lower-case letters, digits or dashes: ${url("/book/")}…`),
    error,
    h("button", { type: "submit", class: "primary", text: "Create my booking page" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      ctx.me = await api("/me", { method: "PATCH", body: formValues(form) });
      history.replaceState(null, "", "#services");
      showShell("Your booking page is ready. Next: add a service, then your hours.");
    } catch (err) {
      if (err instanceof ApiError && err.code === "slug_taken") {
        showFieldErrors(form, [{ field: "slug", message: "Someone already has this address. Try another." }]);
      } else if (!(err instanceof ApiError && showFieldErrors(form, err.details))) {
        say(error, errorText(err), "error");
      }
    }
  });
  replace(view, h("section", { class: "narrow-card" },
    h("h1", { id: "view-title", text: "Welcome! Set up your booking page" }), form));
  focusOn(byId("view-title"));
}

function showShell(message = "") {
  byId("topbar").hidden = false;
  byId("who").textContent = ctx.me.name;
  flash(message);
  route();
}

async function route() {
  const name = location.hash.slice(1).split("?")[0] || "overview";
  const load = VIEWS[name] || VIEWS.overview;
  for (const link of byId("nav").querySelectorAll("a")) {
    if (link.getAttribute("href") === `#${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  replace(view, h("p", { text: "Loading…" }));
  try {
    const module = await load();
    await module.render(view, ctx);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      auth.forget();
      return signIn("Your session has ended. Please sign in again.");
    }
    replace(view, h("p", { class: "notice error", role: "alert", text: errorText(error) }));
  }
  const title = view.querySelector("h1");
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
