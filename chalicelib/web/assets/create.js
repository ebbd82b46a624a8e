// A new appointment made by the provider: a service (hidden ones too), a client (one of theirs or
// a new one), a start from the clients' slot picker, notes. POST /appointments, the booking rules.

import { all, api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { tr } from "./i18n.js";
import { showChooser, startChooser } from "./slots.js";
import * as t from "./time.js";
import { dialog, field, flash } from "./ui.js";

const NEW = "";

export async function newAppointment(ctx, redraw) {
  const services = [...ctx.services.values()];
  if (!services.length) return flash(tr("create.no_services"), "error");
  const people = (await all("/clients", {}, 5)).filter((c) => !c.erased);
  const slot = h("div", { class: "chooser-slot" });
  let chooser = null;
  const pickService = async (id) => {
    chooser = startChooser(ctx.services.get(id), ctx);
    await showChooser(slot, chooser);
  };
  const serviceSelect = h("select", { name: "service_id", onchange: () => pickService(serviceSelect.value) },
    services.map((s) => h("option", { value: s.id, text: s.visible ? s.name : tr("create.hidden_service", { name: s.name }) })));
  const newClient = h("div", { class: "new-client" },
    h("div", { class: "cols" },
      field("new-client-name", tr("field.name"), h("input", { name: "name", maxlength: 100, autocomplete: "off" })),
      field("new-client-email", tr("field.email"), h("input", { name: "email", type: "email", maxlength: 254, autocomplete: "off" })),
      field("new-client-phone", tr("field.phone"), h("input", { name: "phone", type: "tel", maxlength: 40, autocomplete: "off" }))));
  const clientSelect = h("select", { name: "client", onchange: () => { newClient.hidden = clientSelect.value !== NEW; } },
    h("option", { value: NEW, text: tr("create.new_client") }),
    people.map((c) => h("option", { value: c.id, text: c.email ? `${c.name} (${c.email})` : c.name })));
  const byClient = new Map(people.map((c) => [c.id, c]));
  const fieldFor = (name) => ({ "client.name": "name", "client.email": "email", "client.phone": "phone" })[name] || name;
  dialog(tr("create.title"),
    [field("new-service", tr("create.service"), serviceSelect),
      field("new-client", tr("appointments.client"), clientSelect), newClient,
      h("fieldset", { class: "plain-fieldset" }, h("legend", { text: tr("create.when") }), slot),
      field("new-notes", tr("create.notes"), h("textarea", { name: "notes", rows: 2, maxlength: 1000 }))],
    tr("create.button"),
    async (values) => {
      const start = chooser.chosen();
      if (!start) throw new ApiError(422, { error: { message: tr("slots.pick_first"), details: [] } });
      const known = byClient.get(values.client);
      const person = known
        ? { name: known.name, email: known.email, ...(known.phone ? { phone: known.phone } : {}) }
        : { name: values.name, email: values.email, ...(values.phone ? { phone: values.phone } : {}) };
      const zone = known && known.timezone ? known.timezone : ctx.me.timezone;
      try {
        await api("/appointments", { method: "POST", body: { service_id: values.service_id, start, timezone: zone, client: person, notes: values.notes } });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) await chooser.refresh();
        throw err;
      }
      flash(tr("create.done", { when: t.formatWhen(start, ctx.me.timezone), name: person.name }));
      await redraw();
    }, { wide: true, fieldFor });
  await pickService(serviceSelect.value);
}
