// The JSON API, called from the same origin. The app may live under a path prefix (API
// Gateway's stage, e.g. /api): every URL is built from where this module was loaded.

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
    throw new ApiError(0, { error: { code: "network", message: "The server could not be reached. Check your connection and try again." } });
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

export function errorText(error) {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.status === 422 && error.details.length) {
    return `${error.message} ${error.details.map((d) => `${d.field}: ${d.message}`).join("; ")}`;
  }
  if (error.status === 429) return "Too many requests just now. Please wait a moment and try again.";
  if (error.status >= 500) return "The server had a problem. Please try again in a moment.";
  return error.message;
}
