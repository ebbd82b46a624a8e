// A time-zone field you can type into: the browser suggests matching zones from a datalist
// ("lis" -> Europe/Lisbon), and a city alone ("new york") is found too. onZone gets valid zones only.

import { h } from "./dom.js";
import { tr } from "./i18n.js";
import * as t from "./time.js";

// The zone `text` names: "Europe/Lisbon", "europe/lisbon", "Lisbon", "new york"; else null.
export function findZone(text, zones) {
  const wanted = text.trim().replaceAll(" ", "_").toLowerCase();
  if (!wanted) return null;
  return zones.find((z) => z.toLowerCase() === wanted)
    || zones.find((z) => z.toLowerCase().split("/").pop() === wanted)
    || null;
}

export function zoneField({ id, label, zone, onZone }) {
  const zones = t.zoneList(zone);
  const listId = `${id}-list`;
  const hint = h("p", { class: "hint", id: `${id}-hint`, text: tr("zone.hint") });
  const input = h("input", {
    id, type: "text", value: zone, list: listId, autocomplete: "off", spellcheck: "false",
    autocapitalize: "off", "aria-describedby": hint.id, class: "zone-input",
  });
  let current = zone;
  const apply = (strict) => {
    const found = findZone(input.value, zones);
    if (found) {
      input.removeAttribute("aria-invalid");
      hint.className = "hint";
      hint.textContent = tr("zone.hint");
      input.value = found;
      if (found !== current) {
        current = found;
        onZone(found);
      }
    } else if (strict) {
      input.setAttribute("aria-invalid", "true");
      hint.className = "field-error";
      hint.textContent = tr("zone.unknown");
    }
  };
  input.addEventListener("input", () => { if (zones.includes(input.value)) apply(false); });
  input.addEventListener("change", () => apply(true));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      apply(true);
    }
  });
  const list = h("datalist", { id: listId }, zones.map((z) => h("option", { value: z })));
  return h("div", { class: "field zone-field" }, h("label", { for: id, text: label }), input, hint, list);
}
