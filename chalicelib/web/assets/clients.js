// Clients: search, one client's history, editing their name, phone and notes, and erasing a
// client's personal data.

import { all, api } from "./api.js";
import { formValues, h, replace } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";
import { badge, dialog, field, flash, flashNext, serviceName } from "./ui.js";

export async function render(view, ctx) {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  if (params.get("id")) return detail(view, ctx, params.get("id"));
  const q = params.get("q") || "";
  const clients = await all("/clients", { q }, 5);
  const search = h("form", { class: "inline-form", role: "search" },
    field("client-search", tr("clients.search"), h("input", { name: "q", type: "search", value: q, maxlength: 100 })),
    h("button", { type: "submit", text: tr("clients.search_button") }));
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#clients?q=${encodeURIComponent(formValues(search).q)}`;
  });
  replace(view,
    h("h1", { text: tr("nav.clients") }),
    search,
    clients.length
      ? h("ul", { class: "rows" }, clients.map((c) => h("li", { class: "row" },
        h("div", {},
          h("p", { class: "row-title" }, h("a", { href: `#clients?id=${encodeURIComponent(c.id)}`, text: c.erased ? tr("clients.erased") : c.name })),
          h("p", { class: "hint", text: [c.email, c.phone].filter(Boolean).join(" · ") })))))
      : h("p", { text: tr(q ? "clients.no_match" : "clients.none") }));
}

async function detail(view, ctx, id) {
  const zone = ctx.me.timezone;
  const [c, history] = await Promise.all([
    api(`/clients/${encodeURIComponent(id)}`),
    all(`/clients/${encodeURIComponent(id)}/appointments`),
  ]);
  history.sort((a, b) => b.start.localeCompare(a.start));
  const redraw = () => detail(view, ctx, id);
  const counts = c.history ? c.history.by_status : null;
  replace(view,
    h("p", {}, h("a", { href: "#clients", text: tr("clients.all") })),
    h("h1", { text: c.erased ? tr("clients.erased") : c.name }),
    h("dl", { class: "facts", id: "client-facts" },
      h("dt", { text: tr("field.email") }), h("dd", { text: c.email || "–" }),
      h("dt", { text: tr("field.phone") }), h("dd", { text: c.phone || "–" }),
      h("dt", { text: tr("clients.notes") }), h("dd", { class: "pre", text: c.notes || "–" })),
    c.erased ? null : h("p", {}, h("button", { type: "button", text: tr("clients.edit"), onclick: () => edit(c, redraw) })),
    h("section", { "aria-labelledby": "history-title" },
      h("h2", { id: "history-title", text: tr("clients.history") }),
      counts ? h("p", { class: "hint", text: tr("clients.counts", {
        count: c.history.total, completed: counts.completed, no_show: counts.no_show, cancelled: counts.cancelled,
      }) }) : null,
      history.length
        ? h("ul", { class: "plain" }, history.map((a) => h("li", {},
          `${t.formatWhen(a.start, zone)} · ${serviceName(a)} `, badge(a.status))))
        : h("p", { text: tr("clients.no_appointments") }),
      h("p", {}, h("a", { href: `#appointments?client=${encodeURIComponent(id)}`, text: tr("clients.open_appointments") }))),
    c.erased ? null : h("section", { "aria-labelledby": "erase-title" },
      h("h2", { id: "erase-title", text: tr("clients.erase_title") }),
      h("p", { class: "hint", text: tr("clients.erase_hint") }),
      h("button", { type: "button", class: "danger", text: tr("clients.erase"), onclick: () => erase(c) })));
}

function edit(c, redraw) {
  dialog(tr("clients.edit_named", { name: c.name }),
    [field("edit-client-name", tr("field.name"), h("input", { name: "name", maxlength: 100, value: c.name })),
      field("edit-client-phone", tr("field.phone"), h("input", { name: "phone", type: "tel", maxlength: 40, value: c.phone || "" }), tr("clients.phone_hint")),
      field("edit-client-notes", tr("clients.notes"), h("textarea", { name: "notes", rows: 4, maxlength: 2000, value: c.notes || "" }), tr("clients.notes_hint"))],
    tr("common.save"),
    async (values) => {
      await api(`/clients/${encodeURIComponent(c.id)}`, { method: "PATCH", body: { name: values.name, phone: values.phone, notes: values.notes } });
      flash(tr("clients.saved"));
      await redraw();
    });
}

// A client with appointments ahead is erased only with them cancelled (the API refuses it
// otherwise): the dialog says so, and the client and the provider get the cancellation emails.
function erase(c) {
  const upcoming = Boolean(c.history && c.history.next_start);
  const text = [upcoming ? h("p", { text: tr("clients.erase_upcoming") }) : null, h("p", { text: tr("clients.cannot_undo") })];
  dialog(tr("clients.erase_confirm", { name: c.name }), text, tr("clients.erase_button"), async () => {
    const cancel = upcoming ? "?cancel_upcoming=true" : "";
    await api(`/clients/${encodeURIComponent(c.id)}${cancel}`, { method: "DELETE" });
    flashNext(tr("clients.erased_done"));
    location.hash = "#clients";
  }, { danger: true });
}
