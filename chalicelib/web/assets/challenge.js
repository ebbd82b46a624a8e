// Proof of work for booking pages that ask for it (ALTCHA scheme, served by this app itself):
// find the number n <= maxnumber whose SHA-256(salt + n) is the challenge. About maxnumber / 2
// hashes on average, computed with the browser's own crypto in batches (docs/api.md: the cost).

import { api } from "./api.js";

const BATCH = 500;
const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function solve(challenge) {
  for (let first = 0; first <= challenge.maxnumber; first += BATCH) {
    const last = Math.min(first + BATCH - 1, challenge.maxnumber);
    const numbers = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const digests = await Promise.all(
      numbers.map((n) => crypto.subtle.digest("SHA-256", encoder.encode(`${challenge.salt}${n}`))),
    );
    const found = digests.findIndex((digest) => hex(digest) === challenge.challenge);
    if (found >= 0) {
      const { algorithm, salt, signature } = challenge;
      return { algorithm, challenge: challenge.challenge, number: numbers[found], salt, signature };
    }
  }
  throw new Error("The check could not be completed; please try again.");
}

// A fresh challenge for this page, solved: the `proof` of a booking.
export async function proofFor(slug) {
  const started = performance.now();
  const challenge = await api(`/public/${encodeURIComponent(slug)}/challenge`, { auth: false });
  const proof = await solve(challenge);
  document.documentElement.dataset.proofMs = String(Math.round(performance.now() - started));
  return proof;
}
