// A bot's modal as Discord shows it: a dialog named by its title, each text input labelled, with its length
// limits (a counter for the maximum), Cancel and Submit. A native <dialog>, so focus and Escape behave.
import type { ViewModal } from "../viewTypes.js";
import type { Act } from "./message.js";

let shown: { id: string; dialog: HTMLDialogElement } | null = null;

/** Shows the member's open modal (or closes the page's one when there is none). */
export function syncModal(modal: ViewModal | null, act: Act): void {
  if (shown && shown.id === modal?.interactionId) return;
  if (shown) {
    shown.dialog.close();
    shown.dialog.remove();
    shown = null;
  }
  if (!modal) return;
  const dialog = buildModal(modal, act);
  document.body.append(dialog);
  dialog.showModal();
  shown = { id: modal.interactionId, dialog };
}

function buildModal(modal: ViewModal, act: Act): HTMLDialogElement {
  const dialog = document.createElement("dialog");
  dialog.className = "modal";
  const titleId = `modal-title-${modal.interactionId}`;
  dialog.setAttribute("aria-labelledby", titleId);
  const form = document.createElement("form");
  form.method = "dialog";
  const header = document.createElement("header");
  const title = document.createElement("h2");
  title.id = titleId;
  title.textContent = modal.title;
  const x = document.createElement("button");
  x.type = "button";
  x.className = "close";
  x.setAttribute("aria-label", "Close");
  x.textContent = "✕";
  header.append(title, x);
  const fields = document.createElement("div");
  fields.className = "fields";
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();
  for (const f of modal.fields) {
    const id = `field-${modal.interactionId}-${f.customId}`;
    const wrap = document.createElement("div");
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = f.label;
    if (f.required) {
      const star = document.createElement("span");
      star.className = "req";
      star.textContent = "*";
      star.setAttribute("aria-hidden", "true");
      label.append(star);
    }
    const input = f.style === 2 ? document.createElement("textarea") : document.createElement("input");
    input.id = id;
    input.required = f.required;
    input.placeholder = f.placeholder;
    input.value = f.value;
    input.spellcheck = false;
    if (f.maxLength !== null) input.maxLength = f.maxLength;
    if (f.minLength !== null) input.minLength = f.minLength;
    wrap.append(label, input);
    if (f.maxLength !== null) {
      const count = document.createElement("div");
      count.className = "count";
      const update = () => {
        count.textContent = `${input.value.length}/${f.maxLength}`;
      };
      input.addEventListener("input", update);
      update();
      wrap.append(count);
    }
    inputs.set(f.customId, input);
    fields.append(wrap);
  }
  const error = document.createElement("div");
  error.className = "error";
  error.setAttribute("role", "alert");
  const footer = document.createElement("footer");
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "cancel";
  cancel.textContent = "Cancel";
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "btn primary";
  submit.textContent = "Submit";
  footer.append(cancel, submit);
  form.append(header, fields, error, footer);
  dialog.append(form);

  const dismiss = () => void act({ kind: "closeModal", interactionId: modal.interactionId });
  x.addEventListener("click", dismiss);
  cancel.addEventListener("click", dismiss);
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault(); // Escape: tell the server, which closes it for this member
    dismiss();
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!form.reportValidity()) return;
    submit.disabled = true;
    const values = Object.fromEntries([...inputs].map(([k, input]) => [k, input.value]));
    const ok = await act({ kind: "submitModal", interactionId: modal.interactionId, values });
    if (!ok) {
      submit.disabled = false;
      error.textContent = "The form could not be sent.";
    }
  });
  return dialog;
}
