// What a booking link may carry: /book/{slug}/{service_id}, ?date=YYYY-MM-DD, ?name=, ?email=.
// All of it comes from outside: each value is checked here, and a bad one is dropped (the page
// then behaves as if it was not given). Values only ever reach the page as field values or text.

const SLUG = /^[a-z0-9-]{3,40}$/;
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function realDay(text) {
  const match = DAY.exec(text || "");
  if (!match) return null;
  const [y, m, d] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && y >= 2000 && y <= 2199 ? text : null;
}

function cleanText(text, max) {
  const value = (text || "").trim();
  return value && value.length <= max && !CONTROL.test(value) ? value : null;
}

// The path below the app's root ("book/studio-ana/01J..."): {slug, serviceId} or nulls.
export function bookingPath(path) {
  const [first, slug, serviceId, ...rest] = path.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return "";
    }
  });
  if (first !== "book" || rest.length || !SLUG.test(slug || "")) return { slug: null, serviceId: null };
  return { slug, serviceId: serviceId && ID.test(serviceId) ? serviceId : null };
}

// ?date= (a real date, not before `today`), ?name= and ?email=; each null when absent or bad.
export function prefill(search, today) {
  const params = new URLSearchParams(search);
  const day = realDay(params.get("date"));
  const email = cleanText(params.get("email"), 254);
  return {
    date: day && day >= today ? day : null,
    name: cleanText(params.get("name"), 100),
    email: email && EMAIL.test(email) ? email : null,
  };
}
