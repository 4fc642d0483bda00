#!/usr/bin/env node
// Sandbox of the "Premium Exchanger" user API v1 (server version 2.7), for the demo site, the
// exchange widget and the SDK's tests. Plain Node 20, no dependencies.
//
//   import { startExchanger } from './www-demo/sandbox/exchanger.mjs';
//   const ex = await startExchanger({ port: 0 });   // ex.url → 'http://127.0.0.1:PORT/api/userapi/v1/'
//
//   node www-demo/sandbox/exchanger.mjs --port 8081 [--host 127.0.0.1] [--hostile] [--tick-ms 1000]
//
// Wire behaviour (envelopes, error codes, quirks) is documented at the top of exchanger/api.mjs.
// The control endpoints under /__sandbox/ are unauthenticated: bind the sandbox to localhost.

import http from 'node:http';
import { readFile, realpath } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Store, PAYABLE } from './exchanger/state.mjs';
import { createApi, METHODS } from './exchanger/api.mjs';
import { DEFAULT_LOCALE, LOCALES } from './exchanger/catalog.mjs';
import { readBody, formParams, phpJson, htmlPage, bidPage, payPage, escapeHtml } from './exchanger/http.mjs';

export const DEMO_LOGIN = 'demo';
export const DEMO_KEY = 'demo-key';

const FAULT_MODES = new Set(['drop-after-commit', 'cut-after-commit', 'http500', 'slow', 'empty', 'non-json']);
// WordPress answers with its default content type; the module sets no JSON header.
const API_CONTENT_TYPE = 'text/html; charset=UTF-8';
// What a PHP notice printed before the JSON looks like ("non-json" fault).
const PHP_NOTICE = '<br />\n<b>Warning</b>:  Undefined array key "cd" in <b>/var/www/html/wp-content/plugins/premiumbox/moduls/userapi/api.php</b> on line <b>412</b><br />\n';
const LOGOS_DIR = new URL('./logos/', import.meta.url);

function normalizeKeys(keys) {
  const list = keys ?? [{ login: DEMO_LOGIN, key: DEMO_KEY }];
  return list.map((k) => {
    if (!k || typeof k.login !== 'string' || !k.login || typeof k.key !== 'string' || !k.key) {
      throw new TypeError('startExchanger: every key needs a non-empty string `login` and `key`');
    }
    const userId = k.userId ?? 1;
    return {
      login: k.login,
      key: k.key,
      methods: new Set(k.methods === undefined || k.methods === 'all' ? METHODS : k.methods),
      ips: k.ips === undefined || k.ips === 'any' ? 'any' : k.ips.map(String),
      userId,
      // null: the exchanger has no partner programme for this key's user.
      partnerId: k.partnerId === undefined ? userId : k.partnerId,
    };
  });
}

/** Reads `{...}` from a control request, JSON or form-encoded. */
function controlBody(req, body) {
  if (!body?.length) return {};
  if (String(req.headers['content-type'] ?? '').includes('json')) {
    try {
      const v = JSON.parse(body.toString('utf8'));
      return v && typeof v === 'object' ? v : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

const truthy = (v) => v === true || v === 1 || v === '1' || v === 'true' || v === 'on';

/**
 * Starts the sandbox. Options: host ('127.0.0.1'), port (0 = any free), keys (default: one
 * 'demo'/'demo-key' key, all methods, any IP), tickMs (1000; 0 = every API call is a tick),
 * hostile (false; adds direction 13 whose admin texts carry script payloads).
 */
export async function startExchanger({ host = '127.0.0.1', port = 0, keys, tickMs = 1000, hostile = false } = {}) {
  const store = new Store({ hostile });
  const handle = createApi(store, normalizeKeys(keys));
  const faults = [];
  const sleeping = new Map(); // timer → resolve, so close() can end pending "slow" answers
  let closed = false;

  const sleep = (ms) => new Promise((resolve) => {
    const timer = setTimeout(() => { sleeping.delete(timer); resolve(); }, ms);
    sleeping.set(timer, resolve);
  });

  /** Consumes one planned fault matching `method`, if any. */
  function takeFault(method) {
    const i = faults.findIndex((f) => !f.method || f.method === method);
    if (i < 0) return null;
    const f = faults[i];
    if (--f.remaining <= 0) faults.splice(i, 1);
    return f;
  }

  function failNext({ method, mode, count = 1, delayMs = 2000 } = {}) {
    if (!FAULT_MODES.has(mode)) throw new TypeError(`failNext: mode must be one of ${[...FAULT_MODES].join(', ')}`);
    if (method !== undefined && method !== null && method !== '' && typeof method !== 'string') {
      throw new TypeError('failNext: method must be a string');
    }
    const n = Math.trunc(Number(count));
    const delay = Math.trunc(Number(delayMs));
    if (!(n >= 1 && n <= 1000)) throw new TypeError('failNext: count must be 1..1000');
    if (!(delay >= 0 && delay <= 120_000)) throw new TypeError('failNext: delayMs must be 0..120000');
    if (faults.length >= 100) throw new RangeError('failNext: too many planned faults');
    faults.push({ method: method || null, mode, remaining: n, delayMs: delay });
  }

  /** Forces a status (fires the callback); resolves with the bid after the callback attempt. */
  async function setBidStatus(id, status) {
    if (typeof status !== 'string' || !/^[a-z_]{1,32}$/.test(status)) throw new TypeError('setBidStatus: invalid status');
    const bid = store.bids.get(Number(id));
    if (!bid) throw new RangeError(`setBidStatus: no bid ${id}`);
    await store.setStatus(bid, status);
    return structuredClone(bid);
  }

  const send = (res, code, type, body, headers = {}) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const sendJson = (res, code, value) => send(res, code, 'application/json; charset=utf-8', JSON.stringify(value));
  const sendPage = (res, code, html) => send(res, code, 'text/html; charset=utf-8', html, {
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  });

  /** Absolute URLs in answers follow the Host the client used (validated; else our own). */
  function requestOrigin(req) {
    const h = String(req.headers.host ?? '');
    return /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(h) ? `http://${h}` : ex.origin;
  }

  async function apiCall(req, res, method) {
    const body = await readBody(req);
    const fault = takeFault(method);
    if (fault?.mode === 'http500') {
      return send(res, 500, 'text/html; charset=UTF-8', '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>');
    }
    if (fault?.mode === 'empty') return send(res, 200, API_CONTENT_TYPE, '');
    if (tickMs === 0) store.tick();
    const envelope = await handle({
      method,
      params: formParams(req, body),
      headers: req.headers,
      ip: String(req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
      origin: requestOrigin(req),
    });
    // The call has taken effect; now the answer is lost, delayed or spoiled as planned.
    if (fault?.mode === 'drop-after-commit') return req.socket.destroy();
    if (fault?.mode === 'slow') await sleep(fault.delayMs);
    const text = envelope ? phpJson(envelope) : '';
    // Half the answer, with no length: the connection's end is the body's, so the client
    // cannot tell the cut from a transport error, only from the JSON.
    if (fault?.mode === 'cut-after-commit') {
      return req.socket.end(`HTTP/1.1 200 OK\r\nContent-Type: ${API_CONTENT_TYPE}\r\nConnection: close\r\n\r\n${text.slice(0, text.length >> 1)}`);
    }
    send(res, 200, API_CONTENT_TYPE, fault?.mode === 'non-json' ? PHP_NOTICE + text : text);
  }

  async function control(req, res, action) {
    const body = await readBody(req);
    const input = controlBody(req, body);
    const get = req.method === 'GET';
    try {
      if (get && action === 'bids') return sendJson(res, 200, store.snapshotBids());
      if (get && action === 'callbacks') return sendJson(res, 200, store.snapshotCallbacks());
      if (!get && action === 'maintenance') {
        store.maintenance = truthy(input.on);
        return sendJson(res, 200, { ok: true, maintenance: store.maintenance });
      }
      if (!get && action === 'fail') {
        failNext({ method: input.method, mode: input.mode, count: input.count ?? 1, delayMs: input.delayMs ?? 2000 });
        return sendJson(res, 200, { ok: true });
      }
      if (!get && action === 'status') return sendJson(res, 200, { ok: true, bid: await setBidStatus(input.id, input.status) });
    } catch (err) {
      return sendJson(res, err instanceof RangeError ? 404 : 400, { ok: false, error: err.message });
    }
    const pay = /^pay\/([0-9a-f]{32})$/.exec(action);
    const bid = pay && store.byHash.get(pay[1]);
    if (bid) {
      const dir = store.directions.get(bid.directionId);
      const loc = localeOf(req);
      if (!get && PAYABLE.has(bid.status)) await store.setStatus(bid, 'payed');
      if (!get) return send(res, 303, 'text/plain; charset=utf-8', '', { Location: `/hst_${bid.hash}/` });
      return sendPage(res, 200, payPage(bid, dir, loc));
    }
    return sendJson(res, 404, { ok: false, error: 'unknown sandbox control' });
  }

  const localeOf = (req) => {
    const lang = new URL(req.url, 'http://x').searchParams.get('lang');
    return LOCALES.includes(lang) ? lang : DEFAULT_LOCALE;
  };

  async function route(req, res) {
    const path = new URL(req.url, 'http://x').pathname;
    let m;
    if ((m = /^\/api\/userapi\/v1\/([^/]*)\/?$/.exec(path))) return apiCall(req, res, m[1]);
    if ((m = /^\/__sandbox\/(.+?)\/?$/.exec(path))) return control(req, res, m[1]);
    if ((m = /^\/logos\/([a-z0-9-]+)\.svg$/.exec(path))) {
      try {
        const svg = await readFile(new URL(`${m[1]}.svg`, LOGOS_DIR));
        res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=3600' });
        return res.end(svg);
      } catch {
        return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      }
    }
    if ((m = /^\/hst_([0-9a-f]{32})\/?$/.exec(path)) && store.byHash.has(m[1])) {
      const bid = store.byHash.get(m[1]);
      return sendPage(res, 200, bidPage(bid, store.directions.get(bid.directionId), localeOf(req)));
    }
    if ((m = /^\/exchange_([A-Za-z0-9]+_to_[A-Za-z0-9]+)\/?$/.exec(path))) {
      const dir = [...store.directions.values()].find((d) => d.name === m[1]);
      if (dir) return sendPage(res, 200, htmlPage(dir.name, `<h1>${escapeHtml(dir.name.replace('_to_', ' → '))}</h1>`
        + `<p>${escapeHtml(`${dir.courseGive} ${dir.giveCur.code} = ${dir.courseGet} ${dir.getCur.code}`)}</p>`));
    }
    if (path === '/tos/' || path === '/tos') {
      return sendPage(res, 200, htmlPage('Rules', '<h1>Exchange rules (sandbox)</h1><p>Nothing here is real money.</p>'));
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch(() => {
      if (res.headersSent) res.destroy(); else send(res, 500, 'text/plain; charset=utf-8', 'sandbox error');
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const { port: boundPort } = server.address();
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const ticker = tickMs > 0 ? setInterval(() => store.tick(), tickMs) : null;

  const ex = {
    origin: `http://${shownHost}:${boundPort}`,
    url: `http://${shownHost}:${boundPort}/api/userapi/v1/`,
    setMaintenance: (on) => { store.maintenance = Boolean(on); },
    failNext,
    bids: () => store.snapshotBids(),
    callbacks: () => store.snapshotCallbacks(),
    setBidStatus,
    /** Stops timers, pending answers, callbacks in flight and the server. */
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ticker);
      for (const [timer, resolve] of sleeping) { clearTimeout(timer); resolve(); }
      sleeping.clear();
      store.abortCallbacks();
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return ex;
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8081' },
      host: { type: 'string', default: '127.0.0.1' },
      hostile: { type: 'boolean', default: false },
      'tick-ms': { type: 'string', default: '1000' },
    },
  });
  const ex = await startExchanger({
    host: values.host,
    port: Number(values.port),
    hostile: values.hostile,
    tickMs: Number(values['tick-ms']),
  });
  // The demo credentials are public sandbox values, printed so the demo can be tried at once.
  console.log(`Exchanger sandbox (user API v1): ${ex.url}`);
  console.log(`  API-LOGIN: ${DEMO_LOGIN}`);
  console.log(`  API-KEY:   ${DEMO_KEY}`);
  console.log(`  controls:  ${ex.origin}/__sandbox/bids${values.hostile ? '  (hostile direction 13 enabled)' : ''}`);
  const stop = () => ex.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1] ? await realpath(process.argv[1]).catch(() => null) : null;
if (entry && import.meta.url === pathToFileURL(entry).href) await main();
