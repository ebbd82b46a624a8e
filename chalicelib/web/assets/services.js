// Services and their categories.

import { all, api, ApiError, errorText } from "./api.js";
import { clearFieldErrors, formValues, h, replace, say, showFieldErrors } from "./dom.js";
import * as t from "./time.js";
import { dialog, field, flash } from "./ui.js";

export async function render(view) {
  const [categories, services] = await Promise.all([all("/categories"), all("/services")]);
  const redraw = () => render(view);
  const names = new Map(categories.map((c) => [c.id, c.name]));
  replace(view,
    h("h1", { text: "Services" }),
    h("section", { "aria-labelledby": "service-list-title" },
      h("h2", { id: "service-list-title", text: "Your services" }),
      services.length
        ? h("ul", { class: "rows" }, services.map((s) => h("li", { class: "row" },
          h("div", {},
            h("p", { class: "row-title" }, s.name, s.visible ? null : h("span", { class: "badge hidden-service", text: "Hidden" })),
            h("p", { class: "hint", text: [t.formatDuration(s.duration_minutes), t.formatPrice(s.price, s.currency), names.get(s.category_id)].filter(Boolean).join(" · ") })),
          h("p", { class: "actions" },
            h("button", { type: "button", class: "small", "aria-label": `Edit ${s.name}`, text: "Edit", onclick: () => editService(s, categories, redraw) }),
            h("button", { type: "button", class: "small danger", "aria-label": `Delete ${s.name}`, text: "Delete", onclick: () => deleteService(s, redraw) })))))
        : h("p", { text: "No services yet. Add the first one below." })),
    h("section", { "aria-labelledby": "new-service-title" },
      h("h2", { id: "new-service-title", text: "Add a service" }),
      serviceForm(null, categories, redraw)),
    h("section", { "aria-labelledby": "category-title" },
      h("h2", { id: "category-title", text: "Categories" }),
      h("p", { class: "hint", text: "Your booking page groups services by category, in this order." }),
      h("ul", { class: "rows" }, categories.map((c) => h("li", { class: "row" },
        h("p", { class: "row-title", text: `${c.name}` }),
        h("p", { class: "actions" },
          h("button", { type: "button", class: "small", "aria-label": `Rename ${c.name}`, text: "Rename", onclick: () => renameCategory(c, redraw) }),
          h("button", { type: "button", class: "small danger", "aria-label": `Delete ${c.name}`, text: "Delete", onclick: () => deleteCategory(c, redraw) }))))),
      categoryForm(categories, redraw)));
}

function serviceForm(service, categories, redraw) {
  const s = service || { name: "", description: "", duration_minutes: 60, price: "0.00", currency: "EUR", category_id: null, visible: true, buffer_before_minutes: 0, buffer_after_minutes: 0 };
  const prefix = service ? "edit" : "new";
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { class: "service-form", id: `${prefix}-service-form` },
    h("div", { class: "cols" },
      field(`${prefix}-name`, "Name", h("input", { name: "name", required: true, maxlength: 100, value: s.name })),
      field(`${prefix}-category`, "Category", h("select", { name: "category_id" },
        h("option", { value: "", text: "No category" }),
        categories.map((c) => h("option", { value: c.id, selected: c.id === s.category_id, text: c.name }))))),
    field(`${prefix}-description`, "Description", h("textarea", { name: "description", rows: 2, maxlength: 500, value: s.description })),
    h("div", { class: "cols" },
      field(`${prefix}-duration`, "Duration (minutes)", h("input", { name: "duration_minutes", type: "number", min: 5, max: 480, step: 5, required: true, value: s.duration_minutes })),
      field(`${prefix}-price`, "Price", h("input", { name: "price", inputmode: "decimal", required: true, value: s.price })),
      field(`${prefix}-currency`, "Currency", h("input", { name: "currency", required: true, maxlength: 3, value: s.currency, autocapitalize: "characters" }))),
    h("div", { class: "cols" },
      field(`${prefix}-buffer-before`, "Free time before (minutes)", h("input", { name: "buffer_before_minutes", type: "number", min: 0, max: 240, step: 5, value: s.buffer_before_minutes })),
      field(`${prefix}-buffer-after`, "Free time after (minutes)", h("input", { name: "buffer_after_minutes", type: "number", min: 0, max: 240, step: 5, value: s.buffer_after_minutes }))),
    h("div", { class: "field" }, h("label", { class: "check", for: `${prefix}-visible` },
      h("input", { type: "checkbox", id: `${prefix}-visible`, name: "visible", checked: s.visible }), "Show on my booking page")),
    error,
    h("button", { type: "submit", class: "primary", text: service ? "Save service" : "Add service" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const body = serviceBody(formValues(form));
    try {
      await api(service ? `/services/${service.id}` : "/services", { method: service ? "PATCH" : "POST", body });
      if (service) document.getElementById("dialog").close();
      flash(service ? `Saved ${body.name}.` : `Added ${body.name}.`);
      await redraw();
    } catch (err) {
      if (!(err instanceof ApiError && showFieldErrors(form, err.details))) say(error, errorText(err), "error");
      else say(error, "Please check the highlighted fields.", "error");
    }
  });
  return form;
}

function serviceBody(v) {
  return {
    name: v.name,
    description: v.description,
    duration_minutes: Number(v.duration_minutes),
    price: v.price.replace(",", "."),
    currency: v.currency.toUpperCase(),
    category_id: v.category_id || null,
    visible: v.visible,
    buffer_before_minutes: Number(v.buffer_before_minutes || 0),
    buffer_after_minutes: Number(v.buffer_after_minutes || 0),
  };
}

function editService(service, categories, redraw) {
  const box = document.getElementById("dialog");
  const form = serviceForm(service, categories, redraw);
  replace(box, h("h2", { id: "dialog-title", text: `Edit ${service.name}` }), form,
    h("p", {}, h("button", { type: "button", class: "link", text: "Close", onclick: () => box.close() })));
  box.showModal();
  form.querySelector("input").focus();
}

function deleteService(service, redraw) {
  dialog(`Delete ${service.name}?`, [h("p", { text: "Clients can no longer book it. Services with upcoming appointments cannot be deleted: hide them instead." })],
    "Delete", async () => {
      await api(`/services/${service.id}`, { method: "DELETE" });
      flash(`Deleted ${service.name}.`);
      await redraw();
    }, { danger: true });
}

function categoryForm(categories, redraw) {
  const error = h("div", { class: "notice", role: "alert" });
  const form = h("form", { class: "inline-form", id: "category-form" },
    field("category-name", "New category", h("input", { name: "name", required: true, maxlength: 60 })),
    h("button", { type: "submit", text: "Add category" }), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { name } = formValues(form);
    try {
      await api("/categories", { method: "POST", body: { name, position: categories.length } });
      flash(`Added the category ${name}.`);
      await redraw();
    } catch (err) {
      say(error, errorText(err), "error");
    }
  });
  return form;
}

function renameCategory(category, redraw) {
  dialog(`Rename ${category.name}`,
    [field("rename-category", "Name", h("input", { name: "name", required: true, maxlength: 60, value: category.name })),
      field("category-position", "Position (0 comes first)", h("input", { name: "position", type: "number", min: 0, max: 9999, value: category.position }))],
    "Save", async (values) => {
      await api(`/categories/${category.id}`, { method: "PATCH", body: { name: values.name, position: Number(values.position || 0) } });
      flash(`Saved ${values.name}.`);
      await redraw();
    });
}

function deleteCategory(category, redraw) {
  dialog(`Delete ${category.name}?`, [h("p", { text: "Its services stay, without a category." })], "Delete", async () => {
    await api(`/categories/${category.id}`, { method: "DELETE" });
    flash(`Deleted ${category.name}.`);
    await redraw();
  }, { danger: true });
}
