// The message box: plain messages (with an attached file), and slash commands in Discord's text form with
// suggestions built from the commands the bot registered: first the command paths, then the options not
// yet given, then an option's choices. Enter sends (Shift+Enter: a new line); arrows and Tab pick.
import { type SlashCommand, type Suggestion, suggest } from "../slashText.js";

export interface ComposerHooks {
  send(text: string, file: { filename: string; base64: string } | null): Promise<string | null>;
}

export class Composer {
  readonly root: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly list: HTMLUListElement;
  private readonly error: HTMLElement;
  private readonly chip: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private commands: SlashCommand[] = [];
  private suggestions: Suggestion[] = [];
  private active = -1;
  private file: { filename: string; base64: string } | null = null;

  constructor(private readonly hooks: ComposerHooks) {
    this.root = document.createElement("form");
    this.root.className = "composer";
    this.list = document.createElement("ul");
    this.list.className = "suggestions";
    this.list.id = "command-suggestions";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "Commands");
    this.list.hidden = true;
    this.chip = document.createElement("div");
    this.chip.hidden = true;
    const box = document.createElement("div");
    box.className = "composer-box";
    const attach = document.createElement("button");
    attach.type = "button";
    attach.className = "attach";
    attach.textContent = "📎";
    attach.setAttribute("aria-label", "Attach a file");
    this.fileInput = document.createElement("input");
    this.fileInput.type = "file";
    this.fileInput.hidden = true;
    this.fileInput.setAttribute("aria-label", "File to attach");
    attach.addEventListener("click", () => this.fileInput.click());
    this.fileInput.addEventListener("change", () => void this.pickFile());
    this.input = document.createElement("textarea");
    this.input.rows = 1;
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.addEventListener("input", () => this.update());
    this.input.addEventListener("keydown", (e) => this.onKey(e));
    this.input.addEventListener("blur", () => setTimeout(() => this.hide(), 150));
    box.append(attach, this.fileInput, this.input);
    this.error = document.createElement("div");
    this.error.className = "composer-error";
    this.error.setAttribute("role", "alert");
    this.root.append(this.list, this.chip, box, this.error);
    this.root.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  setChannel(name: string): void {
    this.input.setAttribute("aria-label", `Message #${name}`);
    this.input.placeholder = `Message #${name}`;
  }

  setCommands(commands: SlashCommand[]): void {
    this.commands = commands;
    if (!this.list.hidden) this.update();
  }

  setEnabled(enabled: boolean): void {
    this.input.disabled = !enabled;
  }

  private async pickFile(): Promise<void> {
    const f = this.fileInput.files?.[0];
    if (!f) return;
    const bytes = new Uint8Array(await f.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    this.file = { filename: f.name, base64: btoa(binary) };
    this.chip.replaceChildren();
    this.chip.className = "chip";
    this.chip.append(`📄 ${f.name}`);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "✕";
    remove.setAttribute("aria-label", `Remove ${f.name}`);
    remove.addEventListener("click", () => this.clearFile());
    this.chip.append(remove);
    this.chip.hidden = false;
    this.fileInput.value = "";
    this.input.focus();
  }

  private clearFile(): void {
    this.file = null;
    this.chip.hidden = true;
  }

  private async submit(): Promise<void> {
    const text = this.input.value.trim();
    if (text === "" && !this.file) return;
    this.hide();
    const error = await this.hooks.send(text, this.file);
    this.error.textContent = error ?? "";
    if (error === null) {
      this.input.value = "";
      this.clearFile();
    }
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.list.hidden && this.suggestions.length > 0;
    if (open && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      const n = this.suggestions.length;
      this.highlight((this.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
    } else if (open && (e.key === "Tab" || (e.key === "Enter" && this.active >= 0))) {
      e.preventDefault();
      this.choose(Math.max(0, this.active));
    } else if (e.key === "Escape") this.hide();
    else if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void this.submit();
    }
  }

  private update(): void {
    this.error.textContent = "";
    this.suggestions = suggest(this.input.value, this.commands);
    this.active = -1;
    this.list.replaceChildren();
    this.suggestions.forEach((s, i) => {
      const li = document.createElement("li");
      li.id = `suggestion-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const label = document.createElement("span");
      label.className = "path";
      label.textContent = s.label;
      const desc = document.createElement("span");
      desc.className = "desc";
      desc.textContent = s.description;
      li.append(label, desc);
      li.addEventListener("mousedown", (e) => {
        e.preventDefault(); // keep the focus in the box
        this.choose(i);
      });
      this.list.append(li);
    });
    this.list.hidden = this.suggestions.length === 0;
    this.input.setAttribute("aria-expanded", String(!this.list.hidden));
  }

  private highlight(i: number): void {
    this.active = i;
    this.list.querySelectorAll("[role=option]").forEach((li, j) => {
      li.setAttribute("aria-selected", String(i === j));
    });
    this.input.setAttribute("aria-activedescendant", `suggestion-${i}`);
    this.list.querySelector(`#suggestion-${i}`)?.scrollIntoView({ block: "nearest" });
  }

  private choose(i: number): void {
    const s = this.suggestions[i];
    if (!s) return;
    this.input.value = s.text;
    this.input.focus();
    this.update();
  }

  private hide(): void {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}
