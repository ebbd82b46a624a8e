// Choosing a start time in the dashboard: the clients' own slot picker over the booking page's
// free times for a visible service; a date and a time field for a hidden one (no public times).

import { api, query } from "./api.js";
import { h, replace } from "./dom.js";
import { SlotPicker } from "./calendar.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";
import { field } from "./ui.js";

// {el, start(), chosen(), refresh()}: chosen() is the picked start (ISO) or "" when none yet.
export function startChooser(service, ctx, { current = null } = {}) {
  const zone = ctx.me.timezone;
  if (!service.visible || !ctx.me.slug) return manualChooser(zone, current);
  let chosen = "";
  const summary = h("p", { class: "chosen-time", id: "chosen-time", "aria-live": "polite", text: tr("slots.none_yet") });
  const picker = new SlotPicker({
    zone,
    current,
    load: async (from, to, shownZone) => {
      const path = `/public/${encodeURIComponent(ctx.me.slug)}/services/${encodeURIComponent(service.id)}/slots`;
      return (await api(`${path}${query({ from, to, timezone: shownZone })}`, { auth: false })).slots || [];
    },
    onPick: (slot, shownZone) => {
      chosen = slot.start;
      summary.textContent = tr("slots.chosen", { when: t.formatWhenRange(slot.start, slot.end, shownZone) });
    },
  });
  return {
    el: h("div", { class: "start-chooser" }, picker.el, summary),
    start: () => picker.start(),
    chosen: () => chosen,
    refresh: () => {
      chosen = "";
      summary.textContent = tr("slots.none_yet");
      return picker.refresh();
    },
  };
}

function manualChooser(zone, current) {
  const date = h("input", { name: "date", type: "date", value: current ? t.dayOf(current.start, zone) : t.today(zone) });
  const time = h("input", { name: "time", type: "time", step: 300, value: current ? t.timeOf(current.start, zone) : "09:00" });
  const el = h("div", { class: "start-chooser" },
    h("p", { class: "hint", text: tr("slots.manual", { zone: t.zoneLabel(zone) }) }),
    h("div", { class: "cols" }, field("start-date", tr("slots.date"), date), field("start-time", tr("slots.time"), time)));
  return {
    el,
    start: async () => {},
    chosen: () => (date.value && time.value ? t.zonedToIso(date.value, time.value, zone) : ""),
    refresh: async () => {},
  };
}

// Shows `chooser` in `box` (replacing what was there) and starts it.
export async function showChooser(box, chooser) {
  replace(box, chooser.el);
  await chooser.start();
}
