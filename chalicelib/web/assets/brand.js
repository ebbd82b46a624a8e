// The provider's brand on the booking and manage pages (docs/pages.md, "Brand"). Texts go in as
// text (the about text's line breaks kept by CSS). The accent is the --brand custom property, set
// through the CSSOM: style-src 'self' forbids style attributes, not that.

import { root } from "./api.js";

const COLOR = /^#[0-9a-f]{6}$/;

// A path resolves under the app's root (a stage prefix included); a full address counts only on
// the app's own origin (img-src 'self'). null for anything else.
export function ownPhoto(photo, base = root) {
  if (typeof photo !== "string" || !photo) return null;
  try {
    const app = new URL(base);
    const address = photo.startsWith("/") && !photo.startsWith("//") ? new URL(photo.slice(1), app) : new URL(photo);
    return address.origin === app.origin ? address.href : null;
  } catch {
    return null;
  }
}

export function applyAccent(color, el = document.documentElement) {
  if (typeof color !== "string" || !COLOR.test(color)) return false;
  el.style.setProperty("--brand", color);
  el.classList.add("accent");
  return true;
}

function showText(el, text) {
  el.textContent = typeof text === "string" ? text : "";
  el.hidden = !el.textContent;
}

// Decorative (alt=""): the name beside it says who it is. Placed once loaded, so a photo that
// does not load leaves nothing behind; never a second one (.provider-photo: any photo shown).
function showPhoto(address) {
  const head = document.querySelector(".brand-head");
  const shown = () => document.querySelector(".provider-photo");
  if (!address || !head || shown()) return;
  const photo = Object.assign(document.createElement("img"), {
    id: "brand-photo", className: "brand-photo provider-photo", alt: "", width: 96, height: 96,
  });
  photo.addEventListener("load", () => { if (!shown()) head.prepend(photo); }, { once: true });
  photo.src = address;
}

// The page's head from `brand` ({headline, about, accent_color, photo}, any of them absent).
export function showBrand(brand) {
  const given = brand || {};
  applyAccent(given.accent_color);
  showText(document.getElementById("brand-headline"), given.headline);
  showText(document.getElementById("brand-about"), given.about);
  showPhoto(ownPhoto(given.photo));
}
