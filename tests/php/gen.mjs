// Deterministic case generator for the PHP oracle suite (tests/php/oracle.test.mjs).
//
// Everything here is driven by one 32-bit seed (mulberry32), so a failing run is reproduced
// exactly with OBMENNIK_ORACLE_SEED=<seed printed by the failing test>.
//
// Three kinds of cases:
//  - genParamSets: JS parameter objects for `sign(params)`, with the JSON body the SDK
//    documents it sends for them (`sdkBody`), which is what the gateway's PHP decodes;
//  - genRawJson: raw JSON object texts for `signJson(raw)`, full of literals whose PHP
//    reading is subtle (int/float boundary, precision-14 printing, escapes, duplicate keys);
//  - genCallbacks: gateway IPN callback bodies (payment / withdraw / dispute shaped) kept as
//    an ordered list of [raw key literal, raw value literal], so variants can be spliced.

/** mulberry32: tiny, fast, good enough for test data; same sequence on every platform. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(seed) {
    this.seed = seed >>> 0;
    this.next = mulberry32(this.seed);
  }
  /** Integer in [0, n). */
  int(n) {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  /** Random 64-bit unsigned as BigInt. */
  u64() {
    const hi = BigInt(Math.floor(this.next() * 2 ** 32));
    const lo = BigInt(Math.floor(this.next() * 2 ** 32));
    return (hi << 32n) | lo;
  }
  digits(n, firstNonZero = true) {
    let s = '';
    for (let i = 0; i < n; i++) s += String(i === 0 && firstNonZero ? this.range(1, 9) : this.int(10));
    return s;
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  /** A fresh child generator, so adding cases in one family does not shift the others. */
  fork(tag) {
    let h = this.seed ^ 0x9e3779b9;
    for (const ch of tag) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return new Rng(h);
  }
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

// ---------------------------------------------------------------------------------------
// Building blocks: keys and strings
// ---------------------------------------------------------------------------------------

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  '0123456789',
  '.._-',
  'абвгдеёжзийклмнопрстуфхцчшщъыьэюяКлючЖЁ',
  'éèêëàçñøåßÉÅ',
  '键钥価格数量',
  ':;,/\\"\' \t',
];
const ASTRAL = ['😀', '🙂', '𝒳', '🇷🇺', '👨‍👩‍👧', '\u{10FFFF}'];

/** Keys chosen to exercise PHP's SORT_STRING (strcmp over UTF-8 bytes) and PHP's
 * numeric-string keys (which json_decode turns into integer array keys). */
export const SPECIAL_KEYS = [
  '10', '2', '1', '0', '01', '-1', '-0', '9', '100', '9223372036854775807',
  '9223372036854775808', '1.5', '1e3', ' 1',
  'a.b', 'a', 'A', 'b', 'B', 'Z', 'z', 'aa', 'a0', 'a_', 'a-', '_', '~', '.',
  'Ключ', 'ключ', 'é', 'e\u0301', 'É', '\uFF21', '😀', '\uE000', '\u00FF', 'ÿ',
  '', ' ', 'a:b', ':', 'key with space', 'a\u0000b', '\u0000', '\u007f',
  'amount', 'Amount', 'amountX', 'shopID', 'shopid', 'uniqID', 'currID', 'label', 'memo',
  'mychanger.icu', 'true', 'null', 'Array', 'sign2', 'sig', 'signature',
];

export function randomText(rng, maxLen = 12) {
  const len = rng.int(maxLen + 1);
  let s = '';
  for (let i = 0; i < len; i++) {
    if (rng.chance(0.06)) s += rng.pick(ASTRAL);
    else if (rng.chance(0.03)) s += String.fromCharCode(rng.int(0x20)); // control chars (escaped in JSON)
    else {
      const a = rng.pick(ALPHABETS);
      s += a[rng.int(a.length)];
    }
  }
  return s;
}

export function randomKey(rng) {
  if (rng.chance(0.35)) return rng.pick(SPECIAL_KEYS);
  if (rng.chance(0.1)) return String(rng.range(0, 1000)); // PHP integer keys
  const k = randomText(rng, 10);
  return k;
}

/** Strings that look like numbers or otherwise tempt a wrong conversion. */
export const TRICKY_STRINGS = [
  '', ':', '::', 'a:b', '007', '0', '-0', '0.0', '1e3', ' 1', '1 ', '+1', '1,5', '0x1A', '.5', '5.',
  '9223372036854775808', '-9223372036854775809', '1.0E+15', 'INF', 'NaN', 'Array', 'true',
  'false', 'null', '0.30000000000000004', '200.00', 'Ключ', '😀', 'e\u0301', '\u0000', '\n',
  '\\', '"', '\u2028', '\u00a0', 'tab\there', ' ', 'sign', '5c69e53c91bfd96cfc3e61604558107a314060ef',
];

export function randomString(rng) {
  if (rng.chance(0.3)) return rng.pick(TRICKY_STRINGS);
  if (rng.chance(0.1)) return rng.digits(rng.range(1, 25), rng.chance(0.7));
  if (rng.chance(0.05)) return randomText(rng, 200);
  return randomText(rng, 16);
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

/** Finite doubles whose PHP precision-14 printing or int/float kind is easy to get wrong. */
export const SPECIAL_FLOATS = [
  0.1 + 0.2, 0.1, 0.2, 0.3, 1e14, 1e15, 1e16, 1e-4, 1e-5, 1e-3, 1e300, -1e300, 1e-300,
  1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308,
  99999999999999.99, 99999999999999.5, 99999999999999.4, 9999999999999.95, 999999999999999.9,
  123456789012345.6, 100000000000000.5, 12345678901234.5, 12345678901235.5, 0.000099999999999999,
  0.00009999999999999, 0.0001, 0.00010000000000000001, 1e21, 1e20, 1e22, 2 ** 63, -(2 ** 63),
  2 ** 64, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 4.35, 1.005, 2.675, 1.15, 0.5, 1.5, 2.5, -2.5,
  153.0, 500.52, 200.01, 1e-7, 1.5e-7, 123e-20, 6.02214076e23, Math.PI, Math.E, -Math.PI,
  1 / 3, 2 / 3, -1 / 3, 100 / 3,
];

/** Random finite double from random bits (covers the whole exponent range). */
export function randomBitsDouble(rng) {
  const buf = new DataView(new ArrayBuffer(8));
  for (;;) {
    buf.setBigUint64(0, rng.u64());
    const x = buf.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

/** A double near the 14-significant-digit rounding edge: exact ties (K + 0.5 with K of 14
 * digits, half-to-even), decimal ties that are not exact in binary, and 15–17 digit values. */
export function edgeDouble(rng) {
  const sign = rng.chance(0.3) ? -1 : 1;
  switch (rng.int(5)) {
    case 0: {
      const k = Number(rng.digits(14));
      return sign * (k + 0.5);
    }
    case 1: {
      const k = Number(rng.digits(13));
      return sign * (k + rng.pick([0.5, 0.25, 0.75, 0.05, 0.95]));
    }
    case 2: {
      // d.ddddddddddddd5 × 10^e: a decimal tie at the 15th digit.
      const lit = `${rng.digits(1)}.${rng.digits(13, false)}5e${rng.range(-20, 20)}`;
      return sign * Number(lit);
    }
    case 3: {
      // 15 to 17 significant digits, anywhere in the exponent range.
      const n = rng.range(15, 17);
      const lit = `${rng.digits(1)}.${rng.digits(n - 1, false)}e${rng.range(-320, 300)}`;
      return sign * Number(lit);
    }
    default: {
      // x.99999999999999... just below a power of ten.
      const nines = rng.range(12, 17);
      const lit = `${'9'.repeat(nines)}e${rng.range(-30, 20)}`;
      return sign * Number(lit);
    }
  }
}

/** Integral 15-digit floats whose 15th digit is 5 (exact ties at PHP's 14 digits). */
export function fifteenDigitTie(rng) {
  const prefix = BigInt(rng.digits(14));
  const p = rng.chance(0.5) ? prefix - (prefix % 10n) : prefix; // often ending in 0
  return Number(p * 10n + 5n) * (rng.chance(0.3) ? -1 : 1);
}

export function randomNumber(rng) {
  switch (rng.int(9)) {
    case 0:
      return rng.pick(SPECIAL_FLOATS);
    case 1:
      return randomBitsDouble(rng);
    case 2:
      return edgeDouble(rng);
    case 3:
      return rng.range(-1000, 1000);
    case 4:
      return rng.pick([0, -0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 62, -(2 ** 62), 2 ** 31, -(2 ** 31), 2 ** 32]);
    case 5:
      // Integral doubles beyond 2^53 but inside int64 (sent as exact integer literals).
      return Number(rng.u64() >> BigInt(rng.range(1, 11))) * (rng.chance(0.5) ? -1 : 1);
    case 6:
      return Math.round(rng.next() * 10 ** rng.range(0, 8)) / 100; // money-like
    case 7:
      return Number(`${rng.chance(0.5) ? '-' : ''}${rng.digits(rng.range(1, 6))}e${rng.range(-30, 30)}`);
    default:
      return (rng.next() - 0.5) * 10 ** rng.range(-10, 25);
  }
}

export function randomBigInt(rng) {
  switch (rng.int(4)) {
    case 0:
      return rng.pick([0n, -1n, INT64_MAX, INT64_MIN, INT64_MAX + 1n, INT64_MIN - 1n, 2n ** 64n,
        -(2n ** 64n), 10n ** 30n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 9007199254740993n]);
    case 1: {
      const v = rng.u64();
      return rng.chance(0.5) ? v : -v; // about half beyond int64
    }
    case 2:
      return BigInt(rng.digits(rng.range(1, 40))) * (rng.chance(0.5) ? 1n : -1n);
    default:
      return BigInt.asIntN(64, rng.u64());
  }
}

// ---------------------------------------------------------------------------------------
// sign(params) cases: JS objects and the JSON body the SDK documents it sends
// ---------------------------------------------------------------------------------------

function randomNested(rng, depth) {
  if (depth > 3 || rng.chance(0.3)) return randomScalar(rng);
  if (rng.chance(0.5)) {
    const n = rng.int(4);
    const arr = [];
    for (let i = 0; i < n; i++) arr.push(rng.chance(0.05) ? undefined : randomNested(rng, depth + 1));
    return arr;
  }
  const obj = {};
  const n = rng.int(4);
  for (let i = 0; i < n; i++) obj[randomKey(rng)] = rng.chance(0.05) ? undefined : randomNested(rng, depth + 1);
  return obj;
}

export function randomScalar(rng) {
  switch (rng.int(10)) {
    case 0: case 1: case 2:
      return randomString(rng);
    case 3: case 4: case 5:
      return randomNumber(rng);
    case 6:
      return randomBigInt(rng);
    case 7:
      return rng.chance(0.5);
    default:
      return null;
  }
}

export function randomValue(rng) {
  const r = rng.next();
  if (r < 0.06) return randomNested(rng, 0);
  if (r < 0.08) return undefined; // not sent, not signed
  return randomScalar(rng);
}

/** The JSON text the SDK sends for one value (its documented rules). */
export function sdkEncodeValue(v) {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number': {
      if (!Number.isFinite(v)) throw new Error('not finite');
      // As JSON.stringify writes it: JavaScript's digits (2**60 → "1152921504606847000", which
      // PHP reads as that int; -(2**63) → "-9223372036854776000", beyond int64, a float).
      return JSON.stringify(v);
    }
    case 'bigint':
      return v >= INT64_MIN && v <= INT64_MAX ? v.toString() : JSON.stringify(v.toString());
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : sdkEncodeValue(x))).join(',')}]`;
      return sdkEncodeObject(v);
    default:
      throw new Error(`no JSON form for ${typeof v}`);
  }
}

export function sdkEncodeObject(obj) {
  const parts = [];
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${sdkEncodeValue(obj[k])}`);
  }
  return `{${parts.join(',')}}`;
}

/** True for a JS number that is an integer beyond 2^53 but inside int64: JSON.stringify's
 * digits ("1152921504606847000" for 2**60) are not its exact ones ("1152921504606846976");
 * the SDK sends and signs JSON.stringify's. */
export function isUnsafeInt64Number(v) {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) > 2 ** 53 && v >= -(2 ** 63) && v < 2 ** 63;
}

/** Replaces unsafe-integer numbers by the same value as a BigInt (same integer on the wire). */
function withoutUnsafeInts(v) {
  if (isUnsafeInt64Number(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(withoutUnsafeInts);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutUnsafeInts(x)]));
  return v;
}

/** One `sign(params)` case: `params` (a JS object), `body` (what PHP decodes), `key`.
 * `unsafeInts: false` sends integers beyond 2^53 as BigInt instead of number (see
 * isUnsafeInt64Number). */
export function genParamSets(rng, count, keys, { unsafeInts = true } = {}) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const params = {};
    const n = rng.chance(0.1) ? rng.range(20, 60) : rng.range(1, 12);
    for (let j = 0; j < n; j++) {
      const v = randomValue(rng);
      params[randomKey(rng)] = unsafeInts ? v : withoutUnsafeInts(v);
    }
    if (rng.chance(0.05)) params.sign = rng.chance(0.5) ? rng.hex(40) : randomValue(rng); // ignored
    // At least one signed value (the empty set is covered by its own test).
    if (Object.keys(params).every((k) => params[k] === undefined || k === 'sign')) params.x = 1;
    out.push({ params, body: sdkEncodeObject(params), key: rng.pick(keys) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// signJson(raw) cases: raw JSON texts
// ---------------------------------------------------------------------------------------

/** A JSON string literal for `s`, with a random mix of raw and escaped characters. */
export function jsonStringLiteral(rng, s, escapeRate = 0.2) {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp < 0x20) {
      const short = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' }[cp];
      out += short && rng.chance(0.5) ? short : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else if (ch === '/' && rng.chance(0.5)) out += '\\/';
    else if (rng.chance(escapeRate)) {
      if (cp > 0xffff) {
        const hi = 0xd800 + ((cp - 0x10000) >> 10);
        const lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        const h = (x) => x.toString(16).padStart(4, '0');
        out += rng.chance(0.5) ? `\\u${h(hi)}\\u${h(lo)}` : `\\u${h(hi).toUpperCase()}\\u${h(lo).toUpperCase()}`;
      } else {
        const h = cp.toString(16).padStart(4, '0');
        out += `\\u${rng.chance(0.5) ? h : h.toUpperCase()}`;
      }
    } else out += ch;
  }
  return `${out}"`;
}

/** Number literals whose PHP reading (int or float, and its precision-14 text) is subtle. */
export const SPECIAL_NUMBER_LITERALS = [
  '0', '-0', '1', '-1', '1.0', '-1.0', '1e2', '1E2', '1e+2', '1E-2', '1e0', '0e0', '-0e0', '0.0',
  '-0.0', '-0.000', '1e400', '-1e400', '1e-400', '-1e-400', '0.30000000000000004',
  '99999999999999.99', '99999999999999.9', '99999999999999', '999999999999999', '123456789012345',
  '100000000000000.5', '1e14', '1e15', '1e-4', '1e-5', '0.0001', '0.00001', '0.1', '2.5e-5',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '9223372036854775806', '-9223372036854775807', '18446744073709551615', '18446744073709551616',
  '99999999999999999999', '100000000000000000000000000000', '9007199254740993', '9007199254740992',
  '4611686018427387904', '1.7976931348623157e308', '1.7976931348623159e308', '2e308', '5e-324',
  '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '12345678901234.5',
  '12345678901235.5', '1.00000000000005', '1.00000000000015', '0.000099999999999995',
  '153.00', '500.52', '200.00', '0.10000000000000000555', '1.0000000000000000000000000001',
  '1234567890123456789012345678901234567890', '0.000000000000000000000000000000000001',
  '1e-7', '1.5e-7', '6.02214076e23', '1E+21', '1e21', '1e20', '-1e20',
];

/** PHP quirk (zend_dtoa's "small integer" path): an integral float of 15 digits whose last
 * digit is an exact tie that rounds down keeps its trailing zeros, (string)591255649016205.0 is
 * "5.9125564901620E+14" and (string)100000000000005.0 is "1.0000000000000E+14". True when
 * that makes a visible difference (the 14-digit prefix ends in 0). A known SDK bug (it strips
 * them) is tested on its own, so the random corpora leave these values out. */
export function phpKeepsTrailingZeros(x) {
  const a = Math.abs(x);
  if (!Number.isInteger(a) || a < 1e14 || a >= 1e15 || a % 10 !== 5) return false;
  const prefix = (a - 5) / 10; // the first 14 digits
  return prefix % 2 === 0 && prefix % 10 === 0;
}

function isFloatLiteral(lit) {
  return /[.eE]/.test(lit) || lit.replace('-', '').length > 18;
}

export function randomNumberLiteral(rng) {
  for (;;) {
    const lit = anyNumberLiteral(rng);
    if (!(isFloatLiteral(lit) && phpKeepsTrailingZeros(Number(lit)))) return lit;
  }
}

function anyNumberLiteral(rng) {
  switch (rng.int(7)) {
    case 0:
      return rng.pick(SPECIAL_NUMBER_LITERALS);
    case 1: {
      // Integer literal of 1..22 digits: around the int64 boundary at 19.
      const n = rng.pick([1, 2, 5, 10, 15, 16, 17, 18, 19, 19, 19, 20, 21, 22]);
      const d = n === 19 && rng.chance(0.5) ? `92233720368547758${rng.digits(2, false)}` : rng.digits(n);
      return (rng.chance(0.4) ? '-' : '') + d;
    }
    case 2: {
      // General float literal: int part, optional fraction, optional exponent.
      const intPart = rng.chance(0.3) ? '0' : rng.digits(rng.range(1, 20));
      const frac = rng.chance(0.7) ? `.${rng.digits(rng.range(1, 20), false)}` : '';
      const exp = rng.chance(0.5) || !frac
        ? `${rng.pick(['e', 'E'])}${rng.pick(['', '+', '-'])}${rng.range(0, rng.chance(0.1) ? 400 : 30)}`
        : '';
      return (rng.chance(0.3) ? '-' : '') + intPart + frac + exp;
    }
    case 3: {
      const x = edgeDouble(rng);
      const s = String(x);
      return rng.chance(0.5) ? s : x.toExponential();
    }
    case 4:
      return String(randomBitsDouble(rng));
    case 5:
      // Same value, several spellings.
      return rng.pick(['1', '1.0', '1e0', '10e-1', '0.1e1', '100e-2', '1.000000000000000000001']);
    default:
      return String(rng.range(-100000, 100000));
  }
}

function ws(rng) {
  if (!rng.chance(0.15)) return '';
  let s = '';
  const n = rng.range(1, 3);
  for (let i = 0; i < n; i++) s += rng.pick([' ', '\t', '\n', '\r']);
  return s;
}

function rawNested(rng, depth) {
  if (depth > 3 || rng.chance(0.35)) return rawScalar(rng);
  if (rng.chance(0.5)) {
    const n = rng.int(4);
    const items = [];
    for (let i = 0; i < n; i++) items.push(ws(rng) + rawNested(rng, depth + 1) + ws(rng));
    return `[${items.join(',')}${n ? '' : ws(rng)}]`;
  }
  const n = rng.int(4);
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push(`${ws(rng)}${jsonStringLiteral(rng, randomKey(rng))}${ws(rng)}:${ws(rng)}${rawNested(rng, depth + 1)}${ws(rng)}`);
  }
  return `{${items.join(',')}${n ? '' : ws(rng)}}`;
}

function rawScalar(rng) {
  switch (rng.int(9)) {
    case 0: case 1: case 2:
      return jsonStringLiteral(rng, randomString(rng), rng.pick([0, 0.1, 0.5, 1]));
    case 3: case 4: case 5: case 6:
      return randomNumberLiteral(rng);
    case 7:
      return rng.pick(['true', 'false']);
    default:
      return 'null';
  }
}

/** A raw JSON object text (valid JSON, top level an object). */
export function genRawJson(rng, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const n = rng.chance(0.1) ? rng.range(15, 50) : rng.range(1, 12);
    const keys = [];
    const entries = [];
    for (let j = 0; j < n; j++) {
      let key;
      if (keys.length && rng.chance(0.08)) key = rng.pick(keys); // duplicate key: last value wins, first place kept
      else if (rng.chance(0.03)) key = 'sign';
      else key = randomKey(rng);
      keys.push(key);
      const value = rng.chance(0.07) ? rawNested(rng, 0) : rawScalar(rng);
      entries.push(`${ws(rng)}${jsonStringLiteral(rng, key)}${ws(rng)}:${ws(rng)}${value}${ws(rng)}`);
    }
    // At least one signed value (an object holding only `sign` is covered by its own test).
    if (keys.every((k) => k === 'sign')) entries.push(`${jsonStringLiteral(rng, 'x')}:${rawScalar(rng)}`);
    out.push(`${ws(rng)}{${entries.join(',')}}${ws(rng)}`);
  }
  return out;
}

/** Hand-written raw texts: the literals the issue lists, each alone and together. */
export function fixedRawJson() {
  const out = [];
  for (const lit of SPECIAL_NUMBER_LITERALS) out.push(`{"v":${lit}}`, `{"a":"x","v":${lit},"z":${lit}}`);
  out.push(
    '{"param1":1,"param2":2}',
    '{"param2":"2","param1":"1"}',
    '{"e":"\\u00e9","E":"é","s":"\\ud83d\\ude00","S":"😀"}',
    '{"\\u00e9":1,"é":2}',
    '{"a":1,"b":2,"a":3}',
    '{"a":1,"b":2,"\\u0061":3}',
    '{"sign":"x","a":1}',
    '{"a":1,"sign":"x","sign":"y"}',
    '{"10":"ten","2":"two","1":"one","01":"zero-one","-1":"minus","a":"A"}',
    '{"":"empty key","a":""}',
    '{"a":[],"b":{},"c":[1,[2,{}]],"d":{"x":{"y":null}}}',
    '{"a":true,"b":false,"c":null,"d":0,"e":""}',
    '{"k":":","l":"::","m":"a:b"}',
    '{"n":"007","o":"1e3","p":" 1","q":"1.0E+15","r":"-0"}',
    '{"a\\u0000b":"\\u0000","a":"\\u0000\\u0000"}',
    '{"slash":"\\/","bs":"\\\\","q":"\\"","ctl":"\\b\\f\\n\\r\\t"}',
    '{"BMP-max":"\\uffff","astral-max":"\\udbff\\udfff","nc":"\\ufdd0"}',
    ' \t\n\r{ \t\n\r"a" \t\n\r: \t\n\r1 \t\n\r} \t\n\r',
    `{"deep":${'['.repeat(510)}${']'.repeat(510)}}`, // 511 levels: PHP's deepest
  );
  return out;
}

/** Texts PHP's json_decode($raw, true) rejects (returns null): signJson must throw. */
export const INVALID_RAW_JSON = [
  '', ' ', '{', '}', '{"a":1,}', '{"a":1 "b":2}', '{"a"}', '{"a":}', "{'a':1}", '{a:1}',
  '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":-}', '{"a":+1}', '{"a":1e}', '{"a":1e+}', '{"a":0x1A}',
  '{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '{"a":undefined}', '{"a":True}', '{"a":nul}',
  '{"a":"\\ud800"}', '{"a":"\\udc00"}', '{"a":"\\ud800\\u0041"}', '{"a":"\\ud83d"}', '{"a":"\\x41"}',
  '{"a":"\\u00e"}', '{"a":"\\U00e9"}', '{"a":"\\a"}', '{"a":"tab\there"}',
  '{"a":"nl\nhere"}', '{"a":"\u0000"}', '{"a":"\u001f"}', '\uFEFF{"a":1}', '{"a":1}\uFEFF',
  '{"a":1}x', '{"a":1}{"b":2}', '{"a":1}}', '{"a":[1,]}', '{"a":[1 2]}', '{"a":"unterminated}',
  '{"a":1,"b":2', '{"a":1}\u00a0', '\u00a0{"a":1}', '{"a":1}\u000b', '{"a":1}\f', '{"a":1} /*c*/',
  '{"a":--1}', '{"a":1e5.5}', '{"a":00}', '{"a":-01}', '{"\\ud800":1}',
  `{"deep":${'['.repeat(600)}${']'.repeat(600)}}`,
];

/** 512 levels of nesting: PHP's json_decode (default depth 512) allows 511 and returns null
 * here; a known SDK bug accepts them, so they are tested on their own. */
export const DEPTH_512_RAW_JSON = [
  `{"deep":${'['.repeat(511)}${']'.repeat(511)}}`,
  `{"deep":${'{"a":'.repeat(511)}1${'}'.repeat(511)}}`,
  `{"deep":${'['.repeat(511)}1${']'.repeat(511)}}`,
];

/** Valid JSON whose top level is not an object. PHP's json_decode gives a scalar or a list;
 * the SDK refuses them on purpose (the gateway signs an object's values). */
export const NON_OBJECT_RAW_JSON = ['1', '"a"', 'null', 'true', '[]', '[1,2]', '[{"a":1}]', '1.5'];

// ---------------------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------------------

export const VERSION_KEY = 'mychanger.icu';
const STATUS_TEXT = ['Pending', 'Approved', 'Expired', 'Canceled', 'Waiting', 'Correcting', 'Ожидание'];

/** A callback body as ordered [rawKeyLiteral, rawValueLiteral] pairs (no sign yet). */
export function genCallback(rng, versionKey = VERSION_KEY, otherVersionKeys = []) {
  const e = [];
  const s = (v) => jsonStringLiteral(rng, v, 0.02);
  const money = () => {
    const v = (rng.range(1, 10 ** rng.range(2, 8)) / 100).toFixed(2);
    return rng.pick([s(v), s(v), v, String(Number(v)), `${Number(v)}e0`]);
  };
  const int = (lo, hi) => String(rng.range(lo, hi));
  const versionLit = rng.pick(['"2.3"', '"2.3"', '"2.3"', '"2"', '2', '2.3', '"2.10"', '"3"', '10', '"10.0"', '2.0', '" 2.3"', '"2.3 "', '"2e0"']);
  const type = rng.pick(['payment', 'withdraw', 'dispute']);
  e.push([s(versionKey), versionLit]);
  e.push(['"timeStamp"', int(1600000000, 1900000000)]);
  e.push(['"shopID"', rng.chance(0.8) ? int(1, 99999) : s(int(1, 99999))]);
  e.push(['"type"', s(type)]);
  e.push(['"id"', rng.chance(0.9) ? int(1, 99999999) : s(int(1, 99999999))]);
  e.push(['"currID"', int(1, 400)]);
  e.push(['"curr"', s(rng.pick(['RUB', 'KZT', 'UZS', 'AZN', 'TRY', 'BYN', 'VND', 'IDR', 'YJS']))]);
  e.push(['"amount"', money()]);
  if (type === 'dispute') {
    e.push(['"comment"', s(rng.chance(0.5) ? '' : randomString(rng))]);
    e.push(['"status"', int(0, 9)]);
    e.push(['"statusText"', s(rng.pick(STATUS_TEXT))]);
    e.push(['"operationID"', int(1, 99999999)]);
    e.push(['"operationAmount"', money()]);
    e.push(['"operationLabel"', s(randomString(rng))]);
    e.push(['"operationStatus"', int(0, 5)]);
  } else {
    e.push(['"label"', s(rng.chance(0.3) ? rng.digits(rng.range(1, 10)) : randomString(rng))]);
    e.push(['"memo"', s(rng.chance(0.4) ? '' : randomString(rng))]);
    e.push(['"status"', int(0, 5)]);
    e.push(['"statusText"', s(rng.pick(STATUS_TEXT))]);
    e.push(['"info"', s(rng.chance(0.5) ? '' : randomString(rng))]);
  }
  // Extra fields the seed does not document (the gateway may add any).
  const extras = rng.int(5);
  const used = new Set(e.map(([k]) => JSON.parse(k)));
  for (const k of ['sign', VERSION_KEY, ...otherVersionKeys]) used.add(k);
  for (let i = 0; i < extras; i++) {
    // __proto__ is an own field for JSON.parse, and a verified callback must keep it as one.
    const name = rng.chance(0.03) ? '__proto__' : randomKey(rng);
    if (used.has(name)) continue;
    used.add(name);
    const k = jsonStringLiteral(rng, name, 0.1);
    const v = rng.chance(0.08) ? rawNested(rng, 1) : rawScalar(rng);
    e.push([k, v]);
  }
  // The gateway's field order is not sorted: shuffle all but (sometimes) the version.
  const start = rng.chance(0.5) ? 1 : 0;
  for (let i = e.length - 1; i > start; i--) {
    const j = start + rng.int(i - start + 1);
    [e[i], e[j]] = [e[j], e[i]];
  }
  return e;
}

export function entriesToBody(entries) {
  return `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`;
}

/** A different value literal whose PHP string differs from `lit`'s, so the signature must
 * change (used for "any value changed" tampering). */
export function rawValueForTamper(rng, lit) {
  const t = lit.trim();
  if (t.startsWith('"')) {
    const s = JSON.parse(t);
    const chars = Array.from(s);
    const options = [`${s}x`, `x${s}`, 'tampered', `${s}:`, `${s} `];
    if (chars.length) options.push(chars.slice(0, -1).join(''), chars.map((c, i) => (i === 0 ? (c === 'a' ? 'b' : 'a') : c)).join(''));
    const pickd = options.filter((o) => o !== s);
    return JSON.stringify(rng.pick(pickd));
  }
  if (t === 'true') return 'false';
  if (t === 'false' || t === 'null') return rng.pick(['true', '"0"', '"x"']);
  if (t.startsWith('[') || t.startsWith('{')) return '"tampered"';
  if (/^-?[0-9]+$/.test(t) && t.replace('-', '').length <= 18) return (BigInt(t) + BigInt(rng.pick([1, -1, 10, 1000]))).toString();
  const v = Number(t);
  if (!Number.isFinite(v)) return '1.5';
  const w = v > 0 || Object.is(v, 0) ? 2 * v + 1 : 3 * v - 1; // far from v at 14 digits
  if (!Number.isFinite(w)) return w > 0 ? '1e400' : '-1e400';
  const s = String(w);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
