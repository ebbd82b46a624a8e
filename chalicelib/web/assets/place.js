// Where an appointment takes place, as the pages show it. Before booking, a phone number or a
// video link is not known to the page (the API gives its kind only): the page says it will come.

import { h } from "./dom.js";
import { tr } from "./i18n.js";

// Before booking: one line of text, or "" when the service says nothing about a place.
export function placeBefore(location) {
  if (!location) return "";
  if (location.type === "phone") return tr("book.phone_later");
  if (location.type === "video") return tr("book.video_later");
  return location.value || "";
}

// Once booked: text, or a link a phone or a browser opens (tel: and https: only).
export function placeBooked(location) {
  if (!location || !location.value) return placeBefore(location);
  if (location.type === "phone") {
    const dial = location.value.replace(/[^0-9+]/g, "");
    return h("a", { href: `tel:${dial}`, text: tr("common.by_phone", { number: location.value }) });
  }
  if (location.type === "video" && /^https:\/\//.test(location.value)) {
    return h("a", { href: location.value, rel: "noopener noreferrer", target: "_blank", text: tr("common.join_video") });
  }
  return location.value;
}

// The facts of a booked appointment's place, for a <dl>: [dt, dd] or nothing.
export function placeFacts(location) {
  const shown = placeBooked(location);
  return shown ? [h("dt", { text: tr("common.where") }), h("dd", {}, shown)] : null;
}
