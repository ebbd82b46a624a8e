// The JSON API, called from the same origin. The app may live under a path prefix (API
// Gateway's stage, e.g. /api): every URL is built from where this module was loaded.

import { fieldMessage, tr } from "./i18n.js";

export const root = new URL("../../", import.meta.url);

export function url(path) {
  return new URL(path.replace(/^\//, ""), root).href;
}

export class ApiError extends Error {
  constructor(status, body) {
    const info = (body && body.error) || {};
    super(info.message || `The server answered ${status}.`);
    this.status = status;
    this.code = info.code || "";
    this.details = info.details || [];
  }
}

let bearer = null;

export function useToken(token) {
  bearer = token;
}

export async function api(path, { method = "GET", body, headers = {}, auth = true } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (auth && bearer) sent.Authorization = `Bearer ${bearer}`;
  let response;
  try {
    response = await fetch(url(path), {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, { error: { code: "network", message: tr("error.network") } });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// A file the API answers (a CSV export): its bytes and the name its Content-Disposition gives.
export async function file(path, fallbackName) {
  const sent = { Accept: "text/csv, application/json" };
  if (bearer) sent.Authorization = `Bearer ${bearer}`;
  let response;
  try {
    response = await fetch(url(path), { headers: sent, credentials: "omit" });
  } catch {
    throw new ApiError(0, { error: { code: "network", message: tr("error.network") } });
  }
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    throw new ApiError(response.status, data);
  }
  const named = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") || "");
  return { blob: await response.blob(), name: named ? named[1] : fallbackName };
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// Every page of a list ({"items", "next_cursor"}), up to a bound.
export async function all(path, params = {}, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const data = await api(`${path}${query({ ...params, limit: 100, cursor })}`);
    items.push(...(data.items || []));
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

// A sentence for the person in front of the page. The server's own message is English; the
// catalog has one per error code it knows (error.code.<code>), and field errors are shown at
// their fields (dom.js showFieldErrors), so a generic sentence is enough here.
export function errorText(error) {
  if (!(error instanceof ApiError)) return tr("error.generic");
  if (error.status === 0) return tr("error.network");
  if (error.status === 422 && error.details.length) {
    return `${tr("error.validation")} ${error.details.map((d) => `${d.field}: ${fieldMessage(d)}`).join("; ")}`;
  }
  if (error.status === 429) return tr("error.rate_limited");
  if (error.status >= 500) return tr("error.server");
  const known = `error.code.${error.code}`;
  return tr(known) === known ? error.message : tr(known);
}
