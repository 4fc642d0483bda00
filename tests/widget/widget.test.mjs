// End-to-end: the <obmennik-widget> from the built package on the demo partner page, in Debian's
// Chromium (playwright-core), against the package's own exchanger proxy and the sandbox
// exchanger (with its hostile direction) in this process. Every test keeps a screenshot in
// tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import jsQR from 'jsqr';
import { startDemo } from '../../www-demo/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.resolve(here, '..', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const W = 'obmennik-widget >> ';
const CARD = '4276 0000 0000 0001';

let demo;
let browser;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (npm test provisions it)`);
  fs.mkdirSync(artifacts, { recursive: true });
  demo = await startDemo({ port: 0, hostile: true, tickMs: 250 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

/** A fresh page (own storage) on the demo, with what the page logged collected. */
async function open(t, { width = 1100, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  t.after(() => context.close());
  // Record the widget's events from the start: they bubble out of the shadow root.
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ['obmennik:ready', 'obmennik:quote', 'obmennik:bid-created', 'obmennik:status', 'obmennik:error']) {
      document.addEventListener(name, (e) => window.__events.push({ name, detail: e.detail }));
    }
  });
  await page.goto(demo.url);
  return { page, problems };
}

async function shot(page, name) {
  await page.locator('obmennik-widget').screenshot({ path: path.join(artifacts, `widget-${name}.png`) });
}

async function quoted(page, amount) {
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
  await page.fill(`${W}#amount-give`, amount);
  await page.waitForSelector(`${W}[data-action="continue"]:not([disabled])`);
}

/** Picks a currency through the picker: open, search, choose. */
async function pick(page, side, search, title) {
  await page.click(`${W}#cur-${side}`);
  await page.fill(`${W}#search`, search);
  await page.click(`${W}.opt:has-text("${title}")`);
  await page.waitForSelector(`${W}#cur-${side}:has-text("${title}")`);
}

/** BTC → Sberbank RUB, 0.01 BTC, through to the payment screen (`until` shows there). */
async function createBid(page, until = '[data-action="paid"]') {
  await quoted(page, '0.01');
  await page.click(`${W}[data-action="continue"]`);
  await page.fill(`${W}#f-account2`, CARD);
  await page.fill(`${W}#f-cf6`, 'ivan@example.com');
  await page.click(`${W}button[type="submit"]`);
  await page.waitForSelector(`${W}${until}`);
}

test('a whole exchange in Russian: pick, quote, fill, create, pay, success; the QR code reads back as the address', async (t) => {
  const { page, problems } = await open(t);
  // Set at run time on an English page: the widget's texts and the exchanger's (asked for
  // through the proxy's Accept-Language) switch to Russian.
  await page.evaluate(() => document.querySelector('obmennik-widget').setAttribute('lang', 'ru'));
  await page.waitForSelector(`${W}#cur-get:has-text("Сбербанк RUB")`);
  await pick(page, 'give', 'bit', 'Bitcoin BTC');
  await pick(page, 'get', 'сбер', 'Сбербанк RUB');
  await quoted(page, '0,01');
  // The quoted amount is editable text in the reader's notation: a decimal comma in Russian.
  const get = await page.inputValue(`${W}#amount-get`);
  assert.match(get, /^\d+(,\d+)?$/);
  const getWire = get.replace(',', '.');
  assert.ok(Number(getWire) > 10000, `0.01 BTC buys ${get} RUB`);
  await page.click(`${W}[data-action="continue"]`);
  assert.match(await page.textContent(`${W}label[for="f-account2"]`), /Номер карты/);
  await page.fill(`${W}#f-account2`, CARD);
  await page.fill(`${W}#f-cf6`, 'ivan@example.com');
  await page.fill(`${W}#f-cf11`, '@ivan_petrov');
  await page.click(`${W}button[type="submit"]`);
  await page.waitForSelector(`${W}[data-action="paid"]`);

  const address = (await page.textContent(`${W}#pay-address`)).trim();
  const bid = demo.sandbox.bids().find((b) => b.address === address);
  assert.ok(bid, `the sandbox has a bid paying to ${address}`);
  assert.equal(bid.status, 'new');
  assert.equal(await readQr(page), address, 'jsQR reads the payment address from the rendered QR code');
  await shot(page, 'payment');

  await page.click(`${W}[data-action="paid"]`);
  await page.waitForSelector(`${W}.final .badge[data-status="success"]`, { timeout: 20_000 });
  assert.equal(demo.sandbox.bids().find((b) => b.hash === bid.hash).status, 'success');
  const all = await page.evaluate(() => window.__events);
  // The last quote before the bid is the one it was created from.
  const quotes = all.filter((e) => e.name === 'obmennik:quote');
  assert.ok(quotes.length >= 1, 'obmennik:quote fired');
  assert.deepEqual(
    (({ currency_code_give, currency_code_get, amount_give, amount_get, changed }) => ({ currency_code_give, currency_code_get, amount_give, amount_get, changed }))(quotes.at(-1).detail),
    { currency_code_give: 'BTC', currency_code_get: 'RUB', amount_give: '0.01', amount_get: getWire, changed: false },
  );
  assert.equal(quotes.at(-1).detail.direction_id, String(bid.directionId));
  const seen = all.filter((e) => e.name !== 'obmennik:quote');
  assert.deepEqual(seen.map((e) => e.name).slice(0, 2), ['obmennik:ready', 'obmennik:bid-created']);
  assert.equal(seen[1].detail.hash, bid.hash);
  assert.ok(seen.some((e) => e.name === 'obmennik:status' && e.detail.status === 'payed'));
  assert.equal(seen.at(-1).detail.final, true);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).length), 0, 'a finished bid is not kept');
  await shot(page, 'success');
  assert.deepEqual(problems, []);
});

test('an amount under the minimum is refused with the limit, and nothing is created', async (t) => {
  const { page } = await open(t);
  const bids = demo.sandbox.bids().length;
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
  await page.fill(`${W}#amount-give`, '0.0001');
  const error = page.locator(`${W}#amount-error`);
  await error.waitFor();
  assert.match(await error.textContent(), /minimum is 0\.0005 BTC/);
  assert.equal(await page.getAttribute(`${W}#amount-give`, 'aria-invalid'), 'true');
  assert.ok(await page.isDisabled(`${W}[data-action="continue"]`));
  assert.equal(demo.sandbox.bids().length, bids);
  await shot(page, 'under-minimum');
});

test('a required field left empty is marked and blocks the order', async (t) => {
  const { page } = await open(t);
  const bids = demo.sandbox.bids().length;
  await quoted(page, '0.01');
  await page.click(`${W}[data-action="continue"]`);
  await page.fill(`${W}#f-account2`, CARD);
  await page.click(`${W}button[type="submit"]`);
  const error = page.locator(`${W}#f-cf6-err`);
  await error.waitFor();
  assert.match(await error.textContent(), /required/);
  assert.match(await page.textContent(`${W}label[for="f-account2"]`), /Card number/, "the exchanger's labels in the page's language");
  assert.equal(await page.getAttribute(`${W}#f-cf6`, 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.querySelector('obmennik-widget').shadowRoot.activeElement?.id), 'f-cf6', 'focus moves to the field');
  assert.equal(demo.sandbox.bids().length, bids, 'no request reached the exchanger');
  await shot(page, 'required-empty');
});

test("the server's error_fields appear next to their field", async (t) => {
  const { page } = await open(t);
  await quoted(page, '0.01');
  await page.click(`${W}[data-action="continue"]`);
  await page.fill(`${W}#f-account2`, '1234');
  await page.fill(`${W}#f-cf6`, 'ivan@example.com');
  await page.click(`${W}button[type="submit"]`);
  const error = page.locator(`${W}#f-account2-err`);
  await error.waitFor();
  assert.match(await error.textContent(), /card number|номер карты/i);
  assert.equal(await page.getAttribute(`${W}#f-account2`, 'aria-invalid'), 'true');
  await page.locator(`${W}.banner`).waitFor();
  await shot(page, 'server-error-fields');
});

test('maintenance is explained, and Try again recovers', async (t) => {
  demo.sandbox.setMaintenance(true);
  t.after(() => demo.sandbox.setMaintenance(false));
  const { page } = await open(t);
  const banner = page.locator(`${W}.banner`);
  await banner.waitFor();
  assert.match(await banner.textContent(), /maintenance/);
  await shot(page, 'maintenance');
  // The page switching language retells the problem too, not only the widget around it.
  await page.evaluate(() => document.querySelector('obmennik-widget').setAttribute('lang', 'ru'));
  await page.waitForSelector(`${W}[data-action="retry"]:has-text("Повторить")`);
  assert.match(await banner.textContent(), /техническом обслуживании/);
  demo.sandbox.setMaintenance(false);
  await page.click(`${W}[data-action="retry"]`);
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
  assert.equal(await banner.count(), 0);
});

test('reloading the page resumes the open bid', async (t) => {
  const { page } = await open(t);
  await createBid(page);
  const order = await page.textContent(`${W}.bidhead b`);
  const address = await page.textContent(`${W}#pay-address`);
  await page.reload();
  await page.waitForSelector(`${W}[data-action="paid"]`);
  assert.equal(await page.textContent(`${W}.bidhead b`), order);
  assert.equal(await page.textContent(`${W}#pay-address`), address);
  await shot(page, 'resumed');
  // Cancelled from the resumed page, the bid is final and forgotten.
  await page.click(`${W}[data-action="cancel"]`);
  await page.click(`${W}[data-action="cancel-yes"]`);
  await page.waitForSelector(`${W}.final .badge[data-status="cancel"]`);
  await page.reload();
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
});

test('a hostile direction: its <script>, <img onerror> and javascript: texts never run', async (t) => {
  const { page, problems } = await open(t);
  await page.evaluate(() => {
    const w = document.querySelector('obmennik-widget');
    w.setAttribute('give', 'Sberbank RUB');
    w.setAttribute('get', 'Litecoin LTC');
  });
  await page.waitForSelector(`${W}#cur-get:has-text("Litecoin LTC")`);
  await quoted(page, '5000');
  await page.click(`${W}[data-action="continue"]`);
  await page.click(`${W}.timeline summary`);
  // The legitimate markup around the payloads survives.
  assert.equal(await page.getAttribute(`${W}.timeline a`, 'href'), 'https://example.com/faq');
  await page.fill(`${W}#f-account1`, CARD);
  await page.fill(`${W}#f-cfgive8`, 'IVAN PETROV');
  await page.fill(`${W}#f-account2`, 'ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9');
  await page.fill(`${W}#f-cf30`, 'ivan@example.com');
  await page.click(`${W}button[type="submit"]`);
  await page.waitForSelector(`${W}[data-action="paid"]`);
  // Click every link the widget shows: none may be a javascript: URL.
  const hrefs = await page.evaluate(() => [...document.querySelector('obmennik-widget').shadowRoot.querySelectorAll('a')].map((a) => a.getAttribute('href')));
  for (const href of hrefs) assert.match(href, /^https?:\/\//);
  const dangerous = await page.evaluate(() => {
    const root = document.querySelector('obmennik-widget').shadowRoot;
    return [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`))
      .concat([...root.querySelectorAll('script, iframe, object, embed')].map((el) => el.tagName));
  });
  assert.deepEqual(dangerous, []);
  await page.waitForTimeout(300); // an <img onerror> would have fired by now
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no payload ran');
  assert.deepEqual(problems, []);
  await shot(page, 'hostile');
});

test("under a strict Content-Security-Policy (no 'unsafe-inline') the widget loads, is styled and quotes", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // What the README asks of a partner page's policy, and nothing more (the demo page's own
  // inline script and style are blocked by it; the widget must not need either).
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' http://127.0.0.1:*";
  await page.route(demo.url, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
  });
  await page.goto(demo.url);
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
  await page.fill(`${W}#amount-give`, '0.01');
  await page.waitForSelector(`${W}[data-action="continue"]:not([disabled])`);
  const card = await page.evaluate(() => {
    const style = getComputedStyle(document.querySelector('obmennik-widget').shadowRoot.querySelector('.ow'));
    return { radius: style.borderTopLeftRadius, bg: style.backgroundColor };
  });
  assert.deepEqual(card, { radius: '14px', bg: 'rgb(255, 255, 255)' }, 'the stylesheet applies');
  assert.deepEqual(problems, []);
  await shot(page, 'strict-csp');
});

test('dark theme at 320 px: nothing overflows, every control is labelled, the keyboard alone picks a currency', async (t) => {
  const { page } = await open(t, { width: 320, height: 720 });
  await page.evaluate(() => document.querySelector('obmennik-widget').setAttribute('theme', 'dark'));
  await quoted(page, '0.01');
  const layout = await page.evaluate(() => {
    const w = document.querySelector('obmennik-widget');
    const card = w.shadowRoot.querySelector('.ow');
    return { width: w.getBoundingClientRect().width, scroll: card.scrollWidth, client: card.clientWidth, bg: getComputedStyle(card).backgroundColor, page: document.documentElement.scrollWidth };
  });
  assert.ok(layout.width <= 320, `the widget fits: ${layout.width}px`);
  assert.ok(layout.scroll <= layout.client, `no horizontal overflow inside: ${layout.scroll} > ${layout.client}`);
  assert.ok(layout.page <= 320, `the page does not scroll sideways: ${layout.page}`);
  assert.equal(layout.bg, 'rgb(22, 25, 37)', 'the dark theme paints the card');
  // Nothing the user must read is cut off: the amounts and the currencies' names show whole.
  const cut = await page.evaluate(() => {
    const root = document.querySelector('obmennik-widget').shadowRoot;
    return [...root.querySelectorAll('.amt, .cur-name')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.id || el.className}: ${el.value ?? el.textContent}`);
  });
  assert.deepEqual(cut, []);
  await shot(page, 'dark-320');

  const unlabelled = await page.evaluate(() => {
    const root = document.querySelector('obmennik-widget').shadowRoot;
    return [...root.querySelectorAll('input, select, button, a')].filter((el) => {
      if (el.tagName === 'INPUT' || el.tagName === 'SELECT') return !el.labels?.length && !el.getAttribute('aria-label');
      return !(el.getAttribute('aria-label') || el.textContent.trim());
    }).map((el) => el.outerHTML.slice(0, 80));
  });
  assert.deepEqual(unlabelled, []);

  await page.focus(`${W}#amount-give`);
  await page.keyboard.press('Tab'); // to the give currency
  await page.keyboard.press('Tab'); // to the get amount
  await page.keyboard.press('Tab'); // to the get currency
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${W}#search`);
  await page.keyboard.type('usdt');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${W}#cur-get:has-text("USDT")`);
  assert.equal(await page.evaluate(() => document.querySelector('obmennik-widget').shadowRoot.activeElement?.id), 'cur-get', 'focus returns to the button');
});

test('in Russian, an amount over the reserve is offered where the limit is, with a decimal comma, and that amount goes through', async (t) => {
  const { page } = await open(t);
  await page.evaluate(() => document.querySelector('obmennik-widget').setAttribute('lang', 'ru'));
  await page.waitForSelector(`${W}#cur-get:has-text("Сбербанк RUB")`);
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
  // 2.5 BTC buys more roubles than the reserve: the exchanger quotes its maximum instead.
  await page.fill(`${W}#amount-give`, '2,5');
  const notice = page.locator(`${W}.notice`);
  await notice.waitFor();
  assert.match(await notice.textContent(), /12\u00a0500\u00a0000 RUB/, 'the notice names the limit that was hit');
  await shot(page, 'changed-ru');
  await page.click(`${W}[data-action="use-quote"]`);
  // The offered amount is quoted again and accepted, not moved once more by rounding.
  await page.waitForSelector(`${W}[data-action="continue"]:not([disabled])`, { timeout: 5_000 });
  assert.equal(await page.inputValue(`${W}#amount-get`), '12500000');
  assert.match(await page.inputValue(`${W}#amount-give`), /^2,0422529\d*$/, 'the give amount with a decimal comma');
  assert.equal(await notice.count(), 0);
  await page.click(`${W}[data-action="continue"]`);
  await page.fill(`${W}#f-account2`, CARD);
  await page.fill(`${W}#f-cf6`, 'ivan@example.com');
  await page.click(`${W}button[type="submit"]`);
  await page.waitForSelector(`${W}[data-action="paid"]`);
  assert.equal(await page.locator(`${W}.banner`).count(), 0, 'the exchanger accepts the amount it offered');
});

test("the keyboard alone: cancel's confirmation takes the focus, Escape dismisses it and gives the focus back", async (t) => {
  const { page } = await open(t);
  await createBid(page);
  const focused = () => page.evaluate(() => document.querySelector('obmennik-widget').shadowRoot.activeElement?.dataset.action ?? null);
  await page.focus(`${W}[data-action="cancel"]`);
  await page.keyboard.press('Enter');
  await page.locator(`${W}[role="alertdialog"]`).waitFor();
  assert.equal(await focused(), 'cancel-no', 'focus moves into the confirmation, on its safe answer');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(`${W}[role="alertdialog"]`).count(), 0, 'Escape says no');
  assert.equal(await focused(), 'cancel', 'focus returns to the button that asked');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // "No"
  assert.equal(await page.locator(`${W}[role="alertdialog"]`).count(), 0);
  assert.equal(await focused(), 'cancel');
  const address = (await page.textContent(`${W}#pay-address`)).trim();
  assert.equal(demo.sandbox.bids().find((b) => b.address === address).status, 'new', 'nothing was cancelled');
});

test('screen readers: every step is named, the quote is announced, the limits describe the amount', async (t) => {
  const { page } = await open(t);
  await quoted(page, '0.01');
  const a11y = await page.evaluate(() => {
    const root = document.querySelector('obmennik-widget').shadowRoot;
    const input = root.querySelector('#amount-give');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => root.getElementById(id)?.textContent ?? `missing #${id}`);
    const live = [...root.querySelectorAll('[aria-live], [role="status"]')].map((el) => el.textContent).join(' | ');
    return { described, live };
  });
  const snapshot = await page.locator(`${W}.steps`).ariaSnapshot();
  assert.doesNotMatch(snapshot, /- listitem\s*$/m, `a step without a name:\n${snapshot}`);
  assert.match(snapshot, /Details/);
  const get = await page.inputValue(`${W}#amount-get`);
  assert.match(a11y.live, new RegExp(`You get:? ${Number(get).toLocaleString('en-US')} RUB`), `the quote is in a live region: ${a11y.live}`);
  assert.deepEqual(a11y.described, ['min 0.0005 · max 3 BTC']);
  await page.fill(`${W}#amount-give`, '5');
  await page.locator(`${W}#amount-error`).waitFor();
  const described = await page.evaluate(() => {
    const root = document.querySelector('obmennik-widget').shadowRoot;
    return root.querySelector('#amount-give').getAttribute('aria-describedby').split(' ').map((id) => root.getElementById(id)?.id);
  });
  assert.deepEqual(described.sort(), ['amount-error', 'amount-give-limits']);
});

test('the current step is text, not dressed as a button', async (t) => {
  const { page } = await open(t);
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
  const step = await page.evaluate(() => {
    const style = getComputedStyle(document.querySelector('obmennik-widget').shadowRoot.querySelector('.steps [aria-current="step"]'));
    return { cursor: style.cursor, border: style.borderTopWidth, radius: style.borderTopLeftRadius };
  });
  assert.deepEqual(step, { cursor: 'auto', border: '0px', radius: '0px' });
});

// ---- the partner who embeds it: pages of their own around the widget ----

const SCRIPT = '<script type="module" src="/pkg/widget/obmennik-widget.js"></script>';

/** A page of the partner's own (served at /partner.html on the demo's origin), with the live
 * timers counted: `window.__timers()` lists the delays of those not yet fired or cleared. */
async function openHtml(t, body, { head = '', width = 1100, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const wasm = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(r.url());
  });
  await page.addInitScript(() => {
    const live = new Map();
    const { setTimeout: set, clearTimeout: clear } = window;
    window.setTimeout = (f, ms, ...args) => {
      const id = set(() => {
        live.delete(id);
        if (typeof f === 'function') f(...args);
      }, ms);
      live.set(id, ms);
      return id;
    };
    window.clearTimeout = (id) => {
      live.delete(id);
      clear(id);
    };
    window.__timers = () => [...live.values()];
    window.__events = [];
    for (const name of ['obmennik:ready', 'obmennik:quote', 'obmennik:bid-created', 'obmennik:status', 'obmennik:error']) {
      document.addEventListener(name, (e) => window.__events.push({ name, id: e.target.id, detail: e.detail }));
    }
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;
  await page.route(`${demo.url}partner.html`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(`${demo.url}partner.html`);
  return { page, problems, wasm };
}

const amountOf = (page, id) => page.inputValue(`#${id} >> #amount-give`);

async function quotedIn(page, prefix, amount) {
  await page.waitForSelector(`${prefix}#amount-give:not([disabled])`);
  await page.fill(`${prefix}#amount-give`, amount);
  await page.waitForSelector(`${prefix}[data-action="continue"]:not([disabled])`);
}

test('two widgets in a flex row: each as wide as it may be, its own state, one wasm for both', async (t) => {
  const { page, problems, wasm } = await openHtml(t, `${SCRIPT}
    <div style="display:flex; gap:20px; padding:10px">
      <obmennik-widget id="a" endpoint="/exchange-api" amount="0.01"></obmennik-widget>
      <obmennik-widget id="b" endpoint="/exchange-api" theme="dark"></obmennik-widget>
    </div>
    <p>In a sentence: <span style="display:inline-block"><obmennik-widget id="c" endpoint="/exchange-api"></obmennik-widget></span></p>`);
  for (const id of ['a', 'b', 'c']) await page.waitForSelector(`#${id} >> #amount-give:not([disabled])`);
  // A size container has no content width: sized by its content (a flex item, an
  // inline-block) the widget used to collapse to 0 px.
  const widths = await page.evaluate(() => Object.fromEntries(['a', 'b', 'c'].map((id) => [id, document.getElementById(id).getBoundingClientRect().width])));
  assert.deepEqual(widths, { a: 460, b: 460, c: 460 });
  await page.fill('#b >> #amount-give', '0.5');
  await page.waitForSelector('#b >> [data-action="continue"]:not([disabled])');
  await page.click('#b >> [data-action="continue"]');
  assert.equal(await amountOf(page, 'a'), '0.01', 'typing in one widget leaves the other alone');
  assert.equal(await page.locator('#a >> .ow').getAttribute('data-screen'), 'amount');
  assert.equal(wasm.length, 1, `the wasm is fetched once for every widget: ${wasm}`);
  const ready = await page.evaluate(() => window.__events.filter((e) => e.name === 'obmennik:ready').map((e) => e.id).sort());
  assert.deepEqual(ready, ['a', 'b', 'c'], 'each widget says it is ready, on itself');
  await page.screenshot({ path: path.join(artifacts, 'widget-two-in-a-row.png') });
  assert.deepEqual(problems, []);
});

test('created from JS, moved in the page, removed and added back: state kept when moved, timers stopped when removed, the open bid resumed', async (t) => {
  const { page, problems } = await openHtml(t, `${SCRIPT}<main id="app"><div id="left"></div><div id="right"></div></main>`);
  await page.evaluate(async () => {
    await customElements.whenDefined('obmennik-widget');
    const w = document.createElement('obmennik-widget');
    w.id = 'w';
    w.setAttribute('endpoint', '/exchange-api');
    document.getElementById('left').append(w);
  });
  const W1 = '#w >> ';
  await quotedIn(page, W1, '0.02');
  // A framework moving the node (a reordered list, a portal) disconnects and reconnects it in
  // one go: the user's amount stays, and the widget does not start over.
  await page.evaluate(() => document.getElementById('right').append(document.getElementById('w')));
  await page.waitForTimeout(400);
  assert.equal(await amountOf(page, 'w'), '0.02', 'moved, the widget keeps what the user typed');
  assert.equal(await page.evaluate(() => window.__events.filter((e) => e.name === 'obmennik:ready').length), 1, 'and does not start over');

  // Through to the bid; the SPA navigates away the moment it exists (its listener removes the
  // widget in the middle of the widget's own work): nothing keeps running after it.
  await page.click(`${W1}[data-action="continue"]`);
  await page.fill(`${W1}#f-account2`, CARD);
  await page.fill(`${W1}#f-cf6`, 'ivan@example.com');
  await page.evaluate(() => document.addEventListener('obmennik:bid-created', () => document.getElementById('app').replaceChildren(), { once: true }));
  await page.click(`${W1}button[type="submit"]`);
  await page.waitForFunction(() => !document.getElementById('w'));
  await page.waitForTimeout(100);
  assert.deepEqual(await page.evaluate(() => window.__timers()), [], 'no timer left running (the first poll was one)');
  // The SPA comes back to the exchange page: a new element resumes the open bid.
  await page.evaluate(() => {
    const w = document.createElement('obmennik-widget');
    w.id = 'w';
    w.setAttribute('endpoint', '/exchange-api');
    document.getElementById('app').append(w);
  });
  await page.waitForSelector(`${W1}[data-action="paid"]`);
  const ready = await page.evaluate(() => window.__events.filter((e) => e.name === 'obmennik:ready').map((e) => e.detail.resumed));
  assert.deepEqual(ready, [false, true]);
  assert.deepEqual(await page.evaluate(() => window.__timers()), [2000], 'one poll timer while the bid is open');
  // Kept aside (a cached view) and added back later: stopped meanwhile, then resumed.
  await page.evaluate(() => {
    window.__kept = document.getElementById('w');
    window.__kept.remove();
  });
  await page.waitForTimeout(100);
  assert.deepEqual(await page.evaluate(() => window.__timers()), [], 'removed, the widget stops polling');
  await page.evaluate(() => document.getElementById('app').append(window.__kept));
  await page.waitForSelector(`${W1}[data-action="paid"]`);
  assert.deepEqual(await page.evaluate(() => window.__timers()), [2000]);
  assert.deepEqual(problems, []);
});

test("the partner's own controls: amount, give and get set again after the user changed them, and every attribute after connect", async (t) => {
  const { page, problems } = await openHtml(t, `${SCRIPT}<obmennik-widget id="w" endpoint="/exchange-api" give="BTC" get="Sberbank RUB" amount="0.01"></obmennik-widget>`);
  const W1 = '#w >> ';
  await page.waitForSelector(`${W1}[data-action="continue"]:not([disabled])`);
  await page.fill(`${W1}#amount-give`, '0.5');
  await pick(page, 'get', 'usdt', 'USDT');
  // "Buy 0.01 BTC for roubles" on the partner's page: the same values as the attributes have.
  await page.evaluate(() => {
    const w = document.getElementById('w');
    w.setAttribute('get', 'Sberbank RUB');
    w.setAttribute('amount', '0.01');
  });
  await page.waitForSelector(`${W1}#cur-get:has-text("Sberbank RUB")`);
  await page.waitForFunction(() => document.getElementById('w').shadowRoot.querySelector('#amount-give').value === '0.01');
  // Changed to new values after connect, including the language, theme and endpoint.
  await page.evaluate(() => {
    const w = document.getElementById('w');
    w.setAttribute('lang', 'ru');
    w.setAttribute('give', 'Сбербанк RUB');
    w.setAttribute('get', 'LTC');
    w.setAttribute('amount', '5000');
    w.setAttribute('theme', 'dark');
  });
  await page.waitForSelector(`${W1}#cur-give:has-text("Сбербанк RUB")`);
  await page.waitForSelector(`${W1}#cur-get:has-text("Litecoin LTC")`);
  assert.equal(await amountOf(page, 'w'), '5000');
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('w').shadowRoot.querySelector('.ow')).backgroundColor), 'rgb(22, 25, 37)');
  await page.evaluate(() => document.getElementById('w').setAttribute('endpoint', '/exchange-api/'));
  await page.waitForFunction(() => window.__events.filter((e) => e.name === 'obmennik:ready').length === 2);
  await page.waitForSelector(`${W1}#cur-give:has-text("Сбербанк RUB")`);
  await page.waitForSelector(`${W1}#cur-get:has-text("Litecoin LTC")`);
  assert.equal(await amountOf(page, 'w'), '5000', 'a new endpoint restarts the widget from its attributes');
  assert.deepEqual(problems, []);
});

test('a rate-limited proxy: the wait its Retry-After names is the one the user is told', async (t) => {
  const { page } = await openHtml(t, '');
  let limited = true;
  await page.route('**/exchange-api/get_directions', (route) => (limited
    ? route.fulfill({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '7' },
      body: JSON.stringify({ error: { kind: 'rate_limited', code: 0, message: 'Too many requests; try again later.', fields: {} } }),
    })
    : route.continue()));
  await page.evaluate(() => {
    const w = document.createElement('obmennik-widget');
    w.setAttribute('endpoint', '/exchange-api');
    document.body.append(w);
    const s = document.createElement('script');
    s.type = 'module';
    s.src = '/pkg/widget/obmennik-widget.js';
    document.head.append(s);
  });
  const banner = page.locator(`${W}.banner`);
  await banner.waitFor();
  assert.match(await banner.textContent(), /try again in 7\u00a0s\./, 'not "wait a minute" whatever the header says');
  const error = await page.evaluate(() => window.__events.find((e) => e.name === 'obmennik:error')?.detail);
  assert.deepEqual(error, { kind: 'rate_limited', code: 0, message: 'Too many requests; try again later.', method: 'get_directions' });
  await page.evaluate(() => document.querySelector('obmennik-widget').setAttribute('lang', 'ru'));
  await page.waitForSelector(`${W}.banner:has-text("через 7\u00a0с")`);
  await shot(page, 'rate-limited');
  limited = false;
  await page.click(`${W}[data-action="retry"]`);
  await page.waitForSelector(`${W}#amount-give:not([disabled])`);
});

test('a hostile page: global resets, its text styles, the script twice and a deferred define', async (t) => {
  const hostile = `<style>
    * { all: unset; } button { display: none !important; }
    body { text-align: center; text-transform: uppercase; letter-spacing: 4px; word-spacing: 20px; white-space: nowrap; text-indent: 40px; cursor: wait; }
  </style>
  <script>
    // A page (or a polyfill) that defers every define: the registry still has no widget when
    // the second copy of the script asks.
    const define = customElements.define.bind(customElements);
    customElements.define = (name, ctor, options) => setTimeout(() => define(name, ctor, options), 300);
  </script>`;
  const { page, problems } = await openHtml(t, `<div style="width:460px"><obmennik-widget id="w" endpoint="/exchange-api" give="BTC"></obmennik-widget></div>
    ${SCRIPT}<script type="module" src="/pkg/widget/obmennik-widget.js?copy=2"></script>`, { head: hostile });
  const W1 = '#w >> ';
  // Upgraded late, after an attribute changed on the plain element.
  await page.evaluate(() => document.getElementById('w').setAttribute('amount', '0.01'));
  await page.waitForSelector(`${W1}[data-action="continue"]:not([disabled])`);
  assert.equal(await amountOf(page, 'w'), '0.01');
  const inside = await page.evaluate(() => {
    const root = document.getElementById('w').shadowRoot;
    const label = getComputedStyle(root.querySelector('.box-label'));
    const facts = getComputedStyle(root.querySelector('.facts dd'));
    return {
      button: getComputedStyle(root.querySelector('[data-action="continue"]')).display,
      transform: label.textTransform,
      spacing: [label.letterSpacing, label.wordSpacing],
      indent: label.textIndent,
      align: label.textAlign,
      wrap: facts.whiteSpace,
    };
  });
  assert.deepEqual(inside, { button: 'inline-flex', transform: 'none', spacing: ['normal', '0px'], indent: '0px', align: 'start', wrap: 'normal' }, 'the page\'s text styles stay out');
  assert.deepEqual(problems, [], 'the second copy of the script does not define the element again');
  await shot(page, 'hostile-page');
});

test('theming: every documented custom property applies, over the dark theme', async (t) => {
  const vars = {
    '--obmennik-font': 'Georgia, serif', '--obmennik-mono': '"Courier New", monospace',
    '--obmennik-accent': 'rgb(1, 2, 3)', '--obmennik-accent-hover': 'rgb(4, 5, 6)', '--obmennik-accent-text': 'rgb(7, 8, 9)',
    '--obmennik-bg': 'rgb(10, 11, 12)', '--obmennik-surface': 'rgb(13, 14, 15)', '--obmennik-border': 'rgb(16, 17, 18)',
    '--obmennik-text': 'rgb(19, 20, 21)', '--obmennik-muted': 'rgb(22, 23, 24)', '--obmennik-danger': 'rgb(25, 26, 27)',
    '--obmennik-success': 'rgb(28, 29, 30)', '--obmennik-warning': 'rgb(31, 32, 33)', '--obmennik-radius': '3px',
    '--obmennik-shadow': 'rgb(34, 35, 36) 0px 0px 5px 0px', '--obmennik-focus': 'rgb(37, 38, 39) 0px 0px 0px 3px', '--obmennik-max-width': '400px',
  };
  const css = `obmennik-widget { ${Object.entries(vars).map(([k, v]) => `${k}: ${v};`).join(' ')} }
    obmennik-widget::part(button-primary) { text-transform: uppercase; }`;
  const { page } = await openHtml(t, `${SCRIPT}<obmennik-widget id="w" theme="dark" endpoint="/exchange-api" give="BTC"></obmennik-widget>`, { head: `<style>${css}</style>` });
  const W1 = '#w >> ';
  await page.waitForSelector(`${W1}#amount-give:not([disabled])`);
  await page.fill(`${W1}#amount-give`, '0.0001');
  await page.locator(`${W1}#amount-error`).waitFor();
  await page.fill(`${W1}#amount-give`, '0.01');
  await page.waitForSelector(`${W1}[data-action="continue"]:not([disabled])`);
  await page.focus(`${W1}#amount-give`);
  await page.keyboard.press('Tab'); // to the currency, by keyboard: :focus-visible
  await page.hover(`${W1}[data-action="continue"]`);
  await page.waitForTimeout(300); // the colour's transition
  const got = await page.evaluate(() => {
    const w = document.getElementById('w');
    const root = w.shadowRoot;
    const cs = (s) => getComputedStyle(root.querySelector(s));
    // Those shown only on later screens: an element of that screen's class, put in for a moment.
    const probe = (html, s, prop) => {
      const div = document.createElement('div');
      div.innerHTML = html;
      root.querySelector('.ow').append(div);
      const value = getComputedStyle(div.querySelector(s))[prop];
      div.remove();
      return value;
    };
    return {
      '--obmennik-font': cs('.root').fontFamily,
      '--obmennik-mono': probe('<div class="addr-text"><code>x</code></div>', 'code', 'fontFamily'),
      '--obmennik-accent': cs('.steps .now .dot').backgroundColor,
      '--obmennik-accent-hover': cs('.btn.primary').backgroundColor,
      '--obmennik-accent-text': cs('.btn.primary').color,
      '--obmennik-bg': cs('.ow').backgroundColor,
      '--obmennik-surface': cs('.box').backgroundColor,
      '--obmennik-border': cs('.ow').borderTopColor,
      '--obmennik-text': cs('.root').color,
      '--obmennik-muted': cs('.box-label').color,
      '--obmennik-danger': probe('<p class="err">x</p>', '.err', 'color'),
      '--obmennik-success': probe('<span class="badge" data-status="success">x</span>', '.badge', 'color'),
      '--obmennik-warning': probe('<div class="notice warn">x</div>', '.notice', 'backgroundColor'),
      '--obmennik-radius': cs('.ow').borderTopLeftRadius,
      '--obmennik-shadow': cs('.ow').boxShadow,
      '--obmennik-focus': getComputedStyle(root.activeElement).boxShadow,
      '--obmennik-max-width': `${w.getBoundingClientRect().width}px`,
      part: cs('.btn.primary').textTransform,
    };
  });
  const expected = { ...vars, '--obmennik-warning': 'color-mix(in srgb, rgb(31, 32, 33) 12%, transparent)', part: 'uppercase' };
  for (const [name, value] of Object.entries(got)) {
    if (name === '--obmennik-warning') assert.match(value, /^(color-mix\(|color\(srgb 0\.12\d* 0\.12\d* 0\.12\d* \/ 0\.12\)|rgba\(31, 32, 33, 0\.12\))/, `${name}: ${value}`);
    else assert.equal(value, expected[name], name);
  }
  await shot(page, 'themed-dark');
});

// ---- a hostile exchanger (or proxy): its answers rewritten on the way to the widget ----

/** Rewrites the proxy's `data` for `method` (the real answer goes through `edit`). */
async function tamper(page, method, edit) {
  await page.route(`**/exchange-api/${method}`, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    if (body.data) edit(body.data);
    await route.fulfill({ response: res, json: body });
  });
}

/** Requests to the attacker's hosts, and whether any payload ran. */
function watchAttacker(page) {
  const hits = [];
  page.on('request', (r) => {
    if (/evil\.test/.test(r.url())) hits.push(r.url());
  });
  page.on('popup', (p) => hits.push(`popup ${p.url()}`));
  return hits;
}

// Payloads an exchanger admin (or a proxy in the middle) could put in any text the widget shows
// as HTML. Each sets window.__pwned or fetches from evil.test if it gets anywhere.
const XSS = [
  '<svg><style><img src=x onerror="window.__pwned=1"></style></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=2">',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned=3>">',
  '<template><img src=x onerror="window.__pwned=4"></template>',
  '<a href="jav&#x09;ascript:window.__pwned=5">j1</a>',
  '<a href=" JaVaScRiPt:window.__pwned=6">j2</a>',
  '<a href="&#x6A;avascript&colon;window.__pwned=7">j3</a>',
  '<a href="data:text/html,<script>parent.__pwned=8</script>">d</a>',
  '<a href="https://ok.test/&#x22; onmouseover=window.__pwned=9 x=">q1</a>',
  `<a href='https://ok.test/" onfocus=window.__pwned=10 autofocus x='>q2</a>`,
  '<a href=https://ok.test/`onmouseover=window.__pwned=11>q3</a>',
  '<iframe srcdoc="<script>parent.__pwned=12</script>"></iframe>',
  '<svg><a xlink:href="javascript:window.__pwned=13"><text y=20>x</text></a></svg>',
  '<scr<script>ipt>window.__pwned=14</script>',
  '<!--><img src=x onerror=window.__pwned=15>-->',
  '<?xml ><img src=x onerror=window.__pwned=16>?>',
  '<object data="javascript:window.__pwned=17"></object><embed src="javascript:window.__pwned=18">',
  '<details open ontoggle="window.__pwned=19"><summary>s</summary></details>',
  '<input autofocus onfocus="window.__pwned=20"><select autofocus onfocus="window.__pwned=21"></select>',
  '<title><a href="</title><img src=x onerror=window.__pwned=22>">',
  '<textarea><img title="</textarea><img src=x onerror=window.__pwned=23>">',
  '<img src="https://evil.test/img"><image src="https://evil.test/image">',
  '<style>@import url(https://evil.test/a.css); *{background:url(https://evil.test/b)}</style>',
  '<b style="background:url(https://evil.test/c);position:fixed;inset:0;z-index:2147483647">overlay</b>',
  '<link rel=stylesheet href="https://evil.test/d.css"><base href="https://evil.test/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.test/refresh">',
  '<form action="https://evil.test/form" id="hijack"><input name="action"><button formaction="https://evil.test/f2">go</button></form>',
  '<img name="title" id="amount-give"><a id="continue" name="cookie" href="https://ok.test/">clobber</a>',
  '<p><div>block in a paragraph</div><ul><li>item</li></ul></p><li>stray item',
  '<a href="https://a.test/">outer <a href="https://b.test/">nested</a></a>',
  '&#x202E;evil.test&#x202C; &lt;img src=x onerror=window.__pwned=24&gt;',
];

test('a hostile exchanger: a corpus of XSS, CSS, form and clobbering payloads in every rich text runs nothing and loads nothing', async (t) => {
  const { page, problems } = await open(t);
  const hits = watchAttacker(page);
  await tamper(page, 'get_direction', (d) => {
    [d.com_give, d.com_get] = XSS.slice(-2);
    d.info = { timeline_text: XSS.at(-3), frozen_text: '', before_button_text: XSS.at(-4) };
    // One optional field per payload: its label and its tooltip carry it.
    const model = d.dir_fields[0] ?? d.get_fields[0];
    d.dir_fields.push(...XSS.map((payload, i) => ({ ...model, name: `x${i}`, type: 'text', req: false, options: [], label: `L${i} ${payload}`, tooltip: `${payload} T${i}` })));
  });
  await quoted(page, '0.01');
  await page.click(`${W}[data-action="continue"]`);
  await page.waitForSelector(`${W}#f-account2`);
  await page.click(`${W}.timeline summary`);
  // Whatever handler a link might carry, it is given its events.
  await page.evaluate(() => {
    for (const a of document.querySelector('obmennik-widget').shadowRoot.querySelectorAll('.rich *')) {
      for (const type of ['mouseover', 'focus', 'toggle']) a.dispatchEvent(new Event(type));
    }
  });
  await page.waitForTimeout(500);
  const report = await page.evaluate(() => {
    const root = document.querySelector('obmennik-widget').shadowRoot;
    const rich = [...root.querySelectorAll('.rich')];
    const allowed = new Set(['A', 'B', 'BR', 'CODE', 'DIV', 'EM', 'I', 'LI', 'OL', 'P', 'S', 'SMALL', 'SPAN', 'STRONG', 'SUB', 'SUP', 'U', 'UL']);
    return {
      tags: [...new Set(rich.flatMap((r) => [...r.querySelectorAll('*')].map((e) => e.tagName)))].filter((t) => !allowed.has(t)),
      attrs: [...new Set(rich.flatMap((r) => [...r.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => `${e.tagName} ${a.name}`))))]
        .filter((a) => !['A href', 'A target', 'A rel'].includes(a)),
      links: [...root.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.target, a.rel]),
      // Every field keeps its parts together: the server's block markup may not break out of
      // the element it was put in.
      fields: [...root.querySelectorAll('.field')].map((f) => [...f.children].map((c) => c.tagName + (c.id ? `#${c.id}` : '')).join(' ')),
      fees: [...root.querySelectorAll('.fee')].map((f) => f.textContent.includes('stray item')),
      stray: [...root.querySelectorAll('.body > *, .form > *')].filter((e) => !e.className && e.tagName !== 'FORM').map((e) => e.outerHTML.slice(0, 60)),
      forms: root.querySelectorAll('form').length,
      bidi: /[\u202A-\u202E\u2066-\u2069]/.test(root.innerHTML),
      pwned: window.__pwned,
      clobbered: typeof window.cookie,
    };
  });
  assert.equal(report.pwned, undefined, 'no payload ran');
  assert.deepEqual(hits, [], 'nothing was fetched from the attacker');
  assert.deepEqual(report.tags, []);
  assert.deepEqual(report.attrs, []);
  for (const [href, target, rel] of report.links) {
    assert.match(href, /^https:\/\//);
    assert.equal(target, '_blank');
    assert.equal(rel, 'noopener noreferrer');
  }
  for (const f of report.fields) assert.match(f, /^LABEL INPUT#f-\w+ (P|DIV)#f-\w+-tip$/, f);
  assert.deepEqual(report.stray, []);
  assert.equal(report.forms, 1, "only the widget's own form");
  assert.equal(report.bidi, false, 'no bidi override reaches the page');
  assert.equal(report.clobbered, 'undefined');
  assert.deepEqual(problems, []);
  await shot(page, 'hostile-corpus');
});

/** The rendered QR code, read back by jsQR (null when there is none). */
async function readQr(page) {
  const image = await page.evaluate(async () => {
    const svg = document.querySelector('obmennik-widget').shadowRoot.querySelector('.qr svg');
    if (!svg) return null;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const size = 330;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const g = canvas.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(img, 0, 0, size, size);
    return { size, pixels: Array.from(g.getImageData(0, 0, size, size).data) };
  });
  return image && jsQR(Uint8ClampedArray.from(image.pixels), image.size, image.size)?.data;
}

/** The payment screen of a bid whose create_bid / bid_info answers `edit` rewrites. */
async function tamperedBid(t, edit, { clipboard = true } = {}) {
  const { page, problems } = await open(t);
  if (clipboard) await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.url });
  for (const method of ['create_bid', 'bid_info']) await tamper(page, method, edit);
  await createBid(page, '.bidhead');
  return { page, problems };
}

/** Where each character of `selector`'s text is drawn: x grows along every line when the
 * text is shown in the order it is stored (and so copied). */
async function drawnInOrder(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector('obmennik-widget').shadowRoot.querySelector(sel);
    const node = el.firstChild;
    const range = document.createRange();
    const boxes = [];
    for (let i = 0; i < node.data.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (r.width > 0) boxes.push({ i, x: r.left, y: Math.round(r.top) });
    }
    return boxes.every((b, k) => k === 0 || b.y !== boxes[k - 1].y || b.x >= boxes[k - 1].x);
  }, selector);
}

test('payment details with hidden characters (bidi overrides, marks, zero-width) are refused, not shown, copied or put in a QR code', async (t) => {
  const variants = [
    ['address', (b) => { b.address = 'bc1qxy2kgdygjrsq\u202Etzq2n0yrf2493p83kkfjhx0wlh'; }],
    ['address', (b) => { b.address = '4276\u200F 0000 0000\u200B 0001'; }],
    ['tag', (b) => { b.dest_tag = '12\u2067345'; }],
    ['amount', (b) => { b.api_actions.pay_amount = '0.01\u061C5'; }],
  ];
  for (const [what, edit] of variants) {
    const { page, problems } = await tamperedBid(t, edit);
    const shown = await page.evaluate(() => {
      const root = document.querySelector('obmennik-widget').shadowRoot;
      return {
        address: !!root.querySelector('#pay-address'),
        amount: !!root.querySelector('#pay-amount'),
        qr: !!root.querySelector('.qr'),
        copy: root.querySelectorAll('[data-action="copy"]').length,
        alert: root.querySelector('.body [role="alert"]')?.textContent ?? '',
        hidden: /[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069]/.test(root.innerHTML),
      };
    });
    assert.deepEqual({ ...shown, alert: /hidden characters/i.test(shown.alert) }, { address: false, amount: false, qr: false, copy: 0, alert: true, hidden: false }, what);
    assert.deepEqual(problems, []);
    await shot(page, `hidden-${what}`);
  }
});

test('what the payment screen shows is what is copied and what the QR code holds, in the order it is stored', async (t) => {
  // Bank details with a right-to-left letter: the implicit bidi rules would draw the digit
  // groups in another order than the one copied.
  const address = 'IBAN ب 4276 0000 א 0001';
  const { page, problems } = await tamperedBid(t, (b) => {
    b.address = `  ${address} `;
    b.dest_tag = '1234 5678';
    b.api_actions.pay_amount = '1.5.0';
    // The order's page, the pay link: only http(s) is linked.
    b.url = 'mailto:pay@evil.test';
    b.api_actions.pay = 'javascript:window.__pwned=1';
  });
  const text = async (sel) => page.evaluate((s) => document.querySelector('obmennik-widget').shadowRoot.querySelector(s).innerText, sel);
  const copy = async (what) => {
    await page.click(`${W}#copy-${what}`);
    await page.waitForSelector(`${W}#copy-${what}.done`);
    return page.evaluate(() => navigator.clipboard.readText());
  };
  assert.equal(await text('#pay-address'), address);
  assert.equal(await copy('address'), address);
  assert.equal(await readQr(page), address);
  assert.ok(await drawnInOrder(page, '#pay-address'), 'the address is drawn in its stored order');
  assert.equal(await text('#pay-tag'), '1234 5678');
  assert.equal(await copy('tag'), '1234 5678');
  // Not a number: shown as sent, not read as "150" while "1.5.0" is copied.
  assert.match(await text('#pay-amount'), /^1\.5\.0 BTC$/);
  assert.equal(await copy('amount'), '1.5.0');
  assert.deepEqual(await page.evaluate(() => [...document.querySelector('obmennik-widget').shadowRoot.querySelectorAll('a')].map((a) => a.href)), []);
  assert.deepEqual(problems, []);
  await shot(page, 'payment-order');
});

test('without clipboard access, Copy selects the very text it was asked to copy', async (t) => {
  const { page } = await tamperedBid(t, () => {}, { clipboard: false });
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  for (const [what, sel] of [['amount', '#pay-sum'], ['address', '#pay-address']]) {
    await page.click(`${W}#copy-${what}`);
    const [selected, shown] = await page.evaluate((s) => [String(getSelection()), document.querySelector('obmennik-widget').shadowRoot.querySelector(s).textContent], sel);
    assert.equal(selected.trim(), shown.trim(), what);
    // Nothing was copied: the button never says "Copied", it says the text is selected.
    await page.waitForTimeout(200);
    assert.doesNotMatch(await page.textContent(`${W}#copy-${what}`), /Copied/, what);
    await page.waitForSelector(`${W}#copy-${what}.failed`);
    assert.match(await page.textContent(`${W}#copy-${what}`), /Selected/, what);
    assert.equal(await page.locator(`${W}#copy-${what}.done`).count(), 0, what);
  }
});

test('give and get that match no currency: the fallback is shown and the developer is told, once, in the console', async (t) => {
  // In Russian the titles are Russian: "Sberbank RUB" is no title, and two currencies end in
  // RUB (Сбербанк, Тинькофф), so it is ambiguous; "Tether USDT" ends in a code only one has.
  const { page, problems } = await openHtml(t, `${SCRIPT}<obmennik-widget id="w" endpoint="/exchange-api" lang="ru" give="Tether USDT" get="Sberbank RUB"></obmennik-widget>`);
  const warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.reload();
  await page.waitForSelector('#w >> #cur-give:has-text("Tether TRC20 USDT")');
  await page.waitForSelector('#w >> #amount-give:not([disabled])');
  const got = (await page.textContent('#w >> #cur-get')).trim();
  // Console messages reach this process a little after the page logs them.
  await page.waitForTimeout(300);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /^obmennik-widget: get="Sberbank RUB" /);
  assert.match(warnings[0], /Сбербанк RUB/);
  assert.match(warnings[0], /Тинькофф RUB/);
  assert.ok(warnings[0].includes(got), `the warning names what is shown instead (${got}): ${warnings[0]}`);
  // Set at run time to something unknown: still a currency for the user, and a warning with
  // the valid choices (ids, titles, codes).
  await page.evaluate(() => document.getElementById('w').setAttribute('give', 'Dogecoin'));
  await page.waitForTimeout(300);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[1], /^obmennik-widget: give="Dogecoin" matches no currency/);
  assert.match(warnings[1], /1 \(Bitcoin BTC, BTC\)/);
  assert.ok(await page.locator('#w >> #cur-give').textContent(), 'a currency is still chosen');
  assert.deepEqual(problems, []);
});

test('two widgets with one endpoint keep their own open orders apart (by their id)', async (t) => {
  const { page, problems } = await openHtml(t, `${SCRIPT}
    <obmennik-widget id="a" endpoint="/exchange-api" give="BTC" get="Sberbank RUB"></obmennik-widget>
    <obmennik-widget id="b" endpoint="/exchange-api" give="BTC" get="Sberbank RUB"></obmennik-widget>`);
  const bidIn = async (id) => {
    const P = `#${id} >> `;
    await quotedIn(page, P, '0.01');
    await page.click(`${P}[data-action="continue"]`);
    await page.fill(`${P}#f-account2`, CARD);
    await page.fill(`${P}#f-cf6`, 'ivan@example.com');
    await page.click(`${P}button[type="submit"]`);
    await page.waitForSelector(`${P}[data-action="paid"]`);
    return page.textContent(`${P}.bidhead b`);
  };
  const orderA = await bidIn('a');
  await bidIn('b');
  // B's order ends (cancelled): B forgets it, A keeps its own.
  await page.click('#b >> [data-action="cancel"]');
  await page.click('#b >> [data-action="cancel-yes"]');
  await page.waitForSelector('#b >> .final .badge[data-status="cancel"]');
  await page.reload();
  await page.waitForSelector('#a >> [data-action="paid"]');
  assert.equal(await page.textContent('#a >> .bidhead b'), orderA);
  await page.waitForSelector('#b >> #amount-give:not([disabled])');
  assert.deepEqual(problems, []);
});
