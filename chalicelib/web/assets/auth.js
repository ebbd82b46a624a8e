// Signing in to the dashboard. Locally: POST /dev/login. On AWS: Cognito's hosted UI (Google),
// authorization code + PKCE, with the code exchanged here in the browser (a public client).
// The id token lives in sessionStorage: gone when the tab closes.

import { api, url, useToken } from "./api.js";

const SESSION = "scheduler.session";
const PKCE = "scheduler.pkce";

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function claims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part));
  } catch {
    return {};
  }
}

function keep(idToken) {
  const exp = claims(idToken).exp || 0;
  sessionStorage.setItem(SESSION, JSON.stringify({ id_token: idToken, exp }));
  useToken(idToken);
}

// The stored token, if it has more than a minute left.
export function resume() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION) || "null");
    if (saved && saved.exp * 1000 > Date.now() + 60000) {
      useToken(saved.id_token);
      return true;
    }
  } catch {
    /* a damaged entry is the same as none */
  }
  sessionStorage.removeItem(SESSION);
  return false;
}

export function forget() {
  sessionStorage.removeItem(SESSION);
  useToken(null);
}

export async function devLogin(email, name) {
  const tokens = await api("/dev/login", { method: "POST", body: { email, name }, auth: false });
  keep(tokens.id_token);
}

function callbackUrl() {
  return url("/app/callback");
}

export async function startHostedUi(config) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id,
    redirect_uri: callbackUrl(),
    scope: config.scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  if (config.identity_provider) params.set("identity_provider", config.identity_provider);
  location.assign(`https://${config.cognito_domain}/oauth2/authorize?${params}`);
}

// Back from the hosted UI with ?code=&state=: trade the code for tokens. Returns an error text or "".
export async function finishHostedUi(config) {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PKCE) || "null");
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, "", url("/app"));
  if (params.get("error")) return `Sign-in was not completed: ${params.get("error_description") || params.get("error")}.`;
  if (!pending || params.get("state") !== pending.state || !params.get("code")) {
    return "That sign-in link is stale. Please sign in again.";
  }
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: config.client_id,
    code: params.get("code"),
    redirect_uri: callbackUrl(),
    code_verifier: pending.verifier,
  });
  try {
    const response = await fetch(`https://${config.cognito_domain}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    if (!response.ok) return "Sign-in failed. Please try again.";
    keep((await response.json()).id_token);
    return "";
  } catch {
    return "The sign-in service could not be reached. Please try again.";
  }
}

export function signOutUrl(config) {
  if (config.sign_in !== "hosted_ui") return url("/app");
  const params = new URLSearchParams({ client_id: config.client_id, logout_uri: url("/app") });
  return `https://${config.cognito_domain}/logout?${params}`;
}
