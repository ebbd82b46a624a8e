// The booking page's address, with a copy button.

import { url } from "./api.js";
import { h } from "./dom.js";

export function shareLink(slug) {
  const link = url(`/book/${slug}`);
  const status = h("span", { class: "hint", role: "status" });
  const copy = h("button", {
    type: "button",
    text: "Copy link",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        status.textContent = "Copied.";
      } catch {
        status.textContent = "Select the address and copy it.";
      }
    },
  });
  return h("div", { class: "share" },
    h("a", { href: link, id: "share-link", class: "break", target: "_blank", rel: "noopener", text: link }),
    h("p", { class: "actions" }, copy, status));
}
