// What an attacker on the internet, or a framework, can hand the IPN verifier that the
// usual tests do not: bodies streamed without a Content-Length, bodies already read, times
// in the wrong unit, parsed bodies from Next.js. Each case runs on both entries (obmennik
// and obmennik/core) and, where the fast path could take it, on the full path too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as root from '../../pkg/node.mjs';
import * as core from '../../pkg/core/node.mjs';

const SECRET = 'hardening-secret-71c3';
const SENT = 1720206230;
const body = (() => {
  const raw = `{"mychanger.icu":"2.3","timeStamp":${SENT},"type":"payment","id":7,"status":3}`;
  return `${raw.slice(0, -1)},"sign":"${root.signJson(raw, SECRET)}"}`;
})();

/** A POST whose body is a stream of `total` bytes in 64 KiB chunks, with no Content-Length
 * (what a chunked upload looks like); `pulled()` says how many bytes were read from it. */
function streamedRequest(total) {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const request = new Request('http://127.0.0.1/ipn', { method: 'POST', body: stream, duplex: 'half' });
  return { request, pulled: () => pulled };
}

for (const [entry, api] of [['obmennik', root], ['obmennik/core', core]]) {
  test(`${entry}: verifyCallbackRequest stops reading a body without Content-Length at maxBytes`, async () => {
    const { request, pulled } = streamedRequest(100 * 1024 * 1024);
    assert.equal(request.headers.get('content-length'), null);
    await assert.rejects(api.verifyCallbackRequest(request, SECRET), (err) => {
      assert.ok(err instanceof root.CallbackError, String(err));
      assert.equal(err.code, 'body_too_large');
      assert.equal(err.message, 'callback body is over the 65536 byte limit; reading stopped there');
      return true;
    });
    // One chunk past the limit at most, not 100 MiB.
    assert.ok(pulled() <= 65536 + 2 * 64 * 1024, `read ${pulled()} bytes`);
    const small = streamedRequest(1024);
    await assert.rejects(api.verifyCallbackRequest(small.request, SECRET, { maxBytes: 100 }), (e) => e.code === 'body_too_large');
    // A streamed body within the limit is verified as one read at once.
    const parts = new TextEncoder().encode(body);
    const split = new ReadableStream({
      start(controller) {
        for (let i = 0; i < parts.length; i += 7) controller.enqueue(parts.slice(i, i + 7));
        controller.close();
      },
    });
    const cb = await api.verifyCallbackRequest(new Request('http://127.0.0.1/ipn', { method: 'POST', body: split, duplex: 'half' }), SECRET);
    assert.deepEqual(cb, api.verifyCallback(body, [SECRET]));
  });

  test(`${entry}: verifyCallbackRequest on a body already read says so and how to fix it`, async () => {
    const request = new Request('http://127.0.0.1/ipn', { method: 'POST', body });
    await request.text();
    await assert.rejects(api.verifyCallbackRequest(request, SECRET), (err) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /already read/);
      assert.match(err.message, /request\.clone\(\)/);
      return true;
    });
  });

  test(`${entry}: receivedAt in milliseconds is refused with the fix, on the fast and the full path`, () => {
    const message = `options.receivedAt is Unix time in seconds, but ${SENT}000 looks like milliseconds (Date.now()): pass Date.now() / 1000`;
    for (const secret of [SECRET, [SECRET]]) {
      assert.throws(() => api.verifyCallback(body, secret, { tolerance: 300, receivedAt: SENT * 1000 }),
        (e) => e instanceof TypeError && e.message === message, JSON.stringify(secret));
    }
    // Seconds, even far in the future, are still seconds.
    assert.equal(api.verifyCallback(body, SECRET, { tolerance: 300, receivedAt: SENT + 10 }).id, 7);
    assert.throws(() => api.verifyCallback(body, SECRET, { tolerance: 300, receivedAt: 99_999_999_999 }), (e) => e.code === 'timestamp_outside_tolerance');
  });

  test(`${entry}: a parsed body names the Express and the Next.js fix`, () => {
    assert.throws(() => api.verifyCallback(JSON.parse(body), SECRET), (err) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /express\.raw\(\{ type: '\*\/\*' \}\)/);
      assert.match(err.message, /Next\.js/);
      assert.match(err.message, /bodyParser: false/);
      assert.match(err.message, /request\.text\(\)/);
      return true;
    });
  });
}
