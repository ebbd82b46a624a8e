// A month calendar of free days beside the free times of the chosen day, in a chosen zone.
// Keyboard: Tab reaches the calendar once; arrows move between free days (left/right: the
// previous/next one, up/down: a week back/ahead), Home/End the first/last; Enter picks.
// The picked time stays highlighted; `current` (an appointment being moved) is marked on its day.

import { focusOn, h, replace, say } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";
import { zoneField } from "./zones.js";

let counter = 0;

export class SlotPicker {
  // load(fromDay, toDay, zone) resolves to [{start, end}]; onPick(slot, zone) is called with a choice.
  // day: a YYYY-MM-DD to open on (a deep link's ?date=); current: {start, end} of the booking moved.
  constructor({ load, zone, onPick, onZone = () => {}, lookahead = 2, day = null, current = null }) {
    this.load = load;
    this.onPick = onPick;
    this.onZone = onZone;
    this.lookahead = lookahead;
    this.zone = t.isZone(zone) ? zone : "UTC";
    this.current = current;
    this.wanted = day || (current ? t.dayOf(current.start, this.zone) : null);
    const todayKey = t.today(this.zone);
    this.month = t.monthOf(this.wanted && this.wanted >= todayKey ? this.wanted : todayKey);
    this.byDay = new Map();
    this.day = null;
    this.chosen = null;
    this.id = `picker${++counter}`;
    this.el = this.build();
  }

  build() {
    const zone = zoneField({
      id: `${this.id}-zone`, label: tr("picker.zone"), zone: this.zone, onZone: (z) => this.changeZone(z),
    });
    this.monthTitle = h("h3", { id: `${this.id}-month`, class: "month-title", "aria-live": "polite" });
    this.prev = h("button", { type: "button", class: "icon", "aria-label": tr("picker.previous_month"), onclick: () => this.go(-1) }, "‹");
    this.next = h("button", { type: "button", class: "icon", "aria-label": tr("picker.next_month"), onclick: () => this.go(1) }, "›");
    this.grid = h("div", { class: "grid-wrap" });
    this.status = h("p", { class: "notice", role: "status" });
    this.times = h("div", { class: "times", id: `${this.id}-times` });
    return h("div", { class: "picker" }, zone,
      h("div", { class: "picker-body" },
        h("div", { class: "picker-month" }, h("div", { class: "month-nav" }, this.prev, this.monthTitle, this.next), this.grid, this.status),
        this.times));
  }

  async start() {
    await this.showMonth();
    const wanted = this.wanted;
    if (wanted && t.monthOf(wanted) === this.month) {
      if (this.byDay.has(wanted) || this.isCurrentDay(wanted)) this.selectDay(wanted, false);
      else say(this.status, tr("picker.day_full", { day: t.formatDay(wanted) }));
      return;
    }
    for (let step = 0; step < this.lookahead && this.byDay.size === 0 && !this.failed; step += 1) {
      this.month = t.addMonths(this.month, 1);
      await this.showMonth();
    }
  }

  async changeZone(zone) {
    this.zone = zone;
    this.day = null;
    this.onZone(zone);
    await this.showMonth();
  }

  async go(delta) {
    this.month = t.addMonths(this.month, delta);
    this.day = null;
    await this.showMonth();
  }

  // Fresh times for the month on screen (after a slot was taken), keeping the day if it still has some.
  async refresh() {
    const day = this.day;
    this.chosen = null;
    await this.showMonth();
    if (day && this.byDay.has(day)) this.selectDay(day, false);
  }

  isCurrentDay(day) {
    return Boolean(this.current) && t.dayOf(this.current.start, this.zone) === day;
  }

  async showMonth() {
    const first = `${this.month}-01`;
    const days = t.monthDays(this.month);
    const todayKey = t.today(this.zone);
    const from = first < todayKey ? todayKey : first;
    this.monthTitle.textContent = t.formatMonth(this.month);
    this.prev.disabled = this.month <= t.monthOf(todayKey);
    this.grid.setAttribute("aria-busy", "true");
    replace(this.times);
    say(this.status, tr("picker.loading"));
    this.failed = false;
    this.byDay = new Map();
    try {
      if (from <= days[days.length - 1]) {
        for (const slot of await this.load(from, days[days.length - 1], this.zone)) {
          const day = t.dayOf(slot.start, this.zone);
          if (!this.byDay.has(day)) this.byDay.set(day, []);
          this.byDay.get(day).push(slot);
        }
      }
      say(this.status, this.byDay.size ? "" : tr("picker.month_full", { month: t.formatMonth(this.month) }));
    } catch (error) {
      this.failed = true;
      say(this.status, error.message || tr("picker.failed"), "error");
    }
    this.grid.removeAttribute("aria-busy");
    this.renderGrid(days, todayKey);
  }

  renderGrid(days, todayKey) {
    const width = t.calendarWeekdayWidth();
    const head = h("tr", {}, [0, 1, 2, 3, 4, 5, 6].map((i) =>
      h("th", { scope: "col", abbr: t.weekdayName(i) }, t.weekdayName(i, width))));
    const rows = [];
    let row = h("tr");
    for (let i = 0; i < t.weekdayIndex(days[0]); i += 1) row.append(h("td"));
    const focusDay = this.day && this.byDay.has(this.day) ? this.day : [...this.byDay.keys()].sort()[0];
    for (const day of days) {
      row.append(h("td", {}, this.dayCell(day, todayKey, focusDay)));
      if (t.weekdayIndex(day) === 6) {
        rows.push(row);
        row = h("tr");
      }
    }
    if (row.children.length) rows.push(row);
    const table = h("table", { class: "calendar", "aria-labelledby": this.monthTitle.id, onkeydown: (e) => this.onKey(e) },
      h("thead", {}, head), h("tbody", {}, rows));
    replace(this.grid, table);
  }

  dayCell(day, todayKey, focusDay) {
    const number = t.formatNumber(Number(day.slice(8)));
    const slots = this.byDay.get(day) || [];
    const current = this.isCurrentDay(day);
    if (!slots.length && !current) {
      return h("span", { class: day < todayKey ? "day past" : "day", "aria-label": tr("picker.day_none", { day: t.formatDay(day) }) }, number);
    }
    let label = tr("picker.day_free", { day: t.formatDay(day), count: slots.length });
    if (current) label = `${label}. ${tr("picker.day_current")}`;
    return h("button", {
      type: "button", class: `day${slots.length ? " free" : ""}${current ? " current" : ""}`, "data-day": day, "aria-label": label,
      "aria-pressed": String(day === this.day), tabindex: day === focusDay ? "0" : "-1",
      "aria-current": day === todayKey ? "date" : undefined,
      onclick: () => this.selectDay(day),
    }, number);
  }

  onKey(event) {
    const current = event.target.closest("button[data-day]");
    if (!current) return;
    const free = [...this.grid.querySelectorAll("button[data-day]")].map((b) => b.dataset.day).sort();
    const at = current.dataset.day;
    const moves = {
      ArrowRight: () => free.find((d) => d > at),
      ArrowLeft: () => free.filter((d) => d < at).pop(),
      ArrowDown: () => free.find((d) => d >= t.addDays(at, 7)),
      ArrowUp: () => free.filter((d) => d <= t.addDays(at, -7)).pop(),
      Home: () => free[0],
      End: () => free[free.length - 1],
    };
    if (!moves[event.key]) return;
    event.preventDefault();
    const target = moves[event.key]();
    if (!target) return;
    for (const button of this.grid.querySelectorAll("button[data-day]")) {
      button.tabIndex = button.dataset.day === target ? 0 : -1;
    }
    this.grid.querySelector(`button[data-day="${target}"]`).focus();
  }

  selectDay(day, moveFocus = true) {
    this.day = day;
    for (const button of this.grid.querySelectorAll("button[data-day]")) {
      button.setAttribute("aria-pressed", String(button.dataset.day === day));
      button.tabIndex = button.dataset.day === day ? 0 : -1;
    }
    const titleId = `${this.id}-times-title`;
    const title = h("h3", { id: titleId, text: tr("picker.times_on", { day: t.formatDay(day) }) });
    const items = (this.byDay.get(day) || []).map((slot) => ({ start: slot.start, slot }));
    if (this.isCurrentDay(day)) items.push({ start: this.current.start, slot: null });
    items.sort((a, b) => a.start.localeCompare(b.start));
    const list = h("ul", { class: "time-list", "aria-labelledby": titleId }, items.map(({ start, slot }) => h("li", {},
      slot ? this.timeButton(slot) : h("span", { class: "time current", "data-start": start },
        t.formatTime(start, this.zone), h("span", { class: "time-note", text: tr("picker.current_time") })))));
    replace(this.times, title, items.length ? list : h("p", { class: "hint", text: tr("picker.day_none", { day: t.formatDay(day) }) }));
    if (moveFocus) focusOn(title);
  }

  timeButton(slot) {
    return h("button", {
      type: "button", class: "time", "data-start": slot.start, "aria-pressed": String(slot.start === this.chosen),
      onclick: (event) => {
        this.chosen = slot.start;
        for (const b of this.times.querySelectorAll("button.time")) b.setAttribute("aria-pressed", String(b === event.currentTarget));
        this.onPick(slot, this.zone);
      },
    }, t.formatTime(slot.start, this.zone));
  }
}
