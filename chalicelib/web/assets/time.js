// Dates, times, durations and money in the page's locale (i18n.js) and a named IANA zone, with
// nothing but Intl: 12- or 24-hour as the locale says. A "day" is a YYYY-MM-DD string, a "month"
// is YYYY-MM; instants are Date objects or ISO strings with an offset.

import { locale, tr } from "./i18n.js";

const formatters = new Map();

function formatter(zone, options, tag = locale()) {
  const key = `${tag}|${zone}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(tag, { ...options, timeZone: zone }));
  }
  return formatters.get(key);
}

export function visitorZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function zoneList(...keep) {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  return [...new Set([...zones, "UTC", ...keep.filter(Boolean)])].sort();
}

export function isZone(zone) {
  try {
    formatter(zone, { year: "numeric" });
    return true;
  } catch {
    return false;
  }
}

function wall(instant, zone) {
  const parts = {};
  const options = {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  };
  for (const part of formatter(zone, options, "en-US").formatToParts(new Date(instant))) {
    parts[part.type] = part.value;
  }
  return parts;
}

export function dayOf(instant, zone) {
  const p = wall(instant, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

export function timeOf(instant, zone) {
  const p = wall(instant, zone);
  return `${p.hour}:${p.minute}`;
}

export function today(zone) {
  return dayOf(new Date(), zone);
}

function utcDate(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function dayKey(date) {
  return date.toISOString().slice(0, 10);
}

export function addDays(day, n) {
  const date = utcDate(day);
  date.setUTCDate(date.getUTCDate() + n);
  return dayKey(date);
}

// 0 for Monday ... 6 for Sunday.
export function weekdayIndex(day) {
  return (utcDate(day).getUTCDay() + 6) % 7;
}

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export function weekdayName(index, width = "long") {
  return formatter("UTC", { weekday: width }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}

// The calendar's column heads: the short names where they are short ("Mon", "lun."), else the
// narrow ones (pt-PT's short names are whole words, "segunda", too wide for a phone's column).
export function calendarWeekdayWidth() {
  const longest = Math.max(...[0, 1, 2, 3, 4, 5, 6].map((i) => [...weekdayName(i, "short")].length));
  return longest <= 4 ? "short" : "narrow";
}

export function monthOf(day) {
  return day.slice(0, 7);
}

export function addMonths(month, n) {
  const [y, m] = month.split("-").map(Number);
  return dayKey(new Date(Date.UTC(y, m - 1 + n, 1))).slice(0, 7);
}

export function monthDays(month) {
  const [y, m] = month.split("-").map(Number);
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);
}

export function formatMonth(month) {
  return formatter("UTC", { month: "long", year: "numeric" }).format(utcDate(`${month}-01`));
}

export function formatDay(day, width = "long") {
  const options = width === "long"
    ? { weekday: "long", day: "numeric", month: "long", year: "numeric" }
    : { weekday: "short", day: "numeric", month: "short" };
  return formatter("UTC", options).format(utcDate(day));
}

// "Mon, Dec 1 – Sun, Dec 7" / "seg., 1/12 – dom., 7/12": two days as the locale writes a span.
export function formatDayRange(first, last) {
  const format = formatter("UTC", { weekday: "short", day: "numeric", month: "short" });
  try {
    return format.formatRange(utcDate(first), utcDate(last));
  } catch {
    return `${format.format(utcDate(first))} – ${format.format(utcDate(last))}`;
  }
}

// The locale's own short time ("9:00 AM", "09:00") and full date with it.
const TIME = { timeStyle: "short" };
const WHEN = { dateStyle: "full", timeStyle: "short" };

export function formatTime(instant, zone) {
  return formatter(zone, TIME).format(new Date(instant));
}

export function formatWhen(instant, zone) {
  return formatter(zone, WHEN).format(new Date(instant));
}

function range(options, start, end, zone) {
  const format = formatter(zone, options);
  try {
    return format.formatRange(new Date(start), new Date(end));
  } catch {
    return `${format.format(new Date(start))} – ${format.format(new Date(end))}`;
  }
}

// "Tuesday, December 1, 2026, 8:30 – 9:30 PM" / "terça-feira, 1 de dezembro de 2026, 20:30 – 21:30".
export function formatWhenRange(start, end, zone) {
  return range(WHEN, start, end, zone);
}

export function formatTimeRange(start, end, zone) {
  return range(TIME, start, end, zone);
}

// A wall-clock "HH:MM" of the weekly hours ("24:00" is midnight at the end of the day).
export function formatClock(hhmm) {
  if (hhmm === "24:00") return tr("time.midnight");
  const [hh, mm] = hhmm.split(":").map(Number);
  return formatter("UTC", TIME).format(new Date(Date.UTC(2024, 0, 1, hh, mm)));
}

export function formatClockRange(start, end) {
  if (end === "24:00") return tr("time.range", { start: formatClock(start), end: formatClock(end) });
  return range(TIME, `2024-01-01T${start}:00Z`, `2024-01-01T${end}:00Z`, "UTC");
}

export function zoneLabel(zone) {
  try {
    const parts = formatter(zone, { timeZoneName: "shortOffset" }).formatToParts(new Date());
    const offset = parts.find((p) => p.type === "timeZoneName");
    return `${zone.replaceAll("_", " ")} (${offset ? offset.value : ""})`;
  } catch {
    return zone;
  }
}

// The instant at wall-clock `hhmm` on `day` in `zone`, as ISO UTC. In a DST gap the clock time
// does not exist and the later reading wins; in an overlap the earlier one does.
export function zonedToIso(day, hhmm, zone) {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = hhmm.split(":").map(Number);
  const target = Date.UTC(y, m - 1, d, hh, mm);
  let guess = target - offsetAt(target, zone);
  guess = target - offsetAt(guess, zone);
  return new Date(guess).toISOString().replace(".000Z", "Z");
}

function offsetAt(instant, zone) {
  const p = wall(instant, zone);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute);
  return asUtc - Math.floor(instant / 60000) * 60000;
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

export function formatPrice(price, currency) {
  const amount = Number(price);
  if (!amount) return tr("common.free");
  return formatMoney(amount, currency);
}

export function formatMoney(amount, currency) {
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency }).format(amount);
  } catch {
    return `${Number(amount).toFixed(2)} ${currency}`;
  }
}

export function formatDuration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = { ...(hours ? { hours } : {}), ...(rest || !hours ? { minutes: rest } : {}) };
  if (typeof Intl.DurationFormat === "function") {
    return new Intl.DurationFormat(locale(), { style: "short" }).format(parts);
  }
  if (!hours) return tr("time.minutes", { count: rest });
  return rest ? tr("time.hours_minutes", { hours, minutes: rest }) : tr("time.hours", { count: hours });
}
