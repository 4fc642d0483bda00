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

test('sign: large parameter sets grow the shared buffers and later calls still agree', () => {
  const big = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i % 2 ? 'v'.repeat(i % 50) : i * 1.25]));
  sameAsFullSign(big, '3000 fields');
  sameAsFullSign({ a: 'small again' }, 'after growth');
  const raw = JSON.stringify(big);
  assert.equal(signJson(raw, KEY), sha1(signingString(big, KEY)));
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
