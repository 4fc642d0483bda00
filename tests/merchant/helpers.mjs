// Shared by the merchant suites: the built package, the api2 sandbox on 127.0.0.1, a fetch
// that records what the client sends, a local HTTP receiver, polling.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway } from '../../www-demo/sandbox/gateway.mjs';

export { receiver } from '../receiver.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
const PKG_ENTRY = join(HERE, '..', '..', 'pkg', 'node.mjs');
if (!existsSync(PKG_ENTRY)) throw new Error(`${PKG_ENTRY} is missing: build the package first (node scripts/build.mjs)`);
export const sdk = await import(PKG_ENTRY);

export const SHOP = { shopID: 522, apiKey: 'merchant-test-api-key-7f3a', secretKey: 'merchant-test-secret-c91e' };
export const IPN_SINK = 'http://127.0.0.1:9/ipn'; // nothing listens: IPNs to it just fail

/** A sandbox gateway whose callbacks carry the version field "127.0.0.1" (its host). */
export function gateway(options = {}) {
  return startGateway({
    tickMs: 30, callbackRetryMs: 20, callbackTimeoutMs: 1000, versionKey: '127.0.0.1',
    rateLimitPerSecond: 1000, shops: [SHOP], ...options,
  });
}

/** A fetch that records every request (method, URL, body) and then sends it for real. */
export function recordingFetch() {
  const calls = [];
  const fetchFn = async (request) => {
    calls.push({ method: request.method, url: request.url, body: await request.clone().text() });
    return fetch(request);
  };
  return { calls, fetch: fetchFn, paths: () => calls.map((c) => new URL(c.url).pathname.replace('/api2/', '')) };
}

/** A client of `gw` for the test shop that records what it sends. */
export function client(gw, options = {}) {
  const recorder = recordingFetch();
  const c = new sdk.MerchantClient({
    baseUrl: gw.url, shopId: SHOP.shopID, apiKey: SHOP.apiKey, secretKey: SHOP.secretKey,
    fetch: recorder.fetch, ...options,
  });
  return Object.assign(c, { recorder });
}

let counter = 0;
export const uniq = (tag = 'op') => `${tag}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export async function until(check, what, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Awaits `promise`, which must reject; returns the error. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return assert.fail('expected the call to reject');
}
