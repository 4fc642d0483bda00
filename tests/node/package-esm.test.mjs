// The built package as a Node ESM user imports it: signing and callback verification through
// the wasm boundary, typed errors, and no secret in anything thrown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import init, {
  sign, signingString, signJson, verifyCallback, verifyCallbackRequest,
  CallbackError, ValidationError, ObmennikError,
} from '../../pkg/node.mjs';

const SECRET = 'test-secret-9f2c';

function signedBody(fields, secret = SECRET) {
  const raw = JSON.stringify(fields);
  return `${raw.slice(0, -1)},"sign":"${signJson(raw, secret)}"}`;
}

const payment = {
  'mychanger.icu': '2.3', timeStamp: 1720206230, shopID: 522, type: 'payment', id: 1033039,
  currID: 39, curr: 'RUB', amount: '153.00', label: '212112', memo: '', status: 3,
  statusText: 'Approved', info: '',
};

test('init is a no-op in Node and the ESM entry shares the CommonJS instance', async () => {
  await init();
  const cjs = createRequire(import.meta.url)('../../pkg');
  assert.equal(cjs.sign, sign);
  assert.equal(cjs.CallbackError, CallbackError);
});

test('the seed test vector', () => {
  assert.equal(signingString({ param1: 1, param2: 2 }, 'KKKeeey'), '1:2:KKKeeey');
  assert.equal(sign({ param2: 2, param1: 1 }, 'KKKeeey'), '5c69e53c91bfd96cfc3e61604558107a314060ef');
  assert.equal(signJson('{"param2":"2","param1":"1"}', 'KKKeeey'), '5c69e53c91bfd96cfc3e61604558107a314060ef');
});

test('PHP value rules: byte-wise keys, booleans, null, nested, undefined, sign, bigint', () => {
  const params = {
    b: true, a: false, 10: 'ten', 2: 'two', n: null, nested: { x: 1 }, list: [1, 2],
    gone: undefined, sign: 'ignored', big: 12345678901234567890n, small: 42n, f: 0.1 + 0.2,
  };
  // JS lists "2" before "10"; PHP's SORT_STRING puts "10" first.
  assert.equal(
    signingString(params, 'k'),
    'ten:two::1:12345678901234567890:0.3:Array::Array:42:k',
  );
});

test('floats follow PHP precision 14 in signJson', () => {
  assert.equal(signingString({ a: 1e21 }, 'k'), '1.0E+21:k');
  assert.equal(
    signJson('{"a":1e15,"b":0.00001,"c":-0.0,"d":1.0,"e":9223372036854775808}', 'k'),
    sign({ a: '1.0E+15', b: '1.0E-5', c: '-0', d: '1', e: '9.2233720368548E+18' }, 'k'),
  );
});

test('bad input gets a ValidationError naming each field and rule', () => {
  assert.throws(
    () => sign({ a: NaN, b: { c: () => 1 }, d: new Map([[1, 2]]), e: 'ok' }, 'k'),
    (err) => {
      assert.ok(err instanceof ValidationError && err instanceof ObmennikError);
      assert.deepEqual(err.issues.map((i) => i.field), ['a', 'b.c', 'd']);
      assert.match(err.message, /a: must be a finite number/);
      return true;
    },
  );
  // A Date is sent as JSON.stringify sends it (toJSON), so it signs as that string.
  assert.equal(signingString({ d: new Date(0) }, 'k'), '1970-01-01T00:00:00.000Z:k');
  assert.throws(() => sign({ a: 1 }, ''), (err) => err instanceof ValidationError && /key: must not be empty/.test(err.message));
  assert.throws(() => sign([1], 'k'), (err) => err instanceof ValidationError && /params: must be a plain object/.test(err.message));
  assert.throws(() => sign({ a: 1 }, 5), TypeError);
  assert.throws(() => signJson('[1]', 'k'), (err) => err instanceof ValidationError && /rawJson/.test(err.message));
  assert.throws(() => sign({ s: 'bad \ud800 surrogate' }, 'k'), ValidationError);
});

test('verifyCallback accepts a signed callback from a string, a Buffer and a Uint8Array', () => {
  const body = signedBody(payment);
  for (const raw of [body, Buffer.from(body), new TextEncoder().encode(body)]) {
    const cb = verifyCallback(raw, SECRET);
    assert.equal(cb.type, 'payment');
    assert.equal(cb.amount, '153.00');
    assert.equal(cb.id, 1033039);
    assert.equal(cb['mychanger.icu'], '2.3');
  }
});

test('verifyCallback rotates secrets and keeps big integers exact', () => {
  const body = signedBody({ ...payment, id: 9007199254740993 }, 'new-secret');
  // JSON.stringify rounded the literal; build the raw text by hand to keep every digit.
  const raw = body.replace('9007199254740992', '9007199254740993');
  const resigned = `${raw.slice(0, raw.indexOf(',"sign"'))},"sign":"${signJson(raw.slice(0, raw.indexOf(',"sign"')) + '}', 'new-secret')}"}`;
  const cb = verifyCallback(resigned, ['old-secret', 'new-secret']);
  assert.equal(cb.id, 9007199254740993n);
  assert.throws(() => verifyCallback(resigned, ['old-secret']), (e) => e.code === 'sign_mismatch');
});

test('verifyCallback rejects every kind of bad callback with its code', () => {
  const good = signedBody(payment);
  const code = (raw, opts) => {
    try {
      verifyCallback(raw, SECRET, opts);
    } catch (err) {
      assert.ok(err instanceof CallbackError, `${err}`);
      assert.ok(!err.message.includes(SECRET) && !String(err).includes(SECRET));
      return err.code;
    }
    return 'accepted';
  };
  assert.equal(code(good), 'accepted');
  assert.equal(code(good.replace('153.00', '999.00')), 'sign_mismatch');
  assert.equal(code(good.replace(/,"sign":"[0-9a-f]+"/, '')), 'sign_missing');
  assert.equal(code(good.replace('"2.3"', '"1.9"')), 'version_too_old');
  assert.equal(code(good.replace('mychanger.icu', 'elsewhere')), 'version_missing');
  assert.equal(code(good, { versionKey: 'gw.example' }), 'version_missing');
  assert.equal(code(good, { minVersion: 3 }), 'version_too_old');
  assert.equal(code(good, { maxBytes: 10 }), 'body_too_large');
  assert.equal(code('not json'), 'body_not_json');
  assert.equal(code('"a string"'), 'body_not_object');
  assert.equal(code(signedBody(payment, 'another-secret')), 'sign_mismatch');
});

test('tolerance: a replay window on the signed timeStamp, on the fast and the full path, with clear option errors', async () => {
  const sent = payment.timeStamp;
  const good = signedBody(payment);
  const bytes = new TextEncoder().encode(good);
  // A class instance takes the full path (Rust reads its fields); plain objects the fast one.
  class Options { constructor(fields) { Object.assign(this, fields); } }
  for (const wrap of [(o) => o, (o) => new Options(o)]) {
    for (const body of [good, bytes]) {
      const outcome = (opts) => {
        try {
          return verifyCallback(body, SECRET, wrap(opts)).id;
        } catch (err) {
          assert.ok(err instanceof CallbackError, `${err}`);
          return `${err.code}: ${err.message}`;
        }
      };
      assert.equal(outcome({ tolerance: 300, receivedAt: sent + 300 }), payment.id);
      assert.equal(outcome({ tolerance: 300, receivedAt: sent - 300 }), payment.id);
      assert.equal(outcome({ tolerance: 300, receivedAt: sent + 301 }),
        "timestamp_outside_tolerance: callback was sent 301 s ago, outside the tolerance of 300 s: a replayed or delayed callback, or this server's clock is off");
      assert.match(outcome({ tolerance: 60, receivedAt: sent - 7200.4 }), /^timestamp_outside_tolerance: callback was sent 7200 s in the future/);
      // Without receivedAt the window is around now, and the seed's 2024 callback is long gone.
      assert.match(outcome({ tolerance: 300 }), /^timestamp_outside_tolerance: callback was sent \d+ s ago/);
      assert.equal(outcome({}), payment.id, 'off unless asked for');
    }
  }
  const fresh = signedBody({ ...payment, timeStamp: Math.floor(Date.now() / 1000) });
  assert.equal(verifyCallback(fresh, SECRET, { tolerance: 300 }).id, payment.id);
  const undated = signedBody({ ...payment, timeStamp: undefined });
  assert.equal(verifyCallback(undated, SECRET).id, payment.id);
  assert.throws(() => verifyCallback(undated, SECRET, { tolerance: 300 }), (e) => e instanceof CallbackError && e.code === 'timestamp_missing');
  // A tampered time fails on the signature, before the window is looked at.
  const moved = good.replace(String(sent), String(sent + 1));
  assert.throws(() => verifyCallback(moved, SECRET, { tolerance: 300, receivedAt: sent + 1 }), (e) => e.code === 'sign_mismatch');
  for (const [opts, message] of [
    [{ tolerance: -1 }, 'options.tolerance must be a finite number of seconds, 0 or more, got -1'],
    [{ tolerance: '300' }, 'options.tolerance must be a finite number of seconds, 0 or more, got string'],
    [{ tolerance: Infinity }, 'options.tolerance must be a finite number of seconds, 0 or more, got Infinity'],
    [{ tolerance: 300, receivedAt: NaN }, 'options.receivedAt must be a finite number of seconds (Unix time), got NaN'],
    [{ receivedAt: sent }, 'options.receivedAt is the time options.tolerance is measured from: give tolerance too'],
  ]) {
    assert.throws(() => verifyCallback(good, SECRET, opts), (e) => e instanceof TypeError && e.message === message, JSON.stringify(opts));
  }
  const request = new Request('http://127.0.0.1/ipn', { method: 'POST', body: good });
  await assert.rejects(verifyCallbackRequest(request, SECRET, { tolerance: 10, receivedAt: sent + 11 }), (e) => e.code === 'timestamp_outside_tolerance');
});

test('a parsed body is refused with the fix in the message', () => {
  assert.throws(() => verifyCallback(payment, SECRET), (err) => {
    assert.ok(err instanceof TypeError);
    assert.match(err.message, /raw request body/);
    assert.match(err.message, /express\.raw/);
    return true;
  });
  assert.throws(() => verifyCallback('{}', []), TypeError);
  assert.throws(() => verifyCallback('{}', ''), ValidationError);
});

test('verifyCallbackRequest reads a Fetch API Request once', async () => {
  const request = new Request('http://127.0.0.1/ipn', { method: 'POST', body: signedBody(payment) });
  const cb = await verifyCallbackRequest(request, SECRET);
  assert.equal(cb.statusText, 'Approved');
  assert.equal(request.bodyUsed, true);
  const big = new Request('http://127.0.0.1/ipn', {
    method: 'POST', body: 'x'.repeat(100), headers: { 'content-length': '100' },
  });
  await assert.rejects(verifyCallbackRequest(big, SECRET, { maxBytes: 50 }), (e) => e.code === 'body_too_large');
});

test('look-alike errors from elsewhere are not SDK errors', () => {
  const fake = new Error('x');
  fake.name = 'CallbackError';
  assert.equal(fake instanceof CallbackError, false);
  assert.equal(fake instanceof ObmennikError, false);
});
