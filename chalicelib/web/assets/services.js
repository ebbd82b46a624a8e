// Services and their categories (categories first: a new service's Category select lists them).

import { all, api, url } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say } from "./dom.js";
import { locale, tr } from "./i18n.js";
import {
  detailsBody, detailsFieldFor, editServiceHours, locationFields, questionsEditor, rulesFields, visibilityField,
} from "./service_details.js";
import * as t from "./time.js";
import { dialog, field, flash, showErrors } from "./ui.js";

// The currencies of the world as a select, "EUR – euro", the current one kept even if unknown here.
export function currencySelect(name, current) {
  let codes = [];
  try {
    codes = Intl.supportedValuesOf("currency");
  } catch {
    codes = ["EUR", "USD", "GBP", "BRL", "CHF"];
  }
  let names = null;
  try {
    names = new Intl.DisplayNames(locale(), { type: "currency" });
  } catch {
    names = null;
  }
  const all = [...new Set([...codes, current].filter(Boolean))].sort();
  return h("select", { name }, all.map((code) => {
    const label = names ? names.of(code) : "";
    return h("option", { value: code, selected: code === current, text: label && label !== code ? `${code} – ${label}` : code });
  }));
}

export async function render(view, ctx) {
  const [categories, services] = await Promise.all([all("/categories"), all("/services")]);
  const redraw = () => render(view, ctx);
  const names = new Map(categories.map((c) => [c.id, c.name]));
  const currency = services.length ? services[services.length - 1].currency : defaultCurrency();
  replace(view,
    h("h1", { text: tr("nav.services") }),
    h("section", { "aria-labelledby": "service-list-title" },
      h("h2", { id: "service-list-title", text: tr("services.yours") }),
      services.length
        ? h("ul", { class: "rows" }, services.map((s) => h("li", { class: "row", "data-service": s.id },
          h("div", {},
            h("p", { class: "row-title" }, s.name, visibilityBadge(s)),
            h("p", { class: "hint", text: [t.formatDuration(s.duration_minutes), t.formatPrice(s.price, s.currency), names.get(s.category_id)].filter(Boolean).join(" · ") }),
            s.visibility === "unlisted" && ctx.me.slug ? h("p", { class: "hint break" }, `${tr("services.its_link")} `,
              h("a", { href: url(`/book/${ctx.me.slug}/${s.id}`), target: "_blank", rel: "noopener", text: url(`/book/${ctx.me.slug}/${s.id}`) })) : null),
          h("p", { class: "actions" },
            h("button", { type: "button", class: "small", "aria-label": tr("services.edit_named", { name: s.name }), text: tr("common.edit"), onclick: () => editService(s, categories, redraw) }),
            h("button", { type: "button", class: "small", "aria-label": tr("services.hours_named", { name: s.name }), text: tr("services.hours"), onclick: () => editServiceHours(s) }),
            h("button", { type: "button", class: "small danger", "aria-label": tr("services.delete_named", { name: s.name }), text: tr("common.delete"), onclick: () => deleteService(s, redraw) })))))
        : h("p", { text: tr("services.none") })),
    h("section", { "aria-labelledby": "category-title" },
      h("h2", { id: "category-title", text: tr("services.categories") }),
      h("p", { class: "hint", text: tr("services.categories_hint") }),
      categories.length ? h("ul", { class: "rows" }, categories.map((c) => h("li", { class: "row" },
        h("p", { class: "row-title", text: `${c.name}` }),
        h("p", { class: "actions" },
          h("button", { type: "button", class: "small", "aria-label": tr("services.rename_named", { name: c.name }), text: tr("services.rename"), onclick: () => renameCategory(c, redraw) }),
          h("button", { type: "button", class: "small danger", "aria-label": tr("services.delete_named", { name: c.name }), text: tr("common.delete"), onclick: () => deleteCategory(c, redraw) }))))) : null,
      categoryForm(categories, redraw)),
    h("section", { "aria-labelledby": "new-service-title" },
      h("h2", { id: "new-service-title", text: tr("services.add_title") }),
      serviceForm(null, categories, redraw, currency)));
}

function visibilityBadge(s) {
  if (s.visibility === "hidden") return h("span", { class: "badge hidden-service", text: tr("services.hidden") });
  if (s.visibility === "unlisted") return h("span", { class: "badge hidden-service", text: tr("services.unlisted") });
  return null;
}

// A first service's currency: the one of the provider's locale's region, else euros.
function defaultCurrency() {
  const region = (locale().split("-")[1] || "").toUpperCase();
  return { US: "USD", GB: "GBP", BR: "BRL", CH: "CHF", CA: "CAD", AU: "AUD", MX: "MXN" }[region] || "EUR";
}

function serviceForm(service, categories, redraw, currency = "EUR") {
  const s = service || { name: "", description: "", duration_minutes: 60, price: "0.00", currency, category_id: null, visibility: "public", buffer_before_minutes: 0, buffer_after_minutes: 0, location: null, questions: [] };
  const prefix = service ? "edit" : "new";
  const error = h("div", { class: "notice", role: "alert" });
  const number = (name, min, max, value) => h("input", { name, type: "number", min, max, step: 5, value });
  const form = h("form", { class: "service-form", id: `${prefix}-service-form`, novalidate: true },
    h("div", { class: "cols" },
      field(`${prefix}-name`, tr("field.name"), h("input", { name: "name", required: true, maxlength: 100, value: s.name })),
      field(`${prefix}-category`, tr("services.category"), h("select", { name: "category_id" },
        h("option", { value: "", text: tr("services.no_category") }),
        categories.map((c) => h("option", { value: c.id, selected: c.id === s.category_id, text: c.name }))))),
    field(`${prefix}-description`, tr("services.description"), h("textarea", { name: "description", rows: 2, maxlength: 500, value: s.description })),
    h("div", { class: "cols" },
      field(`${prefix}-duration`, tr("services.duration"), number("duration_minutes", 5, 480, s.duration_minutes)),
      field(`${prefix}-price`, tr("services.price"), h("input", { name: "price", inputmode: "decimal", required: true, value: s.price })),
      field(`${prefix}-currency`, tr("services.currency"), currencySelect("currency", s.currency))),
    h("div", { class: "cols" },
      field(`${prefix}-buffer-before`, tr("services.buffer_before"), number("buffer_before_minutes", 0, 240, s.buffer_before_minutes)),
      field(`${prefix}-buffer-after`, tr("services.buffer_after"), number("buffer_after_minutes", 0, 240, s.buffer_after_minutes))),
    visibilityField(s, prefix),
    locationFields(s, prefix),
    questionsEditor(s, prefix),
    rulesFields(s, prefix),
    error,
    h("button", { type: "submit", class: "primary", text: tr(service ? "services.save" : "services.add") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    say(error, "");
    const values = formValues(form);
    const body = { ...serviceBody(values), ...detailsBody(form, values) };
    try {
      await api(service ? `/services/${service.id}` : "/services", { method: service ? "PATCH" : "POST", body });
      if (service) document.getElementById("dialog").close();
      flash(tr(service ? "services.saved" : "services.added", { name: body.name }));
      await redraw();
    } catch (err) {
      showErrors(form, error, err, detailsFieldFor(form));
    }
  });
  return form;
}

function serviceBody(v) {
  const whole = (text) => (text === "" ? 0 : Number(text));
  return {
    name: v.name,
    description: v.description,
    duration_minutes: whole(v.duration_minutes),
    price: v.price.replace(",", "."),
    currency: v.currency,
    category_id: v.category_id || null,
    buffer_before_minutes: whole(v.buffer_before_minutes),
    buffer_after_minutes: whole(v.buffer_after_minutes),
  };
}

function editService(service, categories, redraw) {
  const box = document.getElementById("dialog");
  if (box.open) box.close();
  box.classList.remove("wide-dialog");
  const form = serviceForm(service, categories, redraw);
  replace(box, h("h2", { id: "dialog-title", text: tr("services.edit_named", { name: service.name }) }), form,
    h("p", {}, h("button", { type: "button", class: "link", text: tr("common.close"), onclick: () => box.close() })));
  box.showModal();
  form.querySelector("input").focus();
}

function deleteService(service, redraw) {
  dialog(tr("services.delete_confirm", { name: service.name }), [h("p", { text: tr("services.delete_hint") })],
    tr("common.delete"), async () => {
      await api(`/services/${service.id}`, { method: "DELETE" });
      flash(tr("services.deleted", { name: service.name }));
      await redraw();
    }, { danger: true });
}

function categoryForm(categories, redraw) {
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { class: "inline-form", id: "category-form", novalidate: true },
    field("category-name", tr("services.new_category"), h("input", { name: "name", required: true, maxlength: 60 })),
    h("button", { type: "submit", text: tr("services.add_category") }), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const { name } = formValues(form);
    try {
      await api("/categories", { method: "POST", body: { name, position: categories.length } });
      flash(tr("services.category_added", { name }));
      await redraw();
    } catch (err) {
      showErrors(form, error, err);
    }
  });
  return form;
}

function renameCategory(category, redraw) {
  dialog(tr("services.rename_named", { name: category.name }),
    [field("rename-category", tr("field.name"), h("input", { name: "name", required: true, maxlength: 60, value: category.name })),
      field("category-position", tr("services.position"), h("input", { name: "position", type: "number", min: 0, max: 9999, value: category.position }))],
    tr("common.save"), async (values) => {
      await api(`/categories/${category.id}`, { method: "PATCH", body: { name: values.name, position: Number(values.position || 0) } });
      flash(tr("services.saved", { name: values.name }));
      await redraw();
    });
}

function deleteCategory(category, redraw) {
  dialog(tr("services.delete_confirm", { name: category.name }), [h("p", { text: tr("services.delete_category_hint") })], tr("common.delete"), async () => {
    await api(`/categories/${category.id}`, { method: "DELETE" });
    flash(tr("services.deleted", { name: category.name }));
    await redraw();
  }, { danger: true });
}
