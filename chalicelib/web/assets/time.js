// Dates and times in a named IANA zone, with nothing but Intl. A "day" is a YYYY-MM-DD string,
// a "month" is YYYY-MM; instants are Date objects or ISO strings with an offset.

const formatters = new Map();

function formatter(zone, options, locale = undefined) {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }));
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

export function formatTime(instant, zone) {
  return formatter(zone, { hour: "numeric", minute: "2-digit" }).format(new Date(instant));
}

export function formatWhen(instant, zone) {
  return formatter(zone, {
    weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit",
  }).format(new Date(instant));
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

export function formatPrice(price, currency) {
  const amount = Number(price);
  if (!amount) return "Free";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${price} ${currency}`;
  }
}

export function formatMoney(amount, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function formatDuration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
