// Clients: search, one client's history, and erasing a client's personal data.

import { all, api } from "./api.js";
import { formValues, h, replace } from "./dom.js";
import * as t from "./time.js";
import { badge, dialog, field, flashNext, serviceName } from "./ui.js";

export async function render(view, ctx) {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  if (params.get("id")) return detail(view, ctx, params.get("id"));
  const q = params.get("q") || "";
  const clients = await all("/clients", { q }, 5);
  const search = h("form", { class: "inline-form", role: "search" },
    field("client-search", "Search by name or email", h("input", { name: "q", type: "search", value: q })),
    h("button", { type: "submit", text: "Search" }));
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#clients?q=${encodeURIComponent(formValues(search).q)}`;
  });
  replace(view,
    h("h1", { text: "Clients" }),
    search,
    clients.length
      ? h("ul", { class: "rows" }, clients.map((c) => h("li", { class: "row" },
        h("div", {},
          h("p", { class: "row-title" }, h("a", { href: `#clients?id=${encodeURIComponent(c.id)}`, text: c.erased ? "Erased client" : c.name })),
          h("p", { class: "hint", text: [c.email, c.phone].filter(Boolean).join(" · ") })))))
      : h("p", { text: q ? "No client matches." : "No clients yet: they appear with their first booking." }));
}

async function detail(view, ctx, id) {
  const zone = ctx.me.timezone;
  const [c, history] = await Promise.all([
    api(`/clients/${encodeURIComponent(id)}`),
    all(`/clients/${encodeURIComponent(id)}/appointments`),
  ]);
  history.sort((a, b) => b.start.localeCompare(a.start));
  replace(view,
    h("p", {}, h("a", { href: "#clients", text: "‹ All clients" })),
    h("h1", { text: c.erased ? "Erased client" : c.name }),
    h("dl", { class: "facts" },
      h("dt", { text: "Email" }), h("dd", { text: c.email || "–" }),
      h("dt", { text: "Phone" }), h("dd", { text: c.phone || "–" }),
      c.notes ? [h("dt", { text: "Notes" }), h("dd", { text: c.notes })] : null),
    h("section", { "aria-labelledby": "history-title" },
      h("h2", { id: "history-title", text: "History" }),
      c.history ? h("p", { class: "hint", text: `${c.history.total} appointments: ${c.history.by_status.completed} completed, ${c.history.by_status.no_show} no-show, ${c.history.by_status.cancelled} cancelled.` }) : null,
      history.length
        ? h("ul", { class: "plain" }, history.map((a) => h("li", {},
          `${t.formatWhen(a.start, zone)} · ${serviceName(a)} `, badge(a.status))))
        : h("p", { text: "No appointments." }),
      h("p", {}, h("a", { href: `#appointments?client=${encodeURIComponent(id)}`, text: "Open in appointments" }))),
    c.erased ? null : h("section", { "aria-labelledby": "erase-title" },
      h("h2", { id: "erase-title", text: "Erase personal data" }),
      h("p", { class: "hint", text: "Removes the name, email, phone and notes for good. The appointments stay, anonymous, in your figures." }),
      h("button", { type: "button", class: "danger", text: "Erase this client", onclick: () => erase(c) })));
}

function erase(c) {
  dialog(`Erase ${c.name}?`, [h("p", { text: "This cannot be undone." })], "Erase", async () => {
    await api(`/clients/${encodeURIComponent(c.id)}`, { method: "DELETE" });
    flashNext("The client's personal data is erased.");
    location.hash = "#clients";
  }, { danger: true });
}
