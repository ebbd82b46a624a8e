// The booking page inside another site's <iframe> (?embed=1): the compact layout, and its height
// posted to the page that frames it so that page can size the frame (docs/pages.md, "Embedding").
// The message goes to the framing page's origin only, never "*": the browser let this page be
// framed only because that origin is in the provider's embed_origins (CSP frame-ancestors), so
// the origin it reports is one the provider listed, and nothing reaches a page that is not it.

export const HEIGHT_MESSAGE = "scheduler:height";

export function embedded() {
  return new URLSearchParams(location.search).get("embed") === "1";
}

// The origin of the page that frames this one; null when there is none (or it cannot be told).
function parentOrigin() {
  if (window.parent === window) return null;
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length) return ancestors[0];
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

export function startEmbed() {
  document.documentElement.classList.add("embed");
  const target = parentOrigin();
  if (!target || target === "null") return;
  let last = -1;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, target);
  };
  new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener("load", post);
  post();
}

// The links that leave the booking flow (change or cancel) open as a full page, not in the frame.
export function fullPage(link) {
  if (!embedded()) return;
  link.target = "_blank";
  link.rel = "noopener";
}
