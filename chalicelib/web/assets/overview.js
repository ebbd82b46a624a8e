// Overview: the share link, this month's figures, and what comes next.

import { all, url } from "./api.js";
import { h, replace } from "./dom.js";
import { monthFigures } from "./figures.js";
import { tr } from "./i18n.js";
import { shareLink } from "./share.js";
import * as t from "./time.js";
import { badge, client, money, serviceName } from "./ui.js";
import { appointmentsBetween } from "./appointments.js";

export async function render(view, ctx) {
  const zone = ctx.me.timezone;
  const todayKey = t.today(zone);
  const month = t.monthOf(todayKey);
  const days = t.monthDays(month);
  const [thisMonth, upcoming, services] = await Promise.all([
    appointmentsBetween(days[0], days[days.length - 1], zone),
    appointmentsBetween(todayKey, t.addDays(todayKey, 30), zone),
    all("/services"),
  ]);
  const figures = monthFigures(thisMonth);
  const revenue = Object.entries(figures.revenue).map(([currency, total]) => money(total, currency)).join(" + ") || money(0, services[0]?.currency || "EUR");
  const next = upcoming
    .filter((a) => ["pending", "confirmed"].includes(a.status) && new Date(a.start) >= new Date())
    .sort((a, b) => a.start.localeCompare(b.start))
    .slice(0, 5);
  const rate = figures.noShowRate === null ? "–" : t.formatNumber(figures.noShowRate, { style: "percent" });
  replace(view,
    h("h1", { text: tr("overview.hello", { name: ctx.me.name }) }),
    h("section", { "aria-labelledby": "share-title" },
      h("h2", { id: "share-title", text: tr("profile.page") }),
      shareLink(ctx.me.slug)),
    h("section", { "aria-labelledby": "figures-title" },
      h("h2", { id: "figures-title", text: tr("overview.so_far", { month: t.formatMonth(month) }) }),
      h("dl", { class: "figures" },
        h("div", {}, h("dt", { text: tr("overview.bookings") }), h("dd", { id: "figure-bookings", text: t.formatNumber(figures.bookings) })),
        h("div", {}, h("dt", { text: tr("overview.revenue") }), h("dd", { id: "figure-revenue", text: revenue })),
        h("div", {}, h("dt", { text: tr("overview.no_show_rate") }), h("dd", { id: "figure-no-show", text: rate }))),
      h("p", { class: "hint", text: tr("overview.figures_hint") })),
    h("section", { "aria-labelledby": "next-title" },
      h("h2", { id: "next-title", text: tr("overview.coming_up") }),
      next.length
        ? h("ul", { class: "plain" }, next.map((a) => h("li", {},
          [t.formatWhen(a.start, zone), serviceName(a), client(a).name || client(a).email].filter(Boolean).join(" · "),
          " ", badge(a.status))))
        : h("p", { text: tr("overview.nothing_soon") }),
      h("p", {}, h("a", { href: "#appointments", text: tr("overview.all_appointments") }))),
    services.length ? null : h("section", { "aria-labelledby": "start-title" },
      h("h2", { id: "start-title", text: tr("overview.getting_started") }),
      h("ol", {},
        h("li", {}, h("a", { href: "#services", text: tr("services.add_title") })),
        h("li", {}, h("a", { href: "#hours", text: tr("overview.set_hours") })),
        h("li", {}, h("a", { href: url(`/book/${ctx.me.slug}`), text: tr("overview.share_page") })))));
}
