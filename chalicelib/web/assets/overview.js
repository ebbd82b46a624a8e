// Overview: the share link, this month's figures, and what comes next.

import { all, url } from "./api.js";
import { h, replace } from "./dom.js";
import { monthFigures } from "./figures.js";
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
  replace(view,
    h("h1", { text: `Hello, ${ctx.me.name}` }),
    h("section", { "aria-labelledby": "share-title" },
      h("h2", { id: "share-title", text: "Your booking page" }),
      shareLink(ctx.me.slug)),
    h("section", { "aria-labelledby": "figures-title" },
      h("h2", { id: "figures-title", text: `${t.formatMonth(month)} so far` }),
      h("dl", { class: "figures" },
        h("div", {}, h("dt", { text: "Bookings" }), h("dd", { id: "figure-bookings", text: String(figures.bookings) })),
        h("div", {}, h("dt", { text: "Revenue" }), h("dd", { id: "figure-revenue", text: revenue })),
        h("div", {}, h("dt", { text: "No-show rate" }), h("dd", { id: "figure-no-show",
          text: figures.noShowRate === null ? "–" : `${Math.round(figures.noShowRate * 100)} %` }))),
      h("p", { class: "hint", text: "Bookings leave out cancellations; revenue counts booked and completed appointments; the no-show rate is over appointments marked completed or no-show." })),
    h("section", { "aria-labelledby": "next-title" },
      h("h2", { id: "next-title", text: "Coming up" }),
      next.length
        ? h("ul", { class: "plain" }, next.map((a) => h("li", {},
          [t.formatWhen(a.start, zone), serviceName(a), client(a).name || client(a).email].filter(Boolean).join(" · "),
          " ", badge(a.status))))
        : h("p", { text: "Nothing booked in the next 30 days yet." }),
      h("p", {}, h("a", { href: "#appointments", text: "All appointments" }))),
    services.length ? null : h("section", {},
      h("h2", { text: "Getting started" }),
      h("ol", {},
        h("li", {}, h("a", { href: "#services", text: "Add a service" })),
        h("li", {}, h("a", { href: "#hours", text: "Set your weekly hours" })),
        h("li", {}, "Share ", h("a", { href: url(`/book/${ctx.me.slug}`), text: "your booking page" })))));
}
