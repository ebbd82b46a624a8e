// "Add to calendar": the appointment as an .ics file made in the browser. The UID matches the
// one in the confirmation email's invite, so a calendar keeps one event, not two.

function stamp(instant) {
  return new Date(instant).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

function text(value) {
  return String(value).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

export function icsText({ id, start, end, summary, sequence = 0, location = null }) {
  const place = location && location.value ? [`LOCATION:${text(location.value)}`] : [];
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//scheduler//appointments//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${id}@scheduler`,
    `SEQUENCE:${sequence}`,
    `DTSTAMP:${stamp(new Date())}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${text(summary)}`,
    ...place,
    "STATUS:CONFIRMED",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

export function icsHref(event) {
  return URL.createObjectURL(new Blob([icsText(event)], { type: "text/calendar;charset=utf-8" }));
}
