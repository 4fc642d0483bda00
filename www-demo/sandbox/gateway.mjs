#!/usr/bin/env node
// Sandbox of the merchant gateway "api2" (seed 002, WIRE.md part B), for the SDK's tests
// and the browser demo. Plain Node 20, no dependencies.
//
//   import { startGateway } from './www-demo/sandbox/gateway.mjs';
//   const gw = await startGateway({ port: 0, tickMs: 50 });
//   gw.url  // http://127.0.0.1:PORT/api2/
//   node www-demo/sandbox/gateway.mjs --port 8082     (prints the URL and the demo shop)
//
// Options (all optional):
//   host '127.0.0.1', port 0 (ephemeral)
//   versionKey 'mychanger.icu', version '2.3'   the IPN version field
//   shops [{ shopID: 522, apiKey, secretKey, balances: { RUB: 314021, ... } (per currency),
//           dailyLimit: { [currID]: 6000000 }, statusURL (the cabinet's default IPN URL),
//           currIDs: [...] (directions enabled; default all), canWithdraw: true
//           (false -> withdraw answers invalid_hash), noCards: [currID] (-> no_cards) }]
//   amountLimits { [currID]: { min, max } }     default 100..500000 for every currID
//   rateLimitPerSecond 50                       per shop, over all signed endpoints
//   tickMs 200                                  time between two automatic status steps
//   callbackRetryMs 200, callbackMaxAttempts 5, callbackTimeoutMs 2000   IPN delivery
//
// How operations move (one step per tickMs; choose the outcome by the amount):
//   payment   0 Pending -> 3 Approved (credits the balance)
//             444 -> 4 Expired;  445 -> 4 Expired -> 3 Approved (a late payment);  555 -> 5 Canceled
//   withdraw  0 -> 3 Approved (the amount is held from creation on)
//             444 -> 4 Expired;  555 -> 5 Canceled (both give the amount back)
//   acquire   0 Created -> 2 Requisites received -> 4 Waiting for code
//             333 -> 3 Requisites error;  555 -> 10 Cancelled
//             acquire/confirm (any 4-6 digit code) -> 7 Code received -> 9 Code accepted -> 11 Completed
//             code "000000" -> 7 -> 8 Wrong code (acquire/resend then goes back to 4)
//   dispute   1 Waiting -> 6 Correcting -> 3 Approved (the operation becomes approved for the
//             disputed amount);  dispute amount 555 -> 1 -> 6 -> 5 Canceled
//   amount 777 on any of them: never moves on its own; drive it with gw.setStatus().
// Every status change (and a new dispute) sends a signed IPN: to the operation's statusURL;
// for a dispute to disputeURL, else the shop's configured statusURL, else nowhere.
//
// Where the seed is silent, the sandbox chooses (see gateway/*.mjs for the details):
//   - directions take payment / withdraw / acquire as their row in the seed's table says
//     ("вход" deposits only, "выплаты"/"вывод" payouts only, E-COM acquire only);
//   - `status` also finds an operation by `uniqID` when no `id` is given;
//   - e-com operations report type "payment", as the seed's acquire/confirm example does;
//   - acquire/confirm and acquire/resend on an operation not waiting for a code: param_wrong;
//     withdraw/check before the payout is approved: id_wrong.
//
// Inspection and fault injection, in JS and over HTTP (JSON) for other processes:
//   gw.failNext({ path: 'payment', mode, count: 1, delayMs, commit, code, info })   POST /__sandbox/fail
//     mode 'drop-after-commit': do the request, then cut the socket without an answer
//          'http500' / 'non-json': answer 500 / 200 with an HTML page; the request is not
//              carried out unless commit: true
//          'slow': wait delayMs (default 1000), then carry it out and answer
//          'error': answer {"error": code, "info": info} without carrying it out; `code` must
//              be in the seed's error table (ERROR_CODES), for the errors whose causes the
//              sandbox cannot model (no_attach_acc, general_decline, low_bal02, ...)
//     path: an api2 endpoint name ('payment', 'withdraw/check', ...); omitted: any endpoint
//   gw.operations()  snapshot of payments, withdraws, acquires, disputes  GET /__sandbox/operations
//   gw.callbacks()   IPN attempts { url, body, status, attempt, response, error? }  GET /__sandbox/callbacks
//   gw.setStatus(id, status)  force a status, stop automatic moves, send the IPN  POST /__sandbox/status {id, status}
//   gw.close()       stops timers, IPN retries and the server
// The payment `page` link serves a small HTML page with the requisites (GET /pay/<id>).
// CORS is open on every route, so a page from another origin can drive the sandbox.

import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePhpJson, parsePhpQuery, phpJsonEncode, phpPostType } from './php-sign.mjs';
import { DEFAULT_SHOP, ENDPOINT_NAMES, ERROR_CODES, GatewayApi } from './gateway/api.mjs';

const FAULT_MODES = new Set(['drop-after-commit', 'http500', 'non-json', 'slow', 'error']);
const MAX_BODY = 1 << 20; // past this PHP would see no data, as with post_max_size

const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  versionKey: 'mychanger.icu',
  version: '2.3',
  rateLimitPerSecond: 50,
  tickMs: 200,
  callbackRetryMs: 200,
  callbackMaxAttempts: 5,
  callbackTimeoutMs: 2000,
};

export async function startGateway(options = {}) {
  const gateway = new Gateway({ ...DEFAULTS, ...options });
  await gateway.listen();
  return gateway;
}

class Gateway {
  constructor(options) {
    this.options = options;
    this.api = new GatewayApi(options);
    this.faults = [];
    this.delays = new Set();
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((err) => {
        // A sandbox bug: answer like a crashed PHP would, without leaking request data.
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `sandbox error: ${err.message}`);
      });
    });
  }

  async listen() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, resolve);
    });
    const { address, port } = this.server.address();
    this.origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    this.url = `${this.origin}/api2/`;
    this.api.origin = this.origin;
  }

  failNext({ path, mode, count = 1, delayMs = 1000, commit = false, code, info = '' } = {}) {
    if (!FAULT_MODES.has(mode)) throw new Error(`mode must be one of ${[...FAULT_MODES].join(', ')}`);
    if (mode === 'error' && !ERROR_CODES.has(code)) throw new Error(`code must be one of the seed's error codes: ${[...ERROR_CODES].join(', ')}`);
    const endpoint = path === undefined || path === null ? null : String(path).replace(/^\/*(api2\/)?|\/+$/g, '');
    if (endpoint !== null && !ENDPOINT_NAMES.has(endpoint)) throw new Error(`unknown api2 endpoint "${path}"`);
    if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new Error('delayMs must be a number of milliseconds');
    this.faults.push({ endpoint, mode, count, delayMs, commit: Boolean(commit), code, info: String(info) });
  }

  operations() {
    return this.api.snapshots();
  }

  callbacks() {
    return this.api.ipn.log.map((entry) => ({ ...entry }));
  }

  setStatus(id, status) {
    return this.api.forceStatus(id, status);
  }

  async close() {
    for (const timer of this.delays) clearTimeout(timer);
    this.delays.clear();
    await this.api.close();
    await new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  takeFault(endpoint) {
    const fault = this.faults.find((f) => f.endpoint === null || f.endpoint === endpoint);
    if (fault && --fault.count === 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.add(timer);
    });
  }

  async serve(req, res) {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '');
    const url = new URL(req.url, this.origin);
    const body = await readBody(req);
    if (url.pathname.startsWith('/__sandbox/')) return this.control(req, res, url, body);
    const api = /^\/api2\/(.+?)\/*$/.exec(url.pathname);
    if (api && ENDPOINT_NAMES.has(api[1])) return this.apiCall(req, res, api[1], decodeRequest(req, url, body));
    const page = /^\/pay\/(\d+)$/.exec(url.pathname);
    if (page) return this.paymentPage(res, page[1], url.searchParams);
    return send(res, 404, 'text/html; charset=utf-8', '<html><body><h1>404 Not Found</h1></body></html>');
  }

  async apiCall(req, res, endpoint, data) {
    const fault = this.takeFault(endpoint);
    if (fault?.mode === 'slow') await this.sleep(fault.delayMs);
    if (fault?.mode === 'error') return send(res, 200, 'application/json', phpJsonEncode({ error: fault.code, info: fault.info }));
    const broken = fault?.mode === 'http500' || fault?.mode === 'non-json';
    const answer = broken && !fault.commit ? undefined : phpJsonEncode(this.api.handle(endpoint, data));
    if (fault?.mode === 'drop-after-commit') return req.socket.destroy();
    if (fault?.mode === 'http500') {
      return send(res, 500, 'text/html; charset=utf-8', '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>');
    }
    if (fault?.mode === 'non-json') {
      return send(res, 200, 'text/html; charset=utf-8', '<html><body>Технические работы. Попробуйте позже.</body></html>');
    }
    return send(res, 200, 'application/json', answer);
  }

  control(req, res, url, body) {
    const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    const reply = (status, value) => send(res, status, 'application/json', JSON.stringify(value));
    try {
      switch (route) {
        case 'GET /__sandbox/operations':
          return reply(200, this.operations());
        case 'GET /__sandbox/callbacks':
          return reply(200, this.callbacks());
        case 'POST /__sandbox/fail':
          this.failNext(JSON.parse(body.toString('utf8') || '{}'));
          return reply(200, { result: 'ok' });
        case 'POST /__sandbox/status': {
          const { id, status } = JSON.parse(body.toString('utf8') || '{}');
          return reply(200, { result: this.setStatus(id, status) });
        }
        default:
          return reply(404, { error: `no control route ${route}` });
      }
    } catch (err) {
      return reply(400, { error: err.message });
    }
  }

  paymentPage(res, id, params) {
    const op = this.api.lookupPage(id, params.get('secret'));
    if (!op) return send(res, 404, 'text/html; charset=utf-8', '<html><body><h1>404 Not Found</h1></body></html>');
    const snapshot = this.api.snapshot(op);
    const html = `<!doctype html><html lang="ru"><meta charset="utf-8"><title>Оплата ${snapshot.id}</title>
<body><h1>Заявка ${snapshot.id}</h1>
<p>Переведите <b>${escapeHtml(snapshot.amount)} ${escapeHtml(snapshot.curr)}</b> на <b>${escapeHtml(snapshot.number)}</b>.</p>
<p>Статус: ${snapshot.status} ${escapeHtml(snapshot.statusText)}</p></body></html>`;
    return send(res, 200, 'text/html; charset=utf-8', html);
  }
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  }
  return size <= MAX_BODY ? Buffer.concat(chunks) : Buffer.alloc(0);
}

// What the PHP side reads: a JSON body (any content type) if it decodes; else the
// urlencoded body ($_POST); else the query string ($_GET). A JSON body that decodes to
// anything but a non-empty object, or any other body, is no data (data_wrong).
function decodeRequest(req, url, body) {
  if (body.length > 0) {
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return undefined; // invalid UTF-8: json_decode fails, and it is no form either
    }
    try {
      return parsePhpJson(text);
    } catch {
      const form = phpPostType(req.headers['content-type']) === 'application/x-www-form-urlencoded';
      return form ? parsePhpQuery(text) : undefined;
    }
  }
  return parsePhpQuery(url.search.slice(1));
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8082' },
      'tick-ms': { type: 'string', default: String(DEFAULTS.tickMs) },
    },
  });
  const gw = await startGateway({ host: values.host, port: Number(values.port), tickMs: Number(values['tick-ms']) });
  // The demo shop's keys are public sandbox values, printed so a developer can sign with them.
  console.log(`api2 sandbox: ${gw.url}
control:      ${gw.origin}/__sandbox/ (POST fail, GET operations, GET callbacks, POST status)
demo shop:    shopID ${DEFAULT_SHOP.shopID}, apiKey ${DEFAULT_SHOP.apiKey}, secretKey ${DEFAULT_SHOP.secretKey}`);
  const stop = () => gw.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
