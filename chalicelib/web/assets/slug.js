// A booking page address from a name: "Inês Gonçalves" -> "ines-goncalves", "Jürgen Groß" -> "jurgen-gross".
// Accents are taken off (NFKD, then the combining marks dropped); a few letters that are not a
// base letter plus a mark are spelled out; whatever is left that is not a-z0-9 becomes a dash.

const LETTERS = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", þ: "th", ł: "l", ı: "i", ŋ: "n" };

export function suggestSlug(name) {
  return name.toLowerCase()
    .normalize("NFKD").replace(/\p{M}+/gu, "")
    .replace(/[ßæœøđðþłıŋ]/g, (letter) => LETTERS[letter])
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .slice(0, 40).replace(/-+$/, "");
}
