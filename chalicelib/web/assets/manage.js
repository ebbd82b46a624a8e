// The client's own page for one appointment, opened from the link in the confirmation:
// see it, add it to a calendar, cancel it or move it (within the provider's notice), book again.

import { api, ApiError, errorText, query, url } from "./api.js";
import { byId, focusOn, h, replace, say } from "./dom.js";
import { showBrand } from "./brand.js";
import { SlotPicker } from "./calendar.js";
import * as i18n from "./i18n.js";
import { tr } from "./i18n.js";
import { icsHref } from "./ics.js";
import { placeFacts } from "./place.js";
import * as t from "./time.js";

const id = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const token = new URLSearchParams(location.search).get("token") || "";
const notice = byId("notice");
const state = { booking: null, zone: t.visitorZone(), picker: null, slot: null };
const ACTIVE = ["pending", "confirmed"];

// The booking as GET /public/bookings/{id} answers it.
function serviceOf(b) {
  return { id: b.service.id, name: b.service.name };
}

function providerOf(b) {
  return { name: b.provider_name || "", slug: b.provider_slug || "", email: b.provider_email || "" };
}

// Too late to change online: whom to ask instead, with the provider's address when there is one.
function contactText(provider) {
  const name = provider.name || tr("manage.the_provider");
  return provider.email ? tr("manage.too_late_contact", { provider: name, email: provider.email }) : tr("manage.too_late", { provider: name });
}

function titleOf(b) {
  const service = serviceOf(b);
  const provider = providerOf(b);
  return provider.name ? tr("common.service_with", { service: service.name, provider: provider.name }) : service.name;
}

function fetchBooking() {
  if (!token) return Promise.resolve(null);
  return api(`/public/bookings/${encodeURIComponent(id)}${query({ token })}`, { auth: false }).catch((error) => error);
}

async function start() {
  const [, booking] = await Promise.all([i18n.start({ publicPage: true }), fetchBooking()]);
  // The language the client booked in (`language` on the booking, once it has one) when the
  // browser named none we have.
  if (booking && !(booking instanceof Error)) await i18n.preferDefault(booking.language);
  i18n.translatePage();
  document.title = tr("manage.title");
  byId("language-slot").append(i18n.switcher());
  show(booking);
}

async function load() {
  show(await fetchBooking());
}

function show(booking) {
  if (!booking) {
    byId("title").textContent = tr("manage.no_token_title");
    say(notice, tr("manage.no_token"), "error");
    return;
  }
  if (booking instanceof Error) {
    byId("title").textContent = tr("manage.not_found_title");
    say(notice, booking instanceof ApiError && booking.status === 404 ? tr("manage.not_found") : errorText(booking), "error");
    return;
  }
  state.booking = booking;
  render();
}

function render() {
  const b = state.booking;
  const provider = providerOf(b);
  const zone = t.isZone(b.timezone || "") ? b.timezone : state.zone;
  state.zone = zone;
  byId("title").textContent = titleOf(b);
  showBrand(b.provider_brand);
  const cancelled = ["cancelled", "declined"].includes(b.status);  // over: its reason, and book again
  replace(byId("facts"),
    h("dt", { text: tr("common.when") }), h("dd", { text: t.formatWhenRange(b.start, b.end, zone) }),
    h("dt", { text: tr("common.time_zone") }), h("dd", { text: t.zoneLabel(zone) }),
    h("dt", { text: tr("manage.status") }), h("dd", { text: tr(`manage.status.${b.status}`) }),
    placeFacts(b.location),
    cancelled && b.cancel_reason ? [h("dt", { text: tr("manage.reason") }), h("dd", { text: b.cancel_reason })] : null);
  const active = ACTIVE.includes(b.status);
  byId("ics-link").hidden = !active;
  byId("cancel-button").hidden = !b.can_change;
  byId("reschedule-button").hidden = !b.can_change || !provider.slug;
  const again = byId("book-again");
  again.hidden = !cancelled || !provider.slug;
  if (provider.slug) {
    const lang = new URLSearchParams(location.search).get("lang");
    again.href = url(`/book/${encodeURIComponent(provider.slug)}/${encodeURIComponent(b.service.id)}${lang ? query({ lang }) : ""}`);
  }
  if (active && b.change_deadline) {
    byId("deadline").textContent = b.can_change
      ? tr("manage.deadline", { when: t.formatWhen(b.change_deadline, zone) })
      : contactText(provider);
  } else {
    byId("deadline").textContent = "";
  }
  if (active) {
    byId("ics-link").href = icsHref({ id: b.id, start: b.start, end: b.end, sequence: b.sequence || 0, summary: titleOf(b), location: b.location });
  }
  byId("details").hidden = false;
}

function openSection(which) {
  byId("reschedule").hidden = which !== "reschedule";
  byId("cancel").hidden = which !== "cancel";
  byId("details").hidden = which !== null;
  if (which) focusOn(byId(`${which}-title`));
  else focusOn(byId("title"));
}

async function openReschedule() {
  say(notice, "");
  const b = state.booking;
  const service = serviceOf(b);
  const provider = providerOf(b);
  state.picker = new SlotPicker({
    zone: state.zone,
    current: { start: b.start, end: b.end },
    load: async (from, to, zone) => {
      const path = `/public/${encodeURIComponent(provider.slug)}/services/${encodeURIComponent(service.id)}/slots`;
      return (await api(`${path}${query({ from, to, timezone: zone })}`, { auth: false })).slots || [];
    },
    onPick: (slot, zone) => {
      state.slot = slot;
      state.zone = zone;
      byId("move-summary").textContent = tr("manage.move_to", { when: t.formatWhenRange(slot.start, slot.end, zone), zone: t.zoneLabel(zone) });
      byId("move-confirm").hidden = false;
      focusOn(byId("move-summary"));
    },
    onZone: (zone) => { state.zone = zone; },
  });
  byId("move-confirm").hidden = true;
  replace(byId("picker"), state.picker.el);
  openSection("reschedule");
  await state.picker.start();
}

// The 409 codes that refuse a new time (docs/api.md): the picker is refreshed after each.
const REFUSALS = ["taken", "outside_hours", "too_soon", "too_far_ahead", "daily_limit"];

async function move() {
  const button = byId("move-button");
  button.disabled = true;
  try {
    await api(`/public/bookings/${encodeURIComponent(id)}/reschedule`, {
      // The language this page is read in becomes the booking's: the emails from now on are in it.
      method: "POST", body: { token, start: state.slot.start, language: i18n.lang() }, auth: false,
    });
    await load();
    openSection(null);
    say(notice, tr("manage.moved", { when: t.formatWhen(state.booking.start, state.zone) }));
  } catch (error) {
    if (error instanceof ApiError && REFUSALS.includes(error.code)) {
      byId("move-confirm").hidden = true;
      say(notice, error.code === "taken" ? tr("manage.taken") : errorText(error), "error");
      await state.picker.refresh();
      focusOn(byId("reschedule-title"));
    } else {
      say(notice, tooLate(error) || errorText(error), "error");
    }
  } finally {
    button.disabled = false;
  }
}

function tooLate(error) {
  if (!(error instanceof ApiError) || error.code !== "too_late_to_change") return "";
  return contactText(providerOf(state.booking));
}

async function cancel(event) {
  event.preventDefault();
  const reason = byId("cancel-reason").value.trim();
  try {
    await api(`/public/bookings/${encodeURIComponent(id)}/cancel`, {
      method: "POST", body: { token, reason }, auth: false,
    });
    await load();
    openSection(null);
    say(notice, tr("manage.cancelled"));
  } catch (error) {
    say(notice, tooLate(error) || errorText(error), "error");
  }
}

byId("reschedule-button").addEventListener("click", openReschedule);
byId("cancel-button").addEventListener("click", () => { say(notice, ""); openSection("cancel"); });
byId("cancel-close").addEventListener("click", () => openSection(null));
byId("reschedule-close").addEventListener("click", () => openSection(null));
byId("move-back").addEventListener("click", () => { byId("move-confirm").hidden = true; focusOn(byId("reschedule-title")); });
byId("move-button").addEventListener("click", move);
byId("cancel-form").addEventListener("submit", cancel);
start();
