// The public booking page: service -> day and time (in the visitor's zone) -> details -> done.

import { api, ApiError, errorText, query, url } from "./api.js";
import { byId, clearFieldErrors, focusOn, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import { SlotPicker } from "./calendar.js";
import { proofFor } from "./challenge.js";
import { icsHref } from "./ics.js";
import * as t from "./time.js";

const slug = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const state = { page: null, service: null, slot: null, zone: t.visitorZone(), picker: null };
const notice = byId("notice");

function show(step, heading) {
  for (const id of ["step-service", "step-time", "step-details", "step-done"]) byId(id).hidden = id !== step;
  focusOn(byId(heading));
}

async function start() {
  try {
    state.page = await api(`/public/${encodeURIComponent(slug)}`, { auth: false });
  } catch (error) {
    byId("provider-name").textContent = "Booking page not found";
    const text = error instanceof ApiError && error.status === 404
      ? "There is no booking page at this address. Check the link you were given."
      : errorText(error);
    say(notice, text, "error");
    return;
  }
  document.title = `Book with ${state.page.name}`;
  byId("provider-name").textContent = state.page.name;
  renderServices();
  byId("step-service").hidden = false;
}

function renderServices() {
  const groups = state.page.groups.filter((g) => g.services.length);
  if (!groups.length) {
    replace(byId("services"), h("p", { text: "There is nothing to book here yet." }));
    return;
  }
  replace(byId("services"), groups.map((group, index) => {
    const titleId = `category-${index}`;
    const title = group.category ? group.category.name : (groups.length > 1 ? "Other services" : "Services");
    return h("div", { class: "category" },
      h("h3", { id: titleId, text: title }),
      h("ul", { class: "service-list", "aria-labelledby": titleId }, group.services.map((service) =>
        h("li", {}, h("button", { type: "button", class: "service", "data-service": service.id, onclick: () => chooseService(service) },
          h("span", { class: "service-name", text: service.name }),
          h("span", { class: "service-meta", text: `${t.formatDuration(service.duration_minutes)} · ${t.formatPrice(service.price, service.currency)}` }),
          service.description ? h("span", { class: "service-description", text: service.description }) : null)))));
  }));
}

function describe(service) {
  return `${service.name}, ${t.formatDuration(service.duration_minutes)}, ${t.formatPrice(service.price, service.currency)}`;
}

async function chooseService(service) {
  state.service = service;
  say(notice, "");
  byId("time-service").textContent = describe(service);
  state.picker = new SlotPicker({
    zone: state.zone,
    load: loadSlots,
    onPick: chooseSlot,
    onZone: (zone) => { state.zone = zone; },
  });
  replace(byId("picker"), state.picker.el);
  show("step-time", "time-title");
  await state.picker.start();
}

async function loadSlots(from, to, zone) {
  const path = `/public/${encodeURIComponent(slug)}/services/${encodeURIComponent(state.service.id)}/slots`;
  const data = await api(`${path}${query({ from, to, timezone: zone })}`, { auth: false });
  return data.slots || [];
}

function chooseSlot(slot, zone) {
  state.slot = slot;
  state.zone = zone;
  byId("details-summary").textContent =
    `${state.service.name} on ${t.formatWhen(slot.start, zone)} (${t.zoneLabel(zone)})`;
  say(byId("form-error"), "");
  show("step-details", "details-title");
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  clearFieldErrors(form);
  const values = formValues(form);
  const problems = [];
  if (!values.name) problems.push({ field: "name", message: "Please enter your name." });
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) problems.push({ field: "email", message: "Please enter an email address like name@example.com." });
  if (problems.length) {
    showFieldErrors(form, problems);
    say(byId("form-error"), "Please check the highlighted fields.", "error");
    return;
  }
  const body = {
    service_id: state.service.id,
    start: state.slot.start,
    client: { name: values.name, email: values.email, ...(values.phone ? { phone: values.phone } : {}) },
    notes: values.notes,
    timezone: state.zone,
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
      say(byId("form-error"), "Checking that this is a person booking (a second or two)…");
      body = { ...body, proof: await proofFor(slug) };
    }
    form.pending = { text: JSON.stringify({ ...body, proof: undefined }), body, key: crypto.randomUUID() };
  }
  say(byId("form-error"), "Booking…");
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

async function failed(form, error) {
  if (error instanceof ApiError && error.status === 409) {
    say(byId("form-error"), "");
    show("step-time", "time-title");
    say(notice, "Sorry, that time was just taken by someone else. Here are the times that are still free.", "error");
    await state.picker.refresh();
    return;
  }
  const fieldFor = (name) => name.replace(/^client\./, "");
  if (error instanceof ApiError && error.status === 422 && showFieldErrors(form, error.details, fieldFor)) {
    say(byId("form-error"), "Please check the highlighted fields.", "error");
    return;
  }
  say(byId("form-error"), errorText(error), "error");
}

function done(booking, email) {
  const service = typeof booking.service === "object" && booking.service ? booking.service : {};
  const name = service.name || state.service.name;
  const manage = url(`/book/manage/${encodeURIComponent(booking.id)}?token=${encodeURIComponent(booking.manage_token)}`);
  say(notice, "");
  replace(byId("done-facts"),
    h("dt", { text: "What" }), h("dd", { text: `${name} with ${state.page.name}` }),
    h("dt", { text: "When" }), h("dd", { text: `${t.formatWhen(booking.start, state.zone)} to ${t.formatTime(booking.end, state.zone)}` }),
    h("dt", { text: "Time zone" }), h("dd", { text: t.zoneLabel(state.zone) }));
  byId("done-mail").textContent = `A confirmation is on its way to ${email}.`;
  byId("ics-link").href = icsHref({
    id: booking.id, start: booking.start, end: booking.end, summary: `${name} with ${state.page.name}`,
  });
  byId("manage-link").href = manage;
  byId("manage-url").textContent = manage;
  show("step-done", "done-title");
}

byId("change-service").addEventListener("click", () => show("step-service", "service-title"));
byId("change-time").addEventListener("click", () => show("step-time", "time-title"));
byId("booking-form").addEventListener("submit", submit);
start();
