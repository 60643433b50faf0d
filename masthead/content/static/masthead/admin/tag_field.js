// The article editor's tag field (#14): type a name, pick a suggestion or
// create the tag, and it joins the chips in order.
//
// Follows the WAI-ARIA combobox pattern with a listbox popup
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): focus stays in the
// text box, arrows move the active option, Enter picks it, Escape closes.
// The original box becomes a hidden input holding the chosen tag ids as
// JSON; the server sends it with exactly what sync() writes ("[3,7]"), so
// an untouched editor shows no unsaved change (content/forms.py).

const DELAY_MS = 150;
// The words the script shows or reads out; the widget sends them in the
// editor's admin language (data-strings, content/forms.py), "{name}" and
// the like filled in here.
const ENGLISH = {
  chosen: "Chosen tags",
  placeholder: "Type a tag’s name",
  suggested: "Suggested tags",
  remove: "Remove {name}",
  removed: "{name} removed.",
  added: "{name} ({type}) added.",
  create: "Create “{query}” · {type}",
  none: "No tag starts with “{query}”.",
  failed: "The tag could not be created.",
};

function make(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    node.setAttribute(key, value);
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

function csrfToken(form) {
  const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

class TagField {
  constructor(input) {
    this.value = input;
    this.chosen = JSON.parse(input.dataset.chosen || "[]");
    this.types = JSON.parse(input.dataset.types || "[]");
    this.suggestUrl = input.dataset.suggestUrl;
    this.createUrl = input.dataset.createUrl;
    this.canCreate = input.dataset.canCreate === "true";
    this.strings = { ...ENGLISH, ...JSON.parse(input.dataset.strings || "{}") };
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.build();
    this.sync(false);
  }

  say(key, values = {}) {
    return this.strings[key].replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  }

  build() {
    const id = this.value.id;
    const describedBy = this.value.getAttribute("aria-describedby");
    this.root = make("div", { class: "tag-field" });
    this.chips = make("ul", { class: "tag-field__chips", "aria-label": this.say("chosen") });
    this.box = make("input", {
      type: "text",
      id,
      class: "tag-field__input",
      role: "combobox",
      autocomplete: "off",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-listbox`,
      placeholder: this.say("placeholder"),
    });
    if (describedBy) {
      this.box.setAttribute("aria-describedby", describedBy);
    }
    this.listbox = make("ul", {
      id: `${id}-listbox`,
      class: "tag-field__options",
      role: "listbox",
      "aria-label": this.say("suggested"),
      hidden: "",
    });
    this.status = make("p", { class: "tag-field__status", role: "status" });
    this.value.id = `${id}-value`;
    this.value.type = "hidden";
    this.value.removeAttribute("aria-describedby");
    this.value.after(this.root);
    this.root.append(this.chips, this.box, this.listbox, this.status);
    this.box.addEventListener("input", () => this.schedule());
    this.box.addEventListener("keydown", (event) => this.key(event));
    this.box.addEventListener("blur", () => {
      // Let a click on an option land before the list closes.
      window.setTimeout(() => this.close(), 150);
    });
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
  }

  sync(changed = true) {
    this.value.value = JSON.stringify(this.chosen.map((tag) => tag.id));
    this.chips.replaceChildren(
      ...this.chosen.map((tag, index) => {
        const chip = make("li", { class: "tag-field__chip" });
        const label = make("span", { class: "tag-field__label" }, tag.name);
        label.append(
          make("span", { class: "tag-field__type" }, ` · ${tag.type_label}`),
        );
        chip.append(label);
        const remove = make(
          "button",
          {
            type: "button",
            class: "tag-field__remove",
            "aria-label": this.say("remove", { name: tag.name }),
          },
          "×",
        );
        remove.addEventListener("click", () => this.remove(index));
        chip.append(remove);
        return chip;
      }),
    );
    if (changed) {
      // Wagtail's unsaved-changes warning and live preview listen for these.
      this.value.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  remove(index) {
    const [tag] = this.chosen.splice(index, 1);
    this.sync();
    this.announce(this.say("removed", { name: tag.name }));
    this.box.focus();
  }

  add(tag) {
    if (!this.chosen.some((chosen) => chosen.id === tag.id)) {
      this.chosen.push(tag);
      this.sync();
    }
    this.announce(this.say("added", { name: tag.name, type: tag.type_label }));
    this.box.value = "";
    this.close();
  }

  announce(text) {
    this.status.textContent = text;
  }

  schedule() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.suggest(), DELAY_MS);
  }

  async suggest() {
    const query = this.box.value.trim().replace(/\s+/g, " ");
    if (!query) {
      this.close();
      return;
    }
    if (this.request) {
      this.request.abort();
    }
    this.request = new AbortController();
    const url = new URL(this.suggestUrl, window.location.origin);
    url.searchParams.set("q", query.slice(0, 100));
    let results = [];
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        signal: this.request.signal,
      });
      if (response.ok) {
        results = (await response.json()).results;
      }
    } catch (error) {
      if (error.name === "AbortError") {
        return;
      }
    }
    this.show(query, results);
  }

  show(query, results) {
    const taken = new Set(this.chosen.map((tag) => tag.id));
    this.options = results
      .filter((tag) => !taken.has(tag.id))
      .map((tag) => ({ tag, label: `${tag.name} · ${tag.type_label}` }));
    const exact = results.some(
      (tag) => tag.name.toLocaleLowerCase() === query.toLocaleLowerCase(),
    );
    if (this.canCreate && !exact) {
      for (const type of this.types) {
        this.options.push({
          create: { name: query, type: type.value },
          label: this.say("create", { query, type: type.label }),
        });
      }
    }
    this.listbox.replaceChildren(
      ...this.options.map((option, index) => {
        const item = make("li", {
          id: `${this.listbox.id}-${index}`,
          role: "option",
          class: option.create
            ? "tag-field__option tag-field__option--create"
            : "tag-field__option",
          "aria-selected": "false",
        });
        item.textContent = option.label;
        item.addEventListener("click", () => this.pick(index));
        return item;
      }),
    );
    if (this.options.length) {
      this.listbox.hidden = false;
      this.box.setAttribute("aria-expanded", "true");
      this.activate(0);
    } else {
      this.close();
      this.announce(this.say("none", { query }));
    }
  }

  activate(index) {
    this.active = index;
    [...this.listbox.children].forEach((item, i) => {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    const item = this.listbox.children[index];
    if (item) {
      this.box.setAttribute("aria-activedescendant", item.id);
      item.scrollIntoView({ block: "nearest" });
    } else {
      this.box.removeAttribute("aria-activedescendant");
    }
  }

  close() {
    this.listbox.hidden = true;
    this.listbox.replaceChildren();
    this.options = [];
    this.active = -1;
    this.box.setAttribute("aria-expanded", "false");
    this.box.removeAttribute("aria-activedescendant");
  }

  async pick(index) {
    const option = this.options[index];
    if (!option) {
      return;
    }
    if (option.tag) {
      this.add(option.tag);
      return;
    }
    const body = new FormData();
    body.set("name", option.create.name);
    body.set("tag_type", option.create.type);
    const response = await fetch(this.createUrl, {
      method: "POST",
      body,
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrfToken(this.value.form),
      },
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok) {
      this.add(data);
    } else {
      this.announce(data.error || this.say("failed"));
    }
  }

  key(event) {
    const open = !this.listbox.hidden && this.options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (open) {
        this.activate((this.active + 1) % this.options.length);
      } else {
        this.suggest();
      }
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      this.activate((this.active - 1 + this.options.length) % this.options.length);
    } else if (event.key === "Enter") {
      // Enter in the box picks a tag; it never submits the page form.
      event.preventDefault();
      if (open && this.active >= 0) {
        this.pick(this.active);
      }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      this.close();
    } else if (
      event.key === "Backspace" &&
      !this.box.value &&
      this.chosen.length
    ) {
      this.remove(this.chosen.length - 1);
    }
  }
}

function start() {
  for (const input of document.querySelectorAll("input[data-tag-field]")) {
    if (!input.dataset.tagFieldReady) {
      input.dataset.tagFieldReady = "true";
      new TagField(input);
    }
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
