// The clinic assistant's web chat widget: one script tag and one line of configuration.
//
//   <script src="https://assistant.example/webhooks/widget/assistant-widget.js"></script>
//   <script>ClinicAssistant.init({server: "https://assistant.example",
//                                 clinicName: "Riverside Clinic", colors: {primary: "#005eb8"}})</script>
//
// (or data-server / data-clinic-name / data-primary-color on the script tag itself).
// It talks to Rasa's socket.io channel, keeps the conversation in this browser tab across
// page reloads (sessionStorage), and renders the reply contract of each bot message:
// sources as links, an escalation banner with tap-to-call links for urgent and emergency
// replies, and quick-reply buttons. Every text is put in the page as text, never as HTML.
import { io } from "socket.io-client";
import css from "./widget.css";
import { contrastingText, hexColor, telHref, safeLink, splitPhones } from "./format.js";

const STORAGE_PREFIX = "clinic-assistant:";
const REPLY_TIMEOUT_MS = 30000;
const SOURCES_SHOWN = 2;
const DEFAULTS = {
  server: "",
  clinicName: "the clinic",
  title: "",
  colors: { primary: "#005eb8", background: "#ffffff" },
  socketPath: "/socket.io/",
  // Rasa 3.6 mounts socket.io as plain Sanic routes, which cannot upgrade to a WebSocket
  // (the server logs an error for each try): HTTP long-polling only.
  transports: ["polling"],
  open: false,
};

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A speech bubble, drawn (an emoji may have no font on the patient's device).
function chatIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "22");
  svg.setAttribute("height", "22");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  svg.append(path);
  return svg;
}

// Text with the clinic's phone numbers as tap-to-call links; the rest stays plain text.
function textWithPhoneLinks(text, numbers) {
  return splitPhones(text, numbers).map((part) =>
    part.phone ? el("a", { href: telHref(part.text), class: "ca-tel" }, part.text) : part.text);
}

function sourceItem(source) {
  return el("li", {}, el("a", { href: safeLink(source.url), target: "_blank", rel: "noopener noreferrer" },
    source.title || source.url, el("span", { class: "ca-visually-hidden" }, " (opens in a new tab)")));
}

class Widget {
  constructor(options) {
    this.options = { ...DEFAULTS, ...options, colors: { ...DEFAULTS.colors, ...(options.colors || {}) } };
    this.server = (this.options.server || "").replace(/\/+$/, "");
    this.storageKey = STORAGE_PREFIX + (this.server || location.origin);
    this.state = this.restore();
    this.config = null;
    this.pendingTimer = null;
    this.lastBotEntry = null;
    this.confirmed = false;  // the server has confirmed this conversation's session id
    this.outbox = [];        // messages typed before that; sent once it has
  }

  // --- stored conversation -------------------------------------------------------------
  restore() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.storageKey) || "null");
      if (saved && Array.isArray(saved.entries)) return saved;
    } catch (error) { /* unreadable: start again */ }
    return { sessionId: null, entries: [], open: false };
  }

  save() {
    try {
      sessionStorage.setItem(this.storageKey, JSON.stringify(this.state));
    } catch (error) { /* storage full or blocked: the chat still works, unsaved */ }
  }

  // --- page ----------------------------------------------------------------------------
  mount() {
    const host = el("div", { class: "clinic-assistant" });
    this.root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    const primary = hexColor(this.options.colors.primary, DEFAULTS.colors.primary);
    const background = hexColor(this.options.colors.background, DEFAULTS.colors.background);
    const style = el("style", {}, css +
      `:host{--ca-primary:${primary};--ca-on-primary:${contrastingText(primary)};` +
      `--ca-background:${background};}`);
    const title = this.options.title || `${this.options.clinicName} assistant`;

    this.launcher = el("button", {
      class: "ca-launcher", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false",
      "aria-controls": "ca-panel", onclick: () => this.toggle(true),
    }, chatIcon(),
    el("span", { class: "ca-launcher-label" }, "Ask a question"));

    this.log = el("div", { class: "ca-log", role: "log", "aria-live": "polite",
                           "aria-label": "Conversation", tabindex: "0" });
    this.typing = el("div", { class: "ca-typing", hidden: true, role: "status" },
      el("span", { class: "ca-dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")),
      el("span", {}, "The assistant is typing\u2026"));
    this.status = el("div", { class: "ca-status", role: "status", "aria-live": "polite" });
    this.input = el("textarea", { id: "ca-input", class: "ca-input", rows: "1",
                                  maxlength: "5000", autocomplete: "off",
                                  placeholder: "Type your question", "aria-label": "Your message",
                                  onkeydown: (event) => this.onKeyDown(event) });
    this.sendButton = el("button", { type: "submit", class: "ca-send" }, "Send");
    const form = el("form", { class: "ca-form", onsubmit: (event) => this.onSubmit(event) },
      el("label", { for: "ca-input", class: "ca-visually-hidden" }, "Your message"),
      this.input, this.sendButton);

    this.panel = el("section", {
      id: "ca-panel", class: "ca-panel", role: "dialog", "aria-modal": "false",
      "aria-labelledby": "ca-title", hidden: true,
      onkeydown: (event) => { if (event.key === "Escape") this.toggle(false); },
    },
    el("header", { class: "ca-header" },
      el("h2", { id: "ca-title", class: "ca-title" }, title),
      el("button", { type: "button", class: "ca-new", onclick: () => this.newChat(),
                     "aria-label": "Start a new chat (clears this conversation)" }, "New chat"),
      el("button", { type: "button", class: "ca-close", onclick: () => this.toggle(false),
                     "aria-label": "Close chat" }, "\u00D7")),
    this.log, this.typing, this.status, form);

    this.root.append(style, this.launcher, this.panel);
    document.body.append(host);
    this.renderAll();
    if (this.state.open || this.options.open) this.toggle(true, false);
  }

  toggle(open, focus = true) {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    this.state.open = open;
    this.save();
    if (open) {
      this.connect();
      if (focus) this.input.focus();
      this.scrollToLatest();
    } else if (focus) {
      this.launcher.focus();
    }
  }

  onKeyDown(event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      this.onSubmit(event);
    }
  }

  onSubmit(event) {
    event.preventDefault();
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.send(text);
  }

  // --- server --------------------------------------------------------------------------
  async loadConfig() {
    if (this.config) return this.config;
    try {
      const response = await fetch(`${this.server}/webhooks/widget/config.json`);
      this.config = response.ok ? await response.json() : {};
    } catch (error) {
      this.config = {};
    }
    return this.config;
  }

  connect() {
    if (this.socket) return;
    this.loadConfig().then((config) => {
      // A new conversation opens with the notice, even if the patient typed first.
      if (config.notice && !this.state.entries.some((entry) => entry.kind === "notice")) {
        this.state.entries.unshift({ kind: "notice", text: config.notice });
        this.save();
      }
      this.renderAll();  // with the notice, and the clinic's numbers as links
    });
    this.socket = io(this.server || undefined, { path: this.options.socketPath,
                                                 transports: this.options.transports });
    this.socket.on("connect", () => {
      this.setStatus("");
      this.confirmed = false;
      this.socket.emit("session_request", { session_id: this.state.sessionId });
    });
    this.socket.on("session_confirm", (confirmed) => {
      const id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
      if (!id) return;
      this.state.sessionId = id;
      this.confirmed = true;
      this.save();
      // Rasa drops a message without its session id: what was typed meanwhile goes now.
      for (const text of this.outbox.splice(0)) this.emitMessage(text);
    });
    this.socket.on("bot_uttered", (message) => this.onBotMessage(message));
    this.socket.on("disconnect", () => {
      this.confirmed = false;
      this.showTyping(false);
      this.setStatus("Connection lost. Reconnecting\u2026");
    });
    this.socket.on("connect_error", () => {
      this.showTyping(false);  // nothing is on its way
      this.setStatus("Cannot reach the assistant. Trying again\u2026 If it is urgent, please phone the clinic.");
    });
  }

  send(text) {
    this.connect();
    this.add({ kind: "user", text });
    this.clearQuickReplies();
    if (this.confirmed) this.emitMessage(text);
    else this.outbox.push(text);
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => {
      this.showTyping(false);
      this.setStatus("No reply yet. Please try again, or phone the clinic.");
    }, REPLY_TIMEOUT_MS);
  }

  emitMessage(text) {
    this.socket.emit("user_uttered", { message: text, session_id: this.state.sessionId });
    this.showTyping(true);
  }

  // A bot turn arrives as one or more {text, quick_replies} messages and then, from our
  // channel, {custom: reply contract}, which belongs to the text before it.
  onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    clearTimeout(this.pendingTimer);
    this.setStatus("");
    if (message.custom && typeof message.custom === "object" && !message.text) {
      if (this.lastBotEntry && !this.lastBotEntry.contract) {
        this.lastBotEntry.contract = message.custom;
        this.save();
        this.renderAll();
      } else {
        this.add({ kind: "bot", text: "", contract: message.custom });
      }
    } else if (typeof message.text === "string") {
      const quickReplies = (message.quick_replies || message.buttons || [])
        .filter((b) => b && typeof b.title === "string")
        .map((b) => ({ title: b.title, payload: typeof b.payload === "string" ? b.payload : b.title }));
      this.lastBotEntry = this.add({ kind: "bot", text: message.text, quickReplies });
    }
    this.showTyping(false);
  }

  // --- conversation view ---------------------------------------------------------------
  add(entry) {
    this.state.entries.push(entry);
    if (entry.kind === "user") this.lastBotEntry = null;
    this.save();
    this.renderAll();
    return entry;
  }

  newChat() {
    this.state = { sessionId: null, entries: [], open: true };
    this.lastBotEntry = null;
    this.save();
    if (this.socket) {
      this.socket.disconnect();
      this.socket = null;
    }
    this.confirmed = false;
    this.outbox = [];
    this.renderAll();
    this.connect();
    this.input.focus();
  }

  renderAll() {
    this.log.replaceChildren(...this.state.entries.map((entry) => this.render(entry)));
    const last = this.state.entries[this.state.entries.length - 1];
    this.clearQuickReplies();
    if (last && last.kind === "bot" && last.quickReplies && last.quickReplies.length) {
      this.log.append(this.renderQuickReplies(last.quickReplies));
    }
    this.scrollToLatest();
  }

  // The end of the conversation, unless the latest answer is taller than the view: then
  // its start (an escalation banner must not be scrolled away).
  scrollToLatest() {
    const turns = this.log.querySelectorAll(".ca-turn");
    const latest = turns[turns.length - 1];
    const last = this.state.entries[this.state.entries.length - 1];
    if (latest && last && last.kind === "bot" &&
        this.log.scrollHeight - latest.offsetTop > this.log.clientHeight) {
      this.log.scrollTop = latest.offsetTop - 8;
    } else {
      this.scrollToEnd();
    }
  }

  render(entry) {
    if (entry.kind === "notice") {
      return el("div", { class: "ca-notice" }, el("strong", {}, "Before you start: "),
                ...textWithPhoneLinks(entry.text, this.allNumbers()));
    }
    if (entry.kind === "user") {
      return el("div", { class: "ca-message ca-user" },
                el("span", { class: "ca-visually-hidden" }, "You said: "), entry.text);
    }
    const contract = entry.contract || {};
    const parts = [];
    if (contract.severity === "emergency" || contract.severity === "urgent") {
      parts.push(this.renderBanner(contract.severity));
    }
    if (entry.text) {
      parts.push(el("div", { class: "ca-message ca-bot" },
                    el("span", { class: "ca-visually-hidden" }, "Assistant: "),
                    ...textWithPhoneLinks(entry.text, this.allNumbers())));
    }
    const sources = (contract.sources || []).filter((s) => s && safeLink(s.url));
    if (sources.length) {
      // The first sources in view; the rest behind "more" so the answer stays readable.
      const shown = sources.slice(0, SOURCES_SHOWN);
      const more = sources.slice(SOURCES_SHOWN);
      parts.push(el("div", { class: "ca-sources" }, el("span", {}, "Sources: "),
        el("ul", {}, shown.map(sourceItem)),
        more.length ? el("details", {},
          el("summary", {}, `${more.length} more source${more.length > 1 ? "s" : ""}`),
          el("ul", {}, more.map(sourceItem))) : null));
    }
    return el("div", { class: "ca-turn", "data-topic": contract.topic || null }, parts);
  }

  allNumbers() {
    const phones = (this.config && this.config.phones) || {};
    return [].concat(phones.emergency || [], phones.daytime || [], phones.crisis || []);
  }

  // Emergency: the emergency numbers. Urgent: the clinic's daytime number first.
  renderBanner(severity) {
    const phones = (this.config && this.config.phones) || {};
    const emergency = severity === "emergency";
    const numbers = emergency ? [...(phones.emergency || [])]
      : [...(phones.daytime || []), ...(phones.emergency || [])];
    return el("div", { class: `ca-banner ca-banner-${severity}`, role: "alert" },
      el("strong", {}, emergency ? "Emergency: get help now." : "Urgent: contact the clinic today."),
      numbers.length ? el("span", { class: "ca-banner-calls" },
        numbers.map((number) => el("a", { href: telHref(number), class: "ca-call" }, `Call ${number}`)))
        : null);
  }

  renderQuickReplies(quickReplies) {
    this.quickReplies = el("div", { class: "ca-quick-replies", role: "group",
                                    "aria-label": "Suggested questions" },
      quickReplies.map((reply) => el("button", { type: "button", class: "ca-quick-reply",
                                                 onclick: () => this.send(reply.payload) }, reply.title)));
    return this.quickReplies;
  }

  clearQuickReplies() {
    if (this.quickReplies) this.quickReplies.remove();
    this.quickReplies = null;
  }

  showTyping(on) {
    this.typing.hidden = !on;
    this.scrollToLatest();
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function fromScriptTag() {
  const script = document.currentScript;
  if (!script || !script.dataset || !script.dataset.server) return null;
  const data = script.dataset;
  return { server: data.server, clinicName: data.clinicName, title: data.title,
           colors: { primary: data.primaryColor || DEFAULTS.colors.primary,
                     background: data.backgroundColor || DEFAULTS.colors.background } };
}

let instance = null;

export function init(options = {}) {
  if (instance) return instance;
  instance = new Widget(options);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => instance.mount());
  } else {
    instance.mount();
  }
  return instance;
}

const tagOptions = fromScriptTag();
if (tagOptions) init(tagOptions);
