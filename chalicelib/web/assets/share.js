// The booking page's address, with a copy button.

import { url } from "./api.js";
import { h } from "./dom.js";
import { tr } from "./i18n.js";

export function shareLink(slug) {
  const link = url(`/book/${slug}`);
  const status = h("span", { class: "hint", role: "status" });
  const copy = h("button", {
    type: "button",
    text: tr("share.copy"),
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(link);
        status.textContent = tr("share.copied");
      } catch {
        status.textContent = tr("share.select");
      }
    },
  });
  return h("div", { class: "share" },
    h("a", { href: link, id: "share-link", class: "break", target: "_blank", rel: "noopener", text: link }),
    h("p", { class: "actions" }, copy, status));
}
