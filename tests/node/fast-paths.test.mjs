// The package's fast paths (pkg-template/fast.js) against its full paths, on the inputs where
// they could part ways. `sign` is checked against the sha1 of `signingString` (always the
// full path), `verifyCallback(body, secret)` against `verifyCallback(body, [secret])` (a list
// of secrets always takes the full path): same answer, same error class, code and message.
// The PHP oracle (tests/php/) compares both paths with real PHP on generated corpora.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sign, signingString, signJson, verifyCallback } from '../../pkg/node.mjs';

const KEY = 'fast-path-key';
const sha1 = (s) => createHash('sha1').update(s).digest('hex');

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: `${e?.name}: ${e?.message}`, code: e?.code, issues: JSON.stringify(e?.issues) };
  }
}

function sameAsFullSign(params, label) {
  const fast = outcome(() => sign(params, KEY));
  const full = outcome(() => signingString(params, KEY));
  if (full.error) {
    assert.deepEqual(fast, full, `${label}: sign must throw what the full path throws`);
  } else {
    assert.equal(fast.value, sha1(full.value), `${label}: sign must hash what signingString shows`);
  }
}

test('sign: values the fast path copies, and values it hands to the full path', () => {
  class Point {
    constructor() {
      this.x = 1;
    }
  }
  const cases = {
    strings: { a: 'x', b: '', c: 'Ключ 😀 é', d: 'a:b' },
    numbers: { a: 0, b: -0, c: 1.5, d: 500.52, e: 1e21, f: 2 ** 60, g: -(2 ** 63), h: 0.1 + 0.2, i: 1e-7, j: 5e-324 },
    'booleans and null': { a: true, b: false, c: null },
    bigints: { a: 1n, b: 2n ** 63n - 1n, c: -(2n ** 63n), d: 2n ** 64n, e: -(10n ** 30n) },
    'undefined fields': { a: undefined, b: 1 },
    nested: { a: { b: [1, 'x', null, true] }, c: [[]], d: [{}], e: { f: undefined } },
    'non-ASCII keys': { 'é': 1, 'Ключ': 2, '😀': 3, 'a\u0000b': 4, '': 5 },
    'lone surrogate value': { a: 'x\ud800y' },
    'lone surrogate key': { ['k\udc00']: 1 },
    'lone surrogate nested': { a: ['\ud800'] },
    'U+FFFD itself': { a: '\ufffd', ['\ufffd']: 'b' },
    'NaN and Infinity': { a: NaN, b: Infinity },
    'function and symbol': { a: () => 1, b: Symbol('s') },
    'Map, Set, class instances': { a: new Map([[1, 2]]), b: new Set([1]), c: new Point() },
    'Date and toJSON': { a: new Date(0), b: { toJSON: (k) => `key ${k}` } },
    boxed: { a: new Number(5), b: new String('s'), c: new Boolean(false) },
    'nested BigInt': { a: [1n] },
    // Nested values sign as `Array` and are only checked by the fast path: each of these must
    // still sign or throw as the full path does.
    'nested lone surrogate key': { a: { ['k\ud800']: 1 } },
    'nested NaN, Infinity, -0': { a: [NaN], b: { c: Infinity }, d: [-0] },
    'nested function, symbol, undefined': { a: [() => 1], b: { c: Symbol('s') }, d: [undefined], e: { f: undefined } },
    'nested Map, Date, toJSON, class': { a: [new Map()], b: { c: new Date(0) }, d: [{ toJSON: () => 'x' }], e: { f: new (class P {})() } },
    'nested holes and U+FFFD': { a: [1, , 3], b: { '\ufffd': '\ufffd' } },
    'nested 31 and 40 deep': { a: JSON.parse('['.repeat(31) + ']'.repeat(31)), b: JSON.parse('['.repeat(40) + ']'.repeat(40)) },
    'nested prototype-less object': { a: Object.assign(Object.create(null), { b: 1 }) },
    'a sign field': { sign: 'ignored', a: 1 },
    empty: {},
    'prototype-less': Object.assign(Object.create(null), { a: 1, b: 'x' }),
  };
  for (const [label, params] of Object.entries(cases)) sameAsFullSign(params, label);
  const cyclic = { a: {} };
  cyclic.a.self = cyclic.a;
  sameAsFullSign(cyclic, 'cycle');
  sameAsFullSign([1, 2], 'array (not a plain object)');
  sameAsFullSign(new Point(), 'class instance');
  assert.throws(() => sign({ a: 1 }, ''), { name: 'ValidationError' });
  assert.throws(() => sign({ a: 1 }, 5), { name: 'TypeError' });
});

test('sign: getters run once on the fast path, may throw, and may call sign themselves', () => {
  let reads = 0;
  const counted = { get a() { reads++; return 'x'; } };
  assert.equal(sign(counted, KEY), sha1(`x:${KEY}`));
  assert.equal(reads, 1);
  const reentrant = { get a() { return sign({ inner: 1 }, KEY); }, b: 2 };
  sameAsFullSign(reentrant, 're-entrant getter');
  const throwing = { get a() { throw new Error('boom'); }, b: 'y' };
  sameAsFullSign(throwing, 'throwing getter');
});

test('signJson and sign: memory grown during the call does not garble the answer', () => {
  // Each call's signing string is longer than the last: Rust allocates inside the call and
  // wasm memory grows under the views the fast path reads the answer through.
  for (let n = 1; n <= 120; n++) {
    const long = 'x'.repeat(n * 1500);
    const text = `{"a":${'['.repeat(n)}${']'.repeat(n)},"b":"${long}"}`;
    const want = sha1(`Array:${long}:${KEY}`);
    assert.equal(signJson(text, KEY), want, `signJson, ${text.length} bytes`);
    assert.equal(sign({ a: [[]], b: long }, KEY), want, `sign, ${text.length} bytes`);
  }
});

test('sign: large parameter sets grow the shared buffers and later calls still agree', () => {
  const big = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i % 2 ? 'v'.repeat(i % 50) : i * 1.25]));
  sameAsFullSign(big, '3000 fields');
  sameAsFullSign({ a: 'small again' }, 'after growth');
  const raw = JSON.stringify(big);
  assert.equal(signJson(raw, KEY), sha1(signingString(big, KEY)));
});

test('sign: calls with the names of the previous call (kept signing order) agree with the full path', () => {
  // Rust keeps the signing order of the last names it saw; these sequences switch shapes,
  // values, undefined fields and order between calls, so a stale order would show.
  const sequence = [
    { b: 1, a: 'x', sign: 'old', c: true },
    { b: 2, a: 'y', sign: 'other', c: false },
    { b: 3, a: 'Ключ 😀', sign: '', c: null },
    { b: 3, a: undefined, sign: '', c: null },
    { b: 4, a: 'z', sign: '', c: 1.5 },
    { a: 'z', b: 4, sign: '', c: 1.5 },
    { a: 'z', b: 4, sign: '', c: 1.5, d: 1 },
    { a: 'z', b: 4, sign: '', c: 1.5 },
    { a: [1, { x: 'é' }], b: { c: 'd' }, sign: 5n, c: 2n ** 70n },
    { a: [2], b: {}, sign: 1, c: -(2 ** 62) },
    { a: 'x\ud800', b: 1, sign: 1, c: 1 },
    { a: 'fine', b: 1, sign: 1, c: 1 },
    { a: NaN, b: 1, sign: 1, c: 1 },
    { a: 'fine again', b: 1, sign: 1, c: 1 },
    { ab: 1, a: 2, 'a\u0000': 3, ['\u00e9']: 4, ['\u{1f600}']: 5, ['\uff61']: 6 },
    { ab: 'u', a: 'v', 'a\u0000': 'w', ['\u00e9']: 'x', ['\u{1f600}']: 'y', ['\uff61']: 'z' },
    {},
    {},
    { only: 'one' },
  ];
  for (const [i, params] of sequence.entries()) {
    sameAsFullSign(params, `call ${i}`);
    sameAsFullSign(params, `call ${i}, again`);
  }
  let reads = 0;
  const counted = { get a() { reads++; return 'x'; }, b: 'y' };
  assert.equal(sign(counted, KEY), sha1(`x:y:${KEY}`));
  assert.equal(sign(counted, KEY), sha1(`x:y:${KEY}`));
  assert.equal(reads, 2, 'a getter runs once per call with or without kept names');
});

function sameAsFullVerify(body, secret, options, label) {
  const fast = outcome(() => verifyCallback(body, secret, options));
  const full = outcome(() => verifyCallback(body, [secret], options));
  assert.deepEqual(fast, full, label);
  return fast;
}

test('verifyCallback: every kind of body and option the fast path takes or declines', () => {
  const secret = 'fast-path-secret';
  const fields = '"mychanger.icu":"2.3","type":"payment","id":7,"amount":"1.00","big":9007199254740993,"neg":-0,"f":1.5,"nested":{"__proto__":{"x":1},"l":[1,2]}';
  const signed = (text) => `{${text},"sign":"${signJson(`{${text}}`, secret)}"}`;
  const body = signed(fields);
  const ok = sameAsFullVerify(body, secret, undefined, 'string body');
  assert.equal(ok.value.big, 9007199254740993n);
  assert.ok(Object.is(ok.value.neg, 0));
  assert.ok(Object.hasOwn(ok.value.nested, '__proto__'));
  assert.equal(Object.getPrototypeOf(ok.value.nested), Object.prototype);
  sameAsFullVerify(signed('"mychanger.icu":"2.3","a":"x","__proto__":{"polluted":true}'), secret, undefined, '__proto__ field');
  sameAsFullVerify(Buffer.from(body), secret, undefined, 'Buffer body');
  sameAsFullVerify(new Uint8Array(Buffer.from(body)), secret, undefined, 'Uint8Array body');
  sameAsFullVerify(new Uint8Array(Buffer.from(body)).buffer, secret, undefined, 'ArrayBuffer body');
  sameAsFullVerify(body.replace('1.00', '2.00'), secret, undefined, 'tampered');
  sameAsFullVerify(body, 'wrong', undefined, 'wrong secret');
  sameAsFullVerify(`\ufeff${body}`, secret, undefined, 'BOM');
  sameAsFullVerify(body.replace('payment', 'pay\ud800'), secret, undefined, 'lone surrogate in the body');
  sameAsFullVerify(signed('"mychanger.icu":"2.3","a":"\ufffd"'), secret, undefined, 'U+FFFD in the body');
  sameAsFullVerify(`{"x":"${'a'.repeat(70000)}"}`, secret, undefined, 'over 64 KiB');
  sameAsFullVerify('{"a":', secret, undefined, 'not JSON');
  sameAsFullVerify('[1]', secret, undefined, 'not an object');
  const hosted = signed('"pay.example":"3","id":1');
  for (const options of [
    null, {}, { versionKey: 'pay.example' }, { versionKey: 'pay.example', minVersion: 3 },
    { versionKey: 'pay.example', minVersion: 3.5 }, { versionKey: 'pay.example', maxBytes: 10 },
    { versionKey: 'pay.example', maxBytes: 100000 }, { maxBytes: 1.5 }, { maxBytes: -1 }, { maxBytes: 2 ** 32 },
    { minVersion: NaN }, { minVersion: Infinity }, { minVersion: '2' }, { versionKey: 5 }, { versionKey: null },
    Object.assign(Object.create(null), { versionKey: 'pay.example' }), [], 'options',
  ]) {
    sameAsFullVerify(hosted, secret, options, `options ${JSON.stringify(options)}`);
  }
  assert.throws(() => verifyCallback(JSON.parse(body), secret), { name: 'TypeError' });
  assert.throws(() => verifyCallback(body, ''), { name: 'ValidationError' });
});

// verifyCallback's options were read by serde_wasm_bindgen (through tsify) until its
// deserializer was taken out of the .wasm; these are its messages, captured before, word
// for word. Lists of secrets take the full path, where options are parsed.
test('verifyCallback: every option shape keeps its exact message', () => {
  const cases = [['"options"', 'options'], ['5', 5], ['true', true], ['function', () => 1], ['symbol', Symbol('s')], ['5n', 5n], ['null', null],
    ['{versionKey:5}', { versionKey: 5 }], ['{versionKey:1.5}', { versionKey: 1.5 }], ['{versionKey:true}', { versionKey: true }], ['{versionKey:[]}', { versionKey: [] }],
    ['{versionKey:{}}', { versionKey: {} }], ['{minVersion:"2"}', { minVersion: '2' }], ['{minVersion:NaN}', { minVersion: NaN }], ['{minVersion:Infinity}', { minVersion: Infinity }],
    ['{minVersion:-Infinity}', { minVersion: -Infinity }], ['{minVersion:true}', { minVersion: true }], ['{maxBytes:1.5}', { maxBytes: 1.5 }], ['{maxBytes:-1}', { maxBytes: -1 }],
    ['{maxBytes:2**32}', { maxBytes: 2 ** 32 }], ['{maxBytes:"5"}', { maxBytes: '5' }], ['{maxBytes:NaN}', { maxBytes: NaN }], ['{maxBytes:2**53}', { maxBytes: 2 ** 53 }],
    ['{maxBytes:5n}', { maxBytes: 5n }], ['{versionKey:Uint8Array}', { versionKey: new Uint8Array([1, 2]) }], ['{versionKey:symbol}', { versionKey: Symbol('q') }],
    ['{versionKey:function}', { versionKey: () => 1 }], ['{versionKey:5n}', { versionKey: 5n }], ['[]', []], ['Date', new Date(0)], ['{minVersion:1e21}', { minVersion: 1e21 }],
    ['{maxBytes:1e300}', { maxBytes: 1e300 }], ['{versionKey:-0}', { versionKey: -0 }], ['{maxBytes:-0}', { maxBytes: -0 }], ['{maxBytes:-2.5}', { maxBytes: -2.5 }],
    ['{maxBytes:1e-7}', { maxBytes: 1e-7 }], ['{versionKey:0.1+0.2}', { versionKey: 0.1 + 0.2 }], ['{minVersion:null,maxBytes:"x"}', { minVersion: null, maxBytes: 'x' }],
    ['{versionKey:"x",minVersion:"y",maxBytes:"z"}', { versionKey: 'x', minVersion: 'y', maxBytes: 'z' }], ['{maxBytes:ArrayBuffer}', { maxBytes: new ArrayBuffer(2) }],
    ['{versionKey:new String("s")}', { versionKey: new String('s') }], ['{minVersion:new Number(3)}', { minVersion: new Number(3) }], ['{maxBytes:4294967295}', { maxBytes: 4294967295 }],
    ['{minVersion:1e-7}', { minVersion: 1e-7 }], ['{minVersion:123456789.125}', { minVersion: 123456789.125 }], ['{versionKey:1e300}', { versionKey: 1e300 }], ['{versionKey:null}', { versionKey: null }],
    ['{versionKey:undefined}', { versionKey: undefined }], ['Map', new Map()], ['{minVersion:5e-324}', { minVersion: 5e-324 }], ['{minVersion:-0}', { minVersion: -0 }]];
  const expected = [
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: string \"options\", expected struct VerifyCallbackOptions",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `5.0`, expected struct VerifyCallbackOptions",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: boolean `true`, expected struct VerifyCallbackOptions",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(Function), expected struct VerifyCallbackOptions",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(Symbol(s)), expected struct VerifyCallbackOptions",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(5n), expected struct VerifyCallbackOptions",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `5.0`, expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `1.5`, expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: boolean `true`, expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue([]), expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(Object({})), expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: string \"2\", expected f64",
    "TypeError: options.minVersion must be a finite number, got NaN",
    "TypeError: options.minVersion must be a finite number, got inf",
    "TypeError: options.minVersion must be a finite number, got -inf",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: boolean `true`, expected f64",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `1.5`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `-1.0`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid value: integer `4294967296`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: string \"5\", expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `NaN`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `9007199254740992.0`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(5n), expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: byte array, expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(Symbol(q)), expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(Function(versionKey)), expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(5n), expected a string",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000.0`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `-0.0`, expected a string",
    "CallbackError: callback body is 2 bytes, over the 0 byte limit",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `-2.5`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `0.0000001`, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `0.30000000000000004`, expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: string \"x\", expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: string \"y\", expected f64",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: byte array, expected u32",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(String), expected a string",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: JsValue(Number), expected f64",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "TypeError: options: Failed to deserialize JsValue into type `obmennik::callback::js_api::VerifyCallbackOptions`: Error: invalid type: floating point `1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000.0`, expected a string",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?",
    "CallbackError: callback has no version field \"mychanger.icu\"; is versionKey the gateway's host name?"
  ];
  const got = cases.map(([, options]) => {
    try {
      verifyCallback('{}', ['s'], options);
      return 'ok';
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.deepEqual(got.map((m, i) => `${cases[i][0]}\t${m}`), expected.map((m, i) => `${cases[i][0]}\t${m}`));
});

test('ValidationError issues are plain {field, rule} objects', () => {
  try {
    sign({ a: NaN, b: { c: () => 1 } }, KEY);
    assert.fail('sign must throw');
  } catch (e) {
    assert.equal(e.name, 'ValidationError');
    assert.deepEqual(Object.keys(e.issues[0]), ['field', 'rule']);
    assert.equal(Object.getPrototypeOf(e.issues[0]), Object.prototype);
    assert.ok(Array.isArray(e.issues));
    assert.deepEqual(e.issues.map((i) => i.field), ['a', 'b.c']);
  }
});

test('sign: values as JSON.stringify sends them, or refused the same on both paths', () => {
  const issue = (params) => {
    const r = outcome(() => signingString(params, KEY));
    sameAsFullSign(params, JSON.stringify(Object.keys(params)));
    return r.error ? JSON.parse(r.issues).map((i) => `${i.field}: ${i.rule}`).join('; ') : r.value;
  };
  // JavaScript's digits, which PHP reads from JSON.stringify's body: 2**60 as 1152921504606847000.
  assert.equal(issue({ a: 2 ** 60, b: null }), `1152921504606847000::${KEY}`);
  assert.equal(issue({ a: 2 ** 60 }), `1152921504606847000:${KEY}`);
  assert.equal(issue({ a: -(2 ** 63) }), `-9.2233720368548E+18:${KEY}`);
  assert.equal(issue({ a: 2 ** 63 - 1024 }), `9223372036854775000:${KEY}`);
  // A field whose value is undefined is not sent, whatever its name.
  assert.equal(issue({ ['k\ud800']: undefined, a: 'x' }), `x:${KEY}`);
  assert.match(issue({ ['k\ud800']: 1 }), /must have a name that is valid Unicode text/);
  assert.match(issue({ a: { ['k\ud800']: 1 } }), /^a\.k.: must have a name/);
  // A throwing getter or toJSON is named, not left out.
  assert.match(issue({ a: 1, get b() { throw new Error('boom'); } }), /^b: could not be read: it threw boom$/);
  assert.match(issue({ a: { get c() { throw new Error('boom'); } }, b: null }), /^a\.c: could not be read: it threw boom$/);
  assert.match(issue({ a: { toJSON() { throw new Error('boom'); } } }), /^a: has a toJSON\(\) that threw boom$/);
  // toJSON is called once, with the field's name; what it returns is sent as it is.
  assert.equal(issue({ a: { toJSON: (k) => `key ${k}` }, b: null }), `key a::${KEY}`);
  assert.match(issue({ a: { toJSON: () => ({ toJSON: () => 'x' }) } }), /^a\.toJSON: must be a string/);
  assert.match(issue({ a: { toJSON: () => new Date(0) } }), /^a: has no JSON form/);
  // A function or symbol inside a nested object is refused whatever the other fields are.
  assert.match(issue({ a: { f() {}, x: 1 } }), /^a\.f: must be a string/);
  assert.match(issue({ a: { f() {}, x: 1 }, b: null }), /^a\.f: must be a string/);
  assert.match(issue({ a: { s: Symbol('s'), x: 1 } }), /^a\.s: must be a string/);
  // A cycle is named once; PHP's json_decode reads 511 levels of arrays and objects.
  const cyclic = { a: { x: 1 } };
  cyclic.a.self = cyclic.a;
  assert.match(issue(cyclic), /^a\.self: refers to an object that holds it/);
  const deep = (n) => JSON.parse('['.repeat(n) + ']'.repeat(n));
  assert.equal(issue({ a: deep(510) }), `Array:${KEY}`);
  assert.match(issue({ a: deep(511) }), /is nested too deep/);
  // A parameter object with a toJSON method: JSON.stringify would send something else.
  assert.match(issue({ a: 1, toJSON: () => ({ b: 2 }) }), /^params: has a toJSON\(\) method/);
  assert.match(issue(Object.defineProperty({ a: 1 }, 'toJSON', { value: () => ({ b: 2 }) })), /^params: has a toJSON\(\) method/);
  // A field named toJSON that is not a method is a field.
  assert.equal(issue({ toJSON: 'x', a: 1 }), `1:x:${KEY}`);
});
