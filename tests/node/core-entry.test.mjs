// obmennik/core (pkg/core/) as built: the same answers and the same errors as the root entry
// on every input, over its own, smaller wasm; its error classes are the root's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as core from '../../pkg/core/node.mjs';
import * as root from '../../pkg/node.mjs';

const require = createRequire(import.meta.url);
const SECRET = 'core-secret-5e1a';

// The seed's payment example (tests/bench), then values where PHP's rules bite.
const PARAMS = [
  {
    shopID: 522, uniqID: '544545dg-dgd1445-7777', currID: 6, amount: 500.52, label: '123133-44465451',
    userID: '17800111', memo: 'Пополнение средств', statusURL: 'https://your_url', period: 10,
    userInfo: { ip: '192.168.0.1', email: 'user@example.com', phone: '+78005553535' },
  },
  { a: 0.1 + 0.2, b: 1e21, c: -0, d: 1.5e-7, e: 100.0, f: -2.5, g: 123456789.125, h: 2 ** 53 + 2 },
  { t: true, f: false, n: null, u: undefined, sign: 'ignored', big: 12345678901234567890n, neg: -42n },
  { list: [1, [2, [3]], { x: 'y' }], empty: [], obj: {}, s: 'x' },
  { 'ключ': 'значение', 'é': 1, 'e': 2, 'Z': 3, '😀': 'emoji', '10': 'ten', '9': 'nine', 'a b': 'space' },
  {},
];

function signedBody(fields, secret = SECRET) {
  const raw = JSON.stringify(fields);
  return `${raw.slice(0, -1)},"sign":"${root.signJson(raw, secret)}"}`;
}
const payment = {
  'mychanger.icu': '2.3', timeStamp: 1720206230, shopID: 522, type: 'payment', id: 1033039,
  currID: 39, curr: 'RUB', amount: '153.00', label: '212112', memo: 'ё', status: 3, statusText: 'Approved',
};

/** What `fn` threw, as comparable plain data. */
function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return { type: err.constructor.name, name: err.name, message: err.message, code: err.code, issues: err.issues };
  }
  assert.fail('did not throw');
}

test('obmennik/core exports exactly the signing and callback API, the error classes and init', () => {
  const cjs = require('../../pkg/core/node.cjs');
  assert.deepEqual(Object.keys(cjs).sort(), [
    'CallbackError', 'ExchangerError', 'MerchantError', 'ObmennikError', 'TransportError', 'ValidationError',
    'default', 'init', 'sign', 'signJson', 'signingString', 'verifyCallback', 'verifyCallbackRequest',
  ]);
  // One instance behind the ESM and CommonJS entries; the error classes are the root entry's.
  assert.equal(cjs.sign, core.sign);
  for (const name of ['ObmennikError', 'ValidationError', 'CallbackError', 'MerchantError', 'ExchangerError', 'TransportError']) {
    assert.equal(core[name], root[name], name);
  }
  assert.notEqual(core.sign, root.sign, 'core runs its own wasm');
});

test('sign, signingString and signJson answer as the root entry on every input', () => {
  for (const params of PARAMS) {
    for (const key of ['KKKeeey', 'ключ-ü', SECRET]) {
      assert.equal(core.sign(params, key), root.sign(params, key), JSON.stringify(params, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
      assert.equal(core.signingString(params, key), root.signingString(params, key));
    }
  }
  assert.equal(core.sign({ param1: 1, param2: 2 }, 'KKKeeey'), '5c69e53c91bfd96cfc3e61604558107a314060ef');
  for (const raw of ['{"a":1.0,"b":1e2,"c":"x"}', '{"big":123456789012345678901234,"n":null,"t":true}', '{"ключ":[1,{"x":2}]}', JSON.stringify(payment)]) {
    assert.equal(core.signJson(raw, 'k'), root.signJson(raw, 'k'), raw);
  }
});

test('errors name the field and the rule exactly as the root entry does', () => {
  const cases = [
    (m) => m.sign({ a: NaN, b: { c: Infinity }, d: () => 1 }, 'k'),
    (m) => m.sign({ a: 1 }, ''),
    (m) => m.sign('not an object', 'k'),
    (m) => m.sign({ a: new Map() }, 'k'),
    (m) => m.signingString({ s: '\ud800' }, 'k'),
    (m) => m.signJson('{"a":', 'k'),
    (m) => m.signJson('[1,2]', 'k'),
    (m) => m.signJson(42, 'k'),
    (m) => m.verifyCallback({ parsed: true }, SECRET),
    (m) => m.verifyCallback('{}', []),
    (m) => m.verifyCallback(signedBody(payment), SECRET, { maxBytes: -1 }),
    (m) => m.verifyCallback(signedBody(payment), SECRET, { minVersion: 'two' }),
    (m) => m.verifyCallback(signedBody(payment), SECRET, { tolerance: -5 }),
    (m) => m.verifyCallback(signedBody(payment), SECRET, { receivedAt: 1 }),
    (m) => m.verifyCallback(signedBody(payment), SECRET, { tolerance: 1, receivedAt: 0 }),
  ];
  for (const run of cases) {
    const fromCore = thrown(() => run(core));
    assert.deepEqual(fromCore, thrown(() => run(root)), String(run));
  }
  const invalid = thrown(() => core.sign({ a: NaN }, 'k'));
  assert.equal(invalid.name, 'ValidationError');
  assert.deepEqual(invalid.issues.map((i) => i.field), ['a']);
  assert.match(invalid.issues[0].rule, /finite number/);
});

test('verifyCallback accepts a signed body and rejects a tampered one with the root entry\'s error class', () => {
  const body = signedBody(payment);
  assert.deepEqual(core.verifyCallback(body, SECRET), root.verifyCallback(body, SECRET));
  assert.deepEqual(core.verifyCallback(new TextEncoder().encode(body), ['old', SECRET]), root.verifyCallback(body, SECRET));
  for (const tampered of [body.replace('153.00', '953.00'), body.replace('"2.3"', '"1.9"'), body.replace(/,"sign":"\w+"/, '')]) {
    let caught;
    try {
      core.verifyCallback(tampered, SECRET);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof root.CallbackError && caught instanceof root.ObmennikError && caught instanceof core.CallbackError);
    assert.deepEqual(thrown(() => core.verifyCallback(tampered, SECRET)), thrown(() => root.verifyCallback(tampered, SECRET)));
  }
});

test('verifyCallbackRequest reads a Fetch API Request and rejects, never throws', async () => {
  const body = signedBody(payment);
  const request = () => new Request('https://shop.example/ipn', { method: 'POST', body });
  assert.deepEqual(await core.verifyCallbackRequest(request(), SECRET), await root.verifyCallbackRequest(request(), SECRET));
  const forged = new Request('https://shop.example/ipn', { method: 'POST', body: body.replace('153.00', '154.00') });
  await assert.rejects(core.verifyCallbackRequest(forged, SECRET), (e) => e instanceof root.CallbackError && e.code === 'sign_mismatch');
  const big = new Request('https://shop.example/ipn', { method: 'POST', body, headers: { 'content-length': String(body.length) } });
  await assert.rejects(core.verifyCallbackRequest(big, SECRET, { maxBytes: 50 }), (e) => e.code === 'body_too_large');
  const notRequest = core.verifyCallbackRequest({ body }, SECRET);
  assert.ok(notRequest instanceof Promise);
  await assert.rejects(notRequest, { name: 'TypeError', message: 'request must be a Fetch API Request' });
  await assert.rejects(core.verifyCallbackRequest(request(), 7), { name: 'TypeError', message: 'secret must be a string or an array of strings' });
});

test('the browser entry: before init() the root entry\'s message, after it the same signatures', async () => {
  const coreBrowser = await import('../../pkg/core/browser.js');
  const rootBrowser = await import('../../pkg/browser.js');
  const early = thrown(() => coreBrowser.sign({ a: 1 }, 'k'));
  assert.deepEqual(early, thrown(() => rootBrowser.sign({ a: 1 }, 'k')));
  assert.match(early.message, /^obmennik: the \.wasm is not loaded yet\. Call `await init\(\)`/);
  await assert.rejects(coreBrowser.default(new Uint8Array([0, 1, 2])), /^Error: obmennik: could not load obmennik_core_bg\.wasm from the given input/);
  await coreBrowser.default(fs.readFileSync(new URL('../../pkg/core/obmennik_core_bg.wasm', import.meta.url)));
  for (const params of PARAMS) assert.equal(coreBrowser.sign(params, 'k'), root.sign(params, 'k'));
  assert.ok(thrown(() => coreBrowser.verifyCallback('{}', SECRET)).name === 'CallbackError');
});
