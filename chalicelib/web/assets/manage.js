// The client's own page for one appointment, opened from the link in the confirmation:
// see it, add it to a calendar, cancel it or move it (within the provider's notice).

import { api, ApiError, errorText, query } from "./api.js";
import { byId, focusOn, h, replace, say } from "./dom.js";
import { SlotPicker } from "./calendar.js";
import { icsHref } from "./ics.js";
import * as t from "./time.js";

const id = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const token = new URLSearchParams(location.search).get("token") || "";
const notice = byId("notice");
const state = { booking: null, zone: t.visitorZone(), picker: null, slot: null };
const ACTIVE = ["pending", "confirmed"];
const STATUS = { pending: "Waiting for confirmation", confirmed: "Confirmed", cancelled: "Cancelled", completed: "Completed", no_show: "Missed" };

// The booking as GET /public/bookings/{id} answers it.
function serviceOf(b) {
  return { id: b.service.id, name: b.service.name };
}

function providerOf(b) {
  return { name: b.provider_name || "", slug: b.provider_slug || "" };
}

async function load() {
  if (!token) {
    byId("title").textContent = "Open the link from your email";
    say(notice, "This address is missing the part that proves the appointment is yours. Open the link in your confirmation email, or ask the provider to change the appointment.", "error");
    return;
  }
  try {
    state.booking = await api(`/public/bookings/${encodeURIComponent(id)}${query({ token })}`, { auth: false });
  } catch (error) {
    byId("title").textContent = "Appointment not found";
    const text = error instanceof ApiError && error.status === 404
      ? "This link does not match an appointment. Check that you used the whole link from your email."
      : errorText(error);
    say(notice, text, "error");
    return;
  }
  render();
}

function render() {
  const b = state.booking;
  const service = serviceOf(b);
  const provider = providerOf(b);
  const zone = t.isZone(b.timezone || "") ? b.timezone : state.zone;
  state.zone = zone;
  byId("title").textContent = provider.name ? `${service.name} with ${provider.name}` : service.name;
  const cancelled = b.status === "cancelled";
  replace(byId("facts"),
    h("dt", { text: "When" }), h("dd", { text: `${t.formatWhen(b.start, zone)} to ${t.formatTime(b.end, zone)}` }),
    h("dt", { text: "Time zone" }), h("dd", { text: t.zoneLabel(zone) }),
    h("dt", { text: "Status" }), h("dd", { text: STATUS[b.status] || b.status }),
    cancelled && b.cancel_reason ? [h("dt", { text: "Reason" }), h("dd", { text: b.cancel_reason })] : null);
  const active = ACTIVE.includes(b.status);
  byId("ics-link").hidden = !active;
  byId("cancel-button").hidden = !b.can_change;
  byId("reschedule-button").hidden = !b.can_change || !provider.slug;
  if (active && b.change_deadline) {
    byId("deadline").textContent = b.can_change
      ? `You can cancel or move it online until ${t.formatWhen(b.change_deadline, zone)}.`
      : `It is too close to the appointment to change it online. Please contact ${provider.name || "the provider"} directly.`;
  } else {
    byId("deadline").textContent = "";
  }
  if (active) {
    byId("ics-link").href = icsHref({
      id: b.id, start: b.start, end: b.end, sequence: b.sequence || 0,
      summary: provider.name ? `${service.name} with ${provider.name}` : service.name,
    });
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
  const service = serviceOf(state.booking);
  const provider = providerOf(state.booking);
  state.picker = new SlotPicker({
    zone: state.zone,
    load: async (from, to, zone) => {
      const path = `/public/${encodeURIComponent(provider.slug)}/services/${encodeURIComponent(service.id)}/slots`;
      return (await api(`${path}${query({ from, to, timezone: zone })}`, { auth: false })).slots || [];
    },
    onPick: (slot, zone) => {
      state.slot = slot;
      state.zone = zone;
      byId("move-summary").textContent = `Move to ${t.formatWhen(slot.start, zone)} (${t.zoneLabel(zone)})?`;
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

async function move() {
  const button = byId("move-button");
  button.disabled = true;
  try {
    await api(`/public/bookings/${encodeURIComponent(id)}/reschedule`, {
      method: "POST", body: { token, start: state.slot.start }, auth: false,
    });
    await load();
    openSection(null);
    say(notice, `Done: your appointment is now on ${t.formatWhen(state.booking.start, state.zone)}.`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "slot_unavailable") {
      byId("move-confirm").hidden = true;
      say(notice, "Sorry, that time was just taken. Here are the times that are still free.", "error");
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
  const who = providerOf(state.booking).name || "the provider";
  return `It is too close to the appointment to change it online. Please contact ${who} directly.`;
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
    say(notice, "Your appointment is cancelled.");
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
load();
