// The profile's embedding panel: the sites that may frame the booking page (embed_origins, at
// most five) and the code to paste into one of them (docs/pages.md, "Embedding").

import { api, root, url } from "./api.js";
import { clearFieldErrors, formValues, h, say, showFieldErrors } from "./dom.js";
import { tr } from "./i18n.js";
import { field, showErrors } from "./ui.js";

export const MAX_ORIGINS = 5;

function attribute(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

// The <iframe> and the few lines that size it from the page's height message.
export function snippet(slug, name) {
  const origin = new URL(root).origin;
  const src = url(`/book/${encodeURIComponent(slug)}?embed=1`);
  return [
    `<iframe id="scheduler-booking" src="${attribute(src)}" title="${attribute(tr("embed.frame_title", { name }))}"`,
    `  style="width: 100%; height: 700px; border: 0;" loading="lazy"></iframe>`,
    `<script>`,
    `window.addEventListener("message", function (event) {`,
    `  if (event.origin !== "${origin}") return;`,
    `  var data = event.data;`,
    `  if (data && data.type === "scheduler:height" && typeof data.height === "number") {`,
    `    document.getElementById("scheduler-booking").style.height = data.height + "px";`,
    `  }`,
    `});`,
    `</script>`,
  ].join("\n");
}

function copyButton(text) {
  const status = h("span", { class: "hint", role: "status" });
  const copy = h("button", {
    type: "button",
    text: tr("embed.copy"),
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text());
        status.textContent = tr("share.copied");
      } catch {
        status.textContent = tr("share.select");
      }
    },
  });
  return h("p", { class: "actions" }, copy, status);
}

export function embedPanel(ctx, onSaved) {
  const me = ctx.me;
  const inputs = Array.from({ length: MAX_ORIGINS }, (_, i) =>
    field(`embed-origin-${i}`, tr("embed.origin_n", { n: i + 1 }),
      h("input", { name: `origin_${i}`, type: "url", inputmode: "url", autocomplete: "off", spellcheck: "false", maxlength: 300, placeholder: i ? "" : "https://example.com", value: me.embed_origins[i] || "" })));
  const error = h("div", { class: "notice", role: "alert" });
  const code = h("textarea", { id: "embed-snippet", class: "snippet", readonly: true, rows: 11, spellcheck: "false" });
  code.value = snippet(me.slug, me.name);
  const form = h("form", { id: "embed-form", novalidate: true },
    ...inputs, error, h("button", { type: "submit", text: tr("embed.save") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    say(error, "");
    const values = formValues(form);
    const origins = inputs.map((_, i) => (values[`origin_${i}`] || "")).filter((v) => v !== "");
    try {
      ctx.me = await api("/me", { method: "PATCH", body: { embed_origins: origins } });
      say(error, tr("embed.saved"), "status");
      if (onSaved) onSaved();
    } catch (err) {
      // "embed_origins.2" is the third site sent (empty fields are not sent); the list as a
      // whole (too many, a duplicate) marks the first field.
      const sent = inputs.map((_, i) => i).filter((i) => (values[`origin_${i}`] || "") !== "");
      const at = (name) => `origin_${sent[Number(name.split(".")[1] || 0)] ?? 0}`;
      showErrors(form, error, err, at);
    }
  });
  return h("section", { "aria-labelledby": "embed-title", id: "embed" },
    h("h2", { id: "embed-title", text: tr("embed.title") }),
    h("p", { class: "hint", text: tr("embed.intro") }),
    form,
    h("label", { for: "embed-snippet", text: tr("embed.snippet") }),
    code,
    copyButton(() => code.value));
}
