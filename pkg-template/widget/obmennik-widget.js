// <obmennik-widget>: a thin browser shell around the widget's Rust core (core_bg.wasm next to
// this file; wasm-bindgen's core.js glue is bundled in by the build). The core decides
// everything and renders markup; this file
// patches that markup into a shadow root, reports what the user does, and runs what the core
// asks for: POSTs to the proxy, timers, the open bid's hash in localStorage, DOM events.
import init, { WidgetCore } from './core.js';

// The stylesheet, put here by the package build (scripts/build.mjs) from obmennik-widget.css.
const CSS = '/*__OBMENNIK_WIDGET_CSS__*/';
const OBSERVED = ['endpoint', 'lang', 'give', 'get', 'amount', 'theme'];
const REQUEST_TIMEOUT_MS = 30_000;

let coreReady;
/** How many running widgets keep their open bid under each storage key. */
const keys = new Map();
/** The widget's stylesheet, shared by every instance on the page. */
let sheet;
/** Loads the wasm core once per page. */
function loadCore() {
  coreReady ??= init({ module_or_path: new URL('./core_bg.wasm', import.meta.url) });
  return coreReady;
}

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Brings `el`'s children in line with `next`'s, keeping nodes (and so focus and caret). A node
 * that appeared or went away (a banner, a loading placeholder) is inserted or removed rather
 * than morphing its siblings into one another.
 */
function patchChildren(el, next) {
  const after = [...next.childNodes];
  after.forEach((node, j) => {
    let old = el.childNodes[j];
    if (old && !sameNode(old, node)) {
      if (el.childNodes[j + 1] && sameNode(el.childNodes[j + 1], node)) {
        old.remove();
        old = el.childNodes[j];
      } else if (after[j + 1] && sameNode(old, after[j + 1])) {
        el.insertBefore(node, old);
        return;
      }
    }
    if (!old) el.appendChild(node);
    else if (sameNode(old, node)) patchNode(old, node);
    else el.replaceChild(node, old);
  });
  while (el.childNodes.length > after.length) el.lastChild.remove();
}

/** Same element: tag, id, data-key and first class (the markup's role; later classes are states). */
function sameNode(a, b) {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  if (a.nodeType !== 1) return true;
  const role = (n) => n.classList[0] ?? '';
  return a.id === b.id && a.getAttribute('data-key') === b.getAttribute('data-key') && role(a) === role(b);
}

function patchNode(a, b) {
  if (a.nodeType !== 1) {
    if (a.data !== b.data) a.data = b.data;
    return;
  }
  for (const { name } of [...a.attributes]) {
    // A <details> the user opened stays open.
    if (!b.hasAttribute(name) && !(name === 'open' && a.tagName === 'DETAILS')) a.removeAttribute(name);
  }
  for (const { name, value } of [...b.attributes]) {
    if (a.getAttribute(name) !== value) a.setAttribute(name, value);
  }
  patchChildren(a, b);
  if (a.tagName === 'INPUT') {
    const value = b.getAttribute('value') ?? '';
    if (a.value !== value) a.value = value;
  } else if (a.tagName === 'SELECT') {
    const chosen = b.querySelector('option[selected]');
    if (chosen && a.value !== chosen.value) a.value = chosen.value;
  }
}

export class ObmennikWidget extends HTMLElement {
  static get observedAttributes() {
    return OBSERVED;
  }

  #root;
  #view;
  #core = null;
  #timers = new Map();
  #requests = new Set();
  #generation = 0;
  #busy = false;
  #queue = [];
  /** Connected and booted (or booting); a move in the page keeps it so. */
  #running = false;
  /** The storage key this run resumed from and saves to (see #storageKey). */
  #key = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#view = document.createElement('div');
    this.#view.className = 'root';
    this.#root.append(this.#view);
    // A constructed stylesheet is not inline CSS: pages whose Content-Security-Policy forbids
    // 'unsafe-inline' styles still style the widget. Older browsers get a <style>.
    if ('adoptedStyleSheets' in ShadowRoot.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      this.#root.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = CSS;
      this.#root.prepend(style);
    }
    this.#root.addEventListener('click', (e) => this.#onClick(e));
    this.#root.addEventListener('input', (e) => this.#onInput(e));
    this.#root.addEventListener('focusout', (e) => {
      const name = e.target?.dataset?.input;
      if (name) this.#send({ t: 'blur', name });
    });
    this.#root.addEventListener('keydown', (e) => this.#onKey(e));
    this.#root.addEventListener('submit', (e) => {
      e.preventDefault();
      const action = e.target?.dataset?.submit;
      if (action) this.#send({ t: 'click', action, arg: '' });
    });
  }

  connectedCallback() {
    if (!this.hasAttribute('theme')) this.setAttribute('theme', 'light');
    // Moved in the page (appended elsewhere, reordered by a framework): still running, the
    // user's amount and choices stay.
    if (this.#running) return;
    this.#running = true;
    this.#boot();
  }

  disconnectedCallback() {
    // A move disconnects and reconnects in one go: stop only if still out of the page once
    // the current script is done (which also clears what an event listener that removed the
    // element left to be set up after it).
    queueMicrotask(() => {
      if (this.isConnected || !this.#running) return;
      this.#running = false;
      this.#stop();
    });
  }

  attributeChangedCallback(name, old, value) {
    // The same value set again still counts for give, get and amount: the user may have
    // changed them since (a partner's "buy 0.01 BTC" button sets amount="0.01" again).
    if (!this.#core || name === 'theme' || (old === value && (name === 'endpoint' || name === 'lang'))) return;
    if (name === 'endpoint') {
      this.#stop();
      this.#boot();
    } else {
      this.#send({ t: 'attr', name, value });
    }
  }

  /** The proxy's URL without a trailing slash. */
  get #endpoint() {
    const raw = this.getAttribute('endpoint');
    return raw ? new URL(raw, document.baseURI).href.replace(/\/+$/, '') : '';
  }

  /** Where the open bid's hash is kept: per endpoint, and per element `id` when it has one,
   * so that two widgets on one page keep their bids apart (a space never occurs in the URL). */
  get #storageKey() {
    return `obmennik-widget:${this.#endpoint}${this.id ? ` ${this.id}` : ''}`;
  }

  async #boot() {
    const generation = ++this.#generation;
    try {
      await loadCore();
    } catch (err) {
      this.#emit('obmennik:error', { kind: 'load', code: 0, message: `obmennik-widget: could not load core_bg.wasm (${err?.message ?? err})`, method: '' });
      return;
    }
    if (generation !== this.#generation || !this.isConnected) return;
    this.#core = new WidgetCore();
    this.#key = this.#storageKey;
    keys.set(this.#key, (keys.get(this.#key) ?? 0) + 1);
    if (keys.get(this.#key) === 2) {
      console.warn(`obmennik-widget: two widgets with endpoint="${this.getAttribute('endpoint')}"${this.id ? ` and id="${this.id}"` : ''} share one saved open order; give each its own id`);
    }
    const pageLang = document.documentElement.lang || navigator.language || '';
    this.#send({ t: 'attr', name: 'page-lang', value: pageLang }, false);
    for (const name of ['lang', 'give', 'get', 'amount']) {
      if (this.hasAttribute(name)) this.#send({ t: 'attr', name, value: this.getAttribute(name) }, false);
    }
    let resume = null;
    try {
      resume = localStorage.getItem(this.#key);
    } catch {
      // Storage may be off (privacy settings, sandboxed frames): the bid is then not resumed.
    }
    // 128 random bits: the core's api_ids must be unguessable (see Event::Start).
    this.#send({ t: 'start', resume, nonce: randomHex(16) });
  }

  #stop() {
    this.#generation++;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#requests) controller.abort();
    this.#requests.clear();
    this.#core?.free();
    this.#core = null;
    if (this.#key !== null) {
      keys.set(this.#key, keys.get(this.#key) - 1);
      this.#key = null;
    }
  }

  /** Hands one event to the core, redraws, and runs the effects it returns. */
  #send(event, render = true) {
    if (!this.#core) return;
    // Patching the DOM can fire events (a focused node removed fires focusout): they wait
    // until this one is done.
    if (this.#busy) {
      this.#queue.push(event);
      return;
    }
    this.#busy = true;
    try {
      this.#apply(event, render);
    } finally {
      this.#busy = false;
    }
    const next = this.#queue.shift();
    if (next) this.#send(next);
  }

  #apply(event, render) {
    const effects = JSON.parse(this.#core.update(JSON.stringify(event)));
    if (render) this.#render();
    let focus = null;
    const core = this.#core;
    for (const fx of effects) {
      // An event listener may have stopped the widget: what follows would outlive it.
      if (this.#core !== core) return;
      if (fx.t === 'focus') focus = fx.selector;
      else this.#run(fx);
    }
    if (focus) this.#root.querySelector(focus)?.focus();
  }

  #render() {
    const template = document.createElement('template');
    template.innerHTML = this.#core.html();
    const hadFocus = this.#root.activeElement !== null;
    patchChildren(this.#view, template.content);
    // The focused control went away with its screen (a paid bid's buttons, a closed banner):
    // focus stays in the widget, on its title, instead of falling back to the page.
    if (hadFocus && this.#root.activeElement === null) this.#root.querySelector('#title')?.focus();
  }

  #run(fx) {
    switch (fx.t) {
      case 'fetch':
        this.#fetch(fx);
        break;
      case 'timer':
        clearTimeout(this.#timers.get(fx.id));
        this.#timers.set(fx.id, setTimeout(() => {
          this.#timers.delete(fx.id);
          this.#send({ t: 'timer', id: fx.id });
        }, fx.ms));
        break;
      case 'clear_timer':
        clearTimeout(this.#timers.get(fx.id));
        this.#timers.delete(fx.id);
        break;
      case 'save':
        try {
          if (fx.hash) localStorage.setItem(this.#key, fx.hash);
          else localStorage.removeItem(this.#key);
        } catch {
          // See #boot: without storage the bid lives as long as the page.
        }
        break;
      case 'emit':
        this.#emit(fx.name, fx.detail);
        break;
      case 'copy':
        this.#copy(fx);
        break;
      case 'warn':
        // A mistake in the page's integration (a give that names no currency): for its developer.
        console.warn(fx.message);
        break;
      default:
        break;
    }
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  async #fetch({ req, method, params, lang }) {
    const generation = this.#generation;
    const controller = new AbortController();
    this.#requests.add(controller);
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let status = 0;
    let body = '';
    let retryAfter = null;
    try {
      const endpoint = this.#endpoint;
      if (!endpoint) throw new Error('the endpoint attribute is missing');
      const res = await fetch(`${endpoint}/${method}`, {
        method: 'POST',
        // The proxy asks the exchanger for its texts in the widget's language.
        headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify(params),
        credentials: 'same-origin',
        signal: controller.signal,
      });
      body = await res.text();
      status = res.status;
      retryAfter = res.headers.get('retry-after');
    } catch {
      status = 0; // no answer: the core tells the user and retries where that is safe
    } finally {
      clearTimeout(timer);
      this.#requests.delete(controller);
    }
    // Retry-After as sent: the core reads it (seconds or an HTTP date, against this clock).
    if (generation === this.#generation) this.#send({ t: 'response', req, status, body, retry_after: retryAfter, now: Date.now() });
  }

  async #copy({ text, select, what }) {
    const generation = this.#generation;
    let ok = true;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Older browsers and insecure origins: select the text (the one asked for) so the user
      // can copy it; the core says so instead of "Copied".
      ok = false;
      const shown = select && this.#root.querySelector(select);
      if (shown) getSelection()?.selectAllChildren(shown);
    }
    if (generation === this.#generation) this.#send({ t: 'copied', what, ok });
  }

  #onClick(e) {
    const el = e.target.closest?.('[data-action]');
    if (!el || el.disabled || el.getAttribute('aria-disabled') === 'true') return;
    e.preventDefault();
    this.#send({ t: 'click', action: el.dataset.action, arg: el.dataset.arg ?? '' });
  }

  #onInput(e) {
    const name = e.target?.dataset?.input;
    if (name) this.#send({ t: 'input', name, value: e.target.value });
  }

  #onKey(e) {
    if (e.key === 'Escape') {
      this.#send({ t: 'key', key: 'Escape' });
      return;
    }
    const dialog = this.#root.querySelector('[role="dialog"]');
    if (!dialog) return;
    const items = [...dialog.querySelectorAll('input, button:not([disabled])')];
    const at = items.indexOf(this.#root.activeElement);
    let to = -1;
    if (e.key === 'ArrowDown') to = Math.min(at + 1, items.length - 1);
    else if (e.key === 'ArrowUp') to = Math.max(at - 1, 0);
    // Tab stays inside the open dialog.
    else if (e.key === 'Tab') to = (at + (e.shiftKey ? -1 : 1) + items.length) % items.length;
    if (to >= 0 && items[to]) {
      e.preventDefault();
      items[to].focus();
    }
  }
}

// Loaded twice (two URLs of this file, a bundle and a CDN copy): the first copy defines the
// element. Marked on the page rather than asked of the registry, whose define a page may defer.
const DEFINED = Symbol.for('obmennik-widget.defined');
if (!globalThis[DEFINED] && !customElements.get('obmennik-widget')) {
  globalThis[DEFINED] = true;
  customElements.define('obmennik-widget', ObmennikWidget);
}
