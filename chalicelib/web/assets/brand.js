// The provider's brand on the booking and manage pages (docs/pages.md, "Brand"): the photo, the
// headline, the about text and the accent colour. Every text goes in as text (the about text's
// line breaks kept by CSS, never as markup). The accent is the --brand custom property, set
// through the CSSOM: the pages' style-src 'self' forbids style attributes, not that.

import { root } from "./api.js";

const COLOR = /^#[0-9a-f]{6}$/;
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

// The photo's address: a path is under the app's root (as the API's paths are, a stage prefix
// included); a full address only when it is on the app's own origin (img-src 'self'). null else.
export function ownPhoto(photo, base = root) {
  if (typeof photo !== "string" || !photo) return null;
  try {
    const app = new URL(base);
    const path = photo.startsWith("/") && !photo.startsWith("//");
    const address = path ? new URL(photo.slice(1), app) : new URL(photo);
    return address.origin === app.origin ? address.href : null;
  } catch {
    return null;
  }
}

export function applyAccent(color, root = document.documentElement) {
  if (typeof color !== "string" || !COLOR.test(color)) return false;
  root.style.setProperty("--brand", color);
  root.classList.add("accent");
  return true;
}

function showText(el, text) {
  el.textContent = typeof text === "string" ? text : "";
  el.hidden = !el.textContent;
}

// The photo beside the name: decorative (alt=""), the name says who it is. Placed once it has
// loaded, so a photo that does not load leaves nothing behind.
function showPhoto(address) {
  const head = document.querySelector(".brand-head");
  if (!address || !head || document.getElementById("brand-photo")) return;
  const photo = Object.assign(document.createElement("img"), {
    id: "brand-photo", className: "brand-photo provider-photo", alt: "", width: 96, height: 96,
  });
  photo.addEventListener("load", () => head.prepend(photo), { once: true });
  photo.src = address;
}

// Fills the page's head from `brand` ({headline, about, accent_color, photo}, any of them
// absent): #brand-headline and #brand-about stay hidden when they have nothing, no photo no image.
export function showBrand(brand) {
  const given = brand || {};
  applyAccent(given.accent_color);
  showText(document.getElementById("brand-headline"), given.headline);
  showText(document.getElementById("brand-about"), given.about);
  showPhoto(ownPhoto(given.photo));
}
