// The public booking page: service -> day and time (in the visitor's zone) -> details -> done.
// A link may name the service (/book/{slug}/{service_id}: listed, or unlisted and reached by that
// link only) and prefill ?date=, ?name=, ?email=. A service's questions are part of the details form.

import { api, ApiError, errorText, query, root, url } from "./api.js";
import { byId, clearFieldErrors, focusOn, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import { SlotPicker } from "./calendar.js";
import { proofFor } from "./challenge.js";
import { showBrand } from "./brand.js";
import { embedded, fullPage, startEmbed } from "./embed.js";
import * as i18n from "./i18n.js";
import { tr } from "./i18n.js";
import { icsHref } from "./ics.js";
import { placeBefore, placeFacts } from "./place.js";
import { lockedAfter, policyBefore } from "./policy.js";
import { bookingPath, EMAIL, prefill } from "./prefill.js";
import * as t from "./time.js";

const { slug, serviceId } = bookingPath(location.pathname.slice(new URL(root).pathname.length));
const state = { page: null, service: null, slot: null, zone: t.visitorZone(), picker: null, given: null };
const notice = byId("notice");

function show(step, heading) {
  for (const id of ["step-service", "step-time", "step-details", "step-done"]) byId(id).hidden = id !== step;
  focusOn(byId(heading));
}

async function start() {
  if (embedded()) startEmbed();
  const [page] = await Promise.all([
    slug ? api(`/public/${encodeURIComponent(slug)}${query({ service: serviceId || undefined })}`, { auth: false }).catch((error) => error) : new ApiError(404, null),
    i18n.start({ publicPage: true }),
  ]);
  // The provider's default language, for visitors whose browser asks for none we have.
  if (!(page instanceof Error)) await i18n.preferDefault(page.language);
  i18n.translatePage();
  document.title = tr("book.title");
  byId("language-slot").append(i18n.switcher());
  if (page instanceof Error) {
    byId("provider-name").textContent = tr("book.not_found_title");
    say(notice, page instanceof ApiError && page.status === 404 ? tr("book.not_found") : errorText(page), "error");
    return;
  }
  state.page = page;
  state.given = prefill(location.search, t.today(state.zone));
  document.title = tr("book.title_with", { name: page.name });
  byId("provider-name").textContent = page.name;
  showBrand(page);
  renderServices();
  // The link's service: listed, or unlisted (the page answers it as `service`); null when gone.
  const wanted = serviceId && page.service;
  if (wanted) return chooseService(wanted);
  if (serviceId) say(notice, tr("book.service_gone"), "error");
  byId("step-service").hidden = false;
}

function renderServices() {
  const groups = state.page.groups.filter((g) => g.services.length);
  if (!groups.length) {
    replace(byId("services"), h("p", { text: tr("book.nothing") }));
    return;
  }
  replace(byId("services"), groups.map((group, index) => {
    const titleId = `category-${index}`;
    const title = group.category ? group.category.name : tr(groups.length > 1 ? "book.other_services" : "book.services");
    return h("div", { class: "category" },
      h("h3", { id: titleId, text: title }),
      h("ul", { class: "service-list", "aria-labelledby": titleId }, group.services.map((service) =>
        h("li", {}, h("button", { type: "button", class: "service", "data-service": service.id, onclick: () => chooseService(service) },
          h("span", { class: "service-name", text: service.name }),
          h("span", { class: "service-meta", text: `${t.formatDuration(service.duration_minutes)} · ${t.formatPrice(service.price, service.currency)}` }),
          placeBefore(service.location) ? h("span", { class: "service-where", text: placeBefore(service.location) }) : null,
          service.description ? h("span", { class: "service-description", text: service.description }) : null)))));
  }));
}

function describe(service) {
  return tr("book.service_summary", {
    service: service.name, duration: t.formatDuration(service.duration_minutes), price: t.formatPrice(service.price, service.currency),
  });
}

async function chooseService(service) {
  const again = state.service && state.service.id === service.id && state.picker;
  state.service = service;
  say(notice, "");
  byId("time-service").textContent = describe(service);
  const where = placeBefore(service.location);
  byId("time-where").hidden = !where;
  byId("time-where").textContent = where ? tr("book.where_is", { place: where }) : "";
  if (!again) replace(byId("questions"), (service.questions || []).map(questionField));
  if (!again) {
    state.picker = new SlotPicker({
      zone: state.zone,
      day: state.given.date,
      load: loadSlots,
      onPick: chooseSlot,
      onZone: (zone) => { state.zone = zone; },
    });
    state.given.date = null;  // a deep link's day counts once
    replace(byId("picker"), state.picker.el);
  }
  show("step-time", "time-title");
  if (!again) await state.picker.start();
}

// One question as a form field named "answers.<key>", so a 422's detail finds it.
function questionField(question, index) {
  const id = `question-${index}`;
  const name = `answers.${question.key}`;
  const optional = question.required ? null : h("span", { class: "optional", text: ` ${tr("field.optional")}` });
  if (question.type === "checkbox") {
    return h("div", { class: "field" }, h("label", { class: "check", for: id },
      h("input", { type: "checkbox", id, name, required: question.required }), question.label, optional));
  }
  let input;
  if (question.type === "long_text") input = h("textarea", { id, name, rows: 3, maxlength: 2000, required: question.required });
  else if (question.type === "choice") {
    input = h("select", { id, name, required: question.required },
      h("option", { value: "", text: tr("book.choose_option") }),
      question.options.map((option) => h("option", { value: option, text: option })));
  } else input = h("input", { id, name, maxlength: 200, required: question.required });
  return h("div", { class: "field" }, h("label", { for: id }, h("span", { text: question.label }), optional), input);
}

// The answers the form holds, and the required ones left out (as field errors).
function readAnswers(values) {
  const answers = {};
  const problems = [];
  for (const question of state.service.questions || []) {
    const name = `answers.${question.key}`;
    const value = values[name];
    if (question.type === "checkbox") {
      if (value) answers[question.key] = true;
      else if (question.required) problems.push({ field: name, message: tr("book.need_tick") });
    } else if (value) answers[question.key] = value;
    else if (question.required) problems.push({ field: name, message: tr("book.need_answer") });
  }
  return { answers, problems };
}

async function loadSlots(from, to, zone) {
  const path = `/public/${encodeURIComponent(slug)}/services/${encodeURIComponent(state.service.id)}/slots`;
  const data = await api(`${path}${query({ from, to, timezone: zone })}`, { auth: false });
  return data.slots || [];
}

function chooseSlot(slot, zone) {
  state.slot = slot;
  state.zone = zone;
  byId("details-summary").textContent = tr("book.details_summary", {
    service: state.service.name, when: t.formatWhenRange(slot.start, slot.end, zone), zone: t.zoneLabel(zone),
  });
  byId("details-policy").textContent = policyBefore(state.page, slot.start);
  say(byId("form-error"), "");
  const form = byId("booking-form");
  if (state.given.name && !form.elements.name.value) form.elements.name.value = state.given.name;
  if (state.given.email && !form.elements.email.value) form.elements.email.value = state.given.email;
  show("step-details", "details-title");
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  clearFieldErrors(form);
  const values = formValues(form);
  const problems = [];
  if (!values.name) problems.push({ field: "name", message: tr("book.need_name") });
  if (!EMAIL.test(values.email)) problems.push({ field: "email", message: tr("book.need_email") });
  const { answers, problems: unanswered } = readAnswers(values);
  problems.push(...unanswered);
  if (problems.length) {
    showFieldErrors(form, problems);
    say(byId("form-error"), tr("common.check_fields"), "error");
    return;
  }
  const body = {
    service_id: state.service.id,
    start: state.slot.start,
    client: { name: values.name, email: values.email, ...(values.phone ? { phone: values.phone } : {}) },
    notes: values.notes,
    timezone: state.zone,
    language: i18n.lang(), // the page's language: the client's emails are written in it
    ...(Object.keys(answers).length ? { answers } : {}),
  };
  const button = byId("book-button");
  button.disabled = true;
  try {
    const booking = await send(form, body);
    done(booking, values.email);
  } catch (error) {
    await failed(form, error);
  } finally {
    button.disabled = false;
  }
}

// The same request keeps its Idempotency-Key until it has a definite answer: after a 5xx or a
// lost connection, asking again gives the booking back if it was made, and never makes two.
async function send(form, body, again = true) {
  const same = form.pending && form.pending.text === JSON.stringify(body);
  if (!same) {
    if (state.page.challenge_required) {
      say(byId("form-error"), tr("book.checking"));
      body = { ...body, proof: await proofFor(slug) };
    }
    form.pending = { text: JSON.stringify({ ...body, proof: undefined }), body, key: crypto.randomUUID() };
  }
  say(byId("form-error"), tr("book.booking"));
  try {
    const booking = await api(`/public/${encodeURIComponent(slug)}/bookings`, {
      method: "POST", body: form.pending.body, auth: false, headers: { "Idempotency-Key": form.pending.key },
    });
    form.pending = null;
    return booking;
  } catch (error) {
    const definite = error instanceof ApiError && error.status > 0 && error.status < 500 && error.status !== 429;
    if (definite) form.pending = null;
    const staleProof = error instanceof ApiError && error.status === 422 && error.details.some((d) => d.field === "proof");
    if (staleProof && again) return send(form, body, false); // expired or used: solve a new one once
    throw error;
  }
}

// Why a 409 refused the time (docs/api.md): each code has its own message.
const REFUSED = {
  taken: "book.taken",
  daily_limit: "book.day_full",
  outside_hours: "book.outside_hours",
  too_soon: "book.too_soon",
  too_far_ahead: "book.too_far_ahead",
};

async function failed(form, error) {
  if (error instanceof ApiError && error.status === 409) {
    say(byId("form-error"), "");
    show("step-time", "time-title");
    say(notice, tr(REFUSED[error.code] || "book.taken"), "error");
    await state.picker.refresh();
    return;
  }
  const fieldFor = (name) => name.replace(/^client\./, "");
  if (error instanceof ApiError && error.status === 422 && showFieldErrors(form, error.details, fieldFor)) {
    say(byId("form-error"), tr("common.check_fields"), "error");
    return;
  }
  say(byId("form-error"), errorText(error), "error");
}

function done(booking, email) {
  const service = typeof booking.service === "object" && booking.service ? booking.service : {};
  const name = service.name || state.service.name;
  const lang = new URLSearchParams(location.search).get("lang") === i18n.lang() ? `&lang=${i18n.lang()}` : "";
  const manage = url(`/book/manage/${encodeURIComponent(booking.id)}?token=${encodeURIComponent(booking.manage_token)}${lang}`);
  const what = tr("common.service_with", { service: name, provider: state.page.name });
  say(notice, "");
  replace(byId("done-facts"),
    h("dt", { text: tr("common.what") }), h("dd", { text: what }),
    h("dt", { text: tr("common.when") }), h("dd", { text: t.formatWhenRange(booking.start, booking.end, state.zone) }),
    h("dt", { text: tr("common.time_zone") }), h("dd", { text: t.zoneLabel(state.zone) }),
    placeFacts(booking.location));
  byId("done-mail").textContent = tr("book.mail_sent", { email });
  byId("ics-link").href = icsHref({ id: booking.id, start: booking.start, end: booking.end, summary: what, location: booking.location });
  byId("manage-link").href = manage;
  fullPage(byId("manage-link"));
  byId("manage-url").textContent = manage;
  const locked = lockedAfter(state.page, booking.start);
  byId("done-policy").textContent = locked;
  // data-i18n too, so that a change of language keeps the right words.
  for (const [id, key] of [["manage-link", locked ? "book.view_booking" : "book.change_or_cancel"],
    ["keep-link", locked ? "book.keep_link_view" : "book.keep_link"]]) {
    byId(id).dataset.i18n = key;
    byId(id).textContent = tr(key);
  }
  show("step-done", "done-title");
}

byId("change-service").addEventListener("click", () => show("step-service", "service-title"));
byId("change-time").addEventListener("click", () => show("step-time", "time-title"));
byId("booking-form").addEventListener("submit", submit);
start();
