// The profile's photo (docs/pages.md, "Brand"): the one the pages show, a new one previewed before
// it is sent, sent to the target POST /me/photo answers (the bucket's presigned form in AWS, the app
// itself on the local stage) and confirmed with PUT /me/photo; or removed. Only for a profile that
// answers `photo` at all (an API with photos).

import { api, ApiError, errorText, url } from "./api.js";
import { ownPhoto } from "./brand.js";
import { clearFieldErrors, h, replace, say, showFieldErrors } from "./dom.js";
import { tr } from "./i18n.js";
import { showErrors } from "./ui.js";

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;  // as the API's bound (docs/api.md, "Photo")
// What the upload target's refusals mean, as the confirmation's codes say it.
const TARGET_REFUSALS = { 413: "too_large", 415: "unsupported_type" };

// What is wrong with a chosen file before it is sent, in words; "" when nothing.
export function fileProblem(file) {
  if (!file) return tr("brand.photo_pick_first");
  if (!PHOTO_TYPES.includes(file.type)) return tr("brand.error.unsupported_type");
  if (!file.size) return tr("brand.error.empty");
  if (file.size > MAX_PHOTO_BYTES) return tr("brand.error.too_large");
  return "";
}

// The brand's and the photo's own refusal codes in the page's language (brand.error.<code>: the
// dashboard's part of the catalog, never sent to the public pages); other details as they are.
export function inWords(err) {
  if (err instanceof ApiError) {
    err.details = err.details.map((d) => {
      const key = `brand.error.${d.code}`;
      return tr(key) === key ? d : { field: d.field, message: tr(key) };
    });
  }
  return err;
}

async function refusal(response) {
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const code = TARGET_REFUSALS[response.status];
  return code ? new ApiError(422, { error: { code: "photo_rejected", details: [{ field: "photo", code, message: "" }] } }) : new ApiError(response.status, data);
}

// The file to the upload target: a multipart form of its fields in order, then the file (POST), or
// the file as the body with its headers (PUT, a path under the app). Never the sign-in token.
async function send(target, file) {
  let response;
  try {
    if (target.method === "POST") {
      const form = new FormData();
      for (const [name, value] of Object.entries(target.fields || {})) form.append(name, value);
      form.append("file", file);
      response = await fetch(target.url, { method: "POST", body: form, credentials: "omit" });
    } else {
      response = await fetch(url(target.url), { method: "PUT", headers: target.headers || {}, body: file, credentials: "omit" });
    }
  } catch {
    throw new ApiError(0, { error: { code: "network", message: tr("error.network") } });
  }
  if (!response.ok) throw await refusal(response);
}

function preview(src, alt, id) {
  return h("img", { class: "brand-photo", id, src, alt, width: 96, height: 96 });
}

function current(me) {
  const address = ownPhoto(me.photo);
  return address ? preview(address, tr("brand.photo_alt"), "brand-photo-preview") : h("p", { class: "hint", id: "brand-no-photo", text: tr("brand.no_photo") });
}

export function photoPanel(ctx) {
  if (!Object.hasOwn(ctx.me, "photo")) return null;
  const shown = h("div", { class: "photo-now" }, current(ctx.me));
  const input = h("input", { type: "file", id: "brand-photo-file", name: "photo", accept: PHOTO_TYPES.join(","), "aria-describedby": "brand-photo-hint" });
  const chosen = h("div", { class: "photo-new" });
  const status = h("div", { class: "notice", role: "status" });
  const remove = h("button", { type: "button", class: "danger", id: "brand-photo-remove", text: tr("brand.photo_remove"), hidden: !ctx.me.photo });
  const form = h("form", { id: "photo-form", novalidate: true },
    h("p", { class: "label", text: tr("brand.photo") }),
    shown,
    h("div", { class: "field" },
      h("label", { for: "brand-photo-file", text: tr("brand.photo_choose") }),
      input,
      h("p", { class: "hint", id: "brand-photo-hint", text: tr("brand.photo_hint") })),
    chosen,
    status,
    h("p", { class: "actions" }, h("button", { type: "submit", text: tr("brand.photo_upload") }), remove));
  const refreshed = (me, message) => {
    ctx.me = me;
    replace(shown, current(me));
    replace(chosen);
    input.value = "";
    remove.hidden = !me.photo;
    say(status, message, "status");
  };
  input.addEventListener("change", () => {
    clearFieldErrors(form);
    say(status, "");
    replace(chosen);
    const file = input.files[0];
    const problem = fileProblem(file);
    if (problem) return showFieldErrors(form, [{ field: "photo", message: problem }]);
    const reader = new FileReader();  // a data: address: the CSP's img-src allows it, not blob:
    reader.addEventListener("load", () => replace(chosen, preview(reader.result, tr("brand.photo_new_alt"), "brand-photo-chosen")));
    reader.readAsDataURL(file);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const file = input.files[0];
    const problem = fileProblem(file);
    if (problem) {
      showFieldErrors(form, [{ field: "photo", message: problem }]);
      return say(status, tr("common.check_fields"), "error");
    }
    say(status, tr("brand.photo_sending"), "status");
    try {
      const target = await api("/me/photo", { method: "POST", body: { content_type: file.type } });
      await send(target, file);
      refreshed(await api("/me/photo", { method: "PUT", body: { upload_id: target.upload_id } }), tr("brand.photo_saved"));
    } catch (err) {
      showErrors(form, status, inWords(err), () => "photo");
    }
  });
  remove.addEventListener("click", async () => {
    clearFieldErrors(form);
    try {
      await api("/me/photo", { method: "DELETE" });
      refreshed({ ...ctx.me, photo: null }, tr("brand.photo_removed"));
    } catch (err) {
      say(status, errorText(err), "error");
    }
  });
  return form;
}
