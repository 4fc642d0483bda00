// sign()/signingString() on JavaScript-only inputs, against real PHP (tests/php/sign-batch.php,
// one php process for the whole corpus):
//
//   node --test tests/php/adversarial.test.mjs     (needs php and a built pkg/)
//
// The truth for a parameter object is PHP's signature over the body JSON.stringify writes for
// it, as a caller who signs with sign() and sends JSON.stringify({ ...params, sign }) sends it
// (a BigInt, which JSON.stringify refuses, is written as the SDK documents: within int64 an
// integer literal, beyond it a string of its digits). The inputs are what JSON.stringify reads
// in its own way: getters, toJSON (called once, with the field's name), Date, boxed primitives,
// class instances, typed arrays, holes, integer-like and `__proto__` names, numbers whose
// JavaScript digits are not their exact ones (2**60), nesting near PHP's depth limit, and runs
// of calls with the same names (the fast path keeps the last names' signing order).
//
// Every case must either sign exactly as PHP does (sign, signingString and signJson of the
// body), or, when it holds a value with no faithful JSON form (NaN, a function, a Map, a lone
// surrogate, a cycle, a throwing getter, ...), when JSON.stringify throws, or when PHP cannot
// decode the body, throw a ValidationError whose issues name a field and a rule. sign (fast
// path) and signingString (full path) must always agree, errors included.
//
// Deterministic: OBMENNIK_ORACLE_SEED=<n> reproduces a run; OBMENNIK_ORACLE_SCALE scales it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { Rng, SPECIAL_KEYS, SPECIAL_FLOATS, randomString, randomNumber, randomBigInt, INT64_MIN, INT64_MAX } from './gen.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG_ENTRY = join(HERE, '..', '..', 'pkg', 'node.mjs');
const SEED = Number(process.env.OBMENNIK_ORACLE_SEED ?? 0x5167a11) >>> 0;
const SCALE = Number(process.env.OBMENNIK_ORACLE_SCALE ?? 1);
const N_CASES = Math.ceil(3000 * SCALE);

const PHP = process.env.PHP_BINARY || 'php';
const hasPhp = spawnSync(PHP, ['-n', '-r', 'echo PHP_VERSION;'], { encoding: 'utf8' }).status === 0;
const skip = hasPhp ? false : process.env.CI === 'true' ? false : 'php-cli not installed (local run; fails in CI)';
if (!existsSync(PKG_ENTRY)) throw new Error(`${PKG_ENTRY} is missing: build the package first (node scripts/build.mjs)`);
const { sign, signingString, signJson, ValidationError } = await import(PKG_ENTRY);

const sha1 = (s) => createHash('sha1').update(s).digest('hex');
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

/** PHP's signature of each [key, body]: { ok, sign, str } or { ok: false, err }. */
function phpSign(pairs) {
  const dir = mkdtempSync(join(tmpdir(), 'obmennik-php-adversarial-'));
  try {
    const file = join(dir, 'cases.txt');
    writeFileSync(file, `${pairs.map(([k, body]) => `${b64(k)}\t${b64(body)}`).join('\n')}\n`);
    const r = spawnSync(PHP, ['-n', '-d', 'precision=14', '-d', 'error_reporting=0', '-d', 'display_errors=stderr',
      '-d', 'memory_limit=1G', join(HERE, 'sign-batch.php'), file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`php exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, pairs.length);
    return lines.map((line) => {
      const [tag, a, b] = line.split('\t');
      if (tag === 'OK') return { ok: true, sign: a, str: Buffer.from(b, 'base64').toString('utf8') };
      return { ok: false, err: tag === 'ERR' ? Buffer.from(a, 'base64').toString('utf8') : `decoded to a ${a}` };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The body a caller sends: JSON.stringify's text, a BigInt written as the SDK documents. */
function callerBody(params) {
  const text = JSON.stringify(params, (_, v) => (typeof v === 'bigint' ? `\u0000bigint:${v}` : v));
  if (text === undefined) throw new TypeError('JSON.stringify wrote nothing');
  return text.replace(/"\\u0000bigint:(-?[0-9]+)"/g, (_, d) => (BigInt(d) >= INT64_MIN && BigInt(d) <= INT64_MAX ? d : `"${d}"`));
}

function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: e, text: `${e?.name}: ${e?.message}` };
  }
}

// ---------------------------------------------------------------------------------------
// Values: each a factory (a fresh value per call, since getters and toJSON may count) and
// whether it has no faithful JSON form (the SDK must refuse it).
// ---------------------------------------------------------------------------------------

class Point {
  constructor(x) {
    this.x = x;
  }
}
class Empty {}
const UNDEFINED = () => undefined;
const LONE = ['\ud800', '\udfff', 'a\udc00b', 'x\ud83d', '\ude00y'];

/** [factory, bad] for a value of a field, nested `depth` levels down. */
function valueMaker(rng, depth = 0) {
  const good = (f) => [f, false];
  const bad = (f) => [f, true];
  const r = rng.int(100);
  if (r < 14) { const s = randomString(rng); return good(() => s); }
  if (r < 28) {
    const n = rng.chance(0.3) ? rng.pick([-0, 2 ** 60, -(2 ** 62), 2 ** 63 - 1024, -(2 ** 63), 2 ** 63, 2 ** 53 + 2,
      Number.MAX_SAFE_INTEGER + 2, 1e21, 1e22, -1e21, 5e-324, 0.1 + 0.2, 1e15, 1e16, 1e15 + 0.5, 999999999999999,
      9.2e18, 9.3e18, 1e19, 290273637009233664, 123456789012345680000]) : rng.chance(0.5) ? rng.pick(SPECIAL_FLOATS) : randomNumber(rng);
    return good(() => n);
  }
  if (r < 33) { const b = randomBigInt(rng); return good(() => b); }
  if (r < 36) { const b = rng.chance(0.5); return good(() => b); }
  if (r < 39) return good(() => null);
  if (r < 41) { const t = rng.pick([0, 1e12, -1, 8.64e15]); return good(() => new Date(t)); }
  if (r < 42) return good(() => new Date(NaN)); // toJSON gives null
  if (r < 45) {
    const v = rng.pick([5, -0, 1.5, 2 ** 60, 'boxed', '', true, false]);
    return good(() => Object(v));
  }
  if (r < 47) {
    const v = rng.pick([1, 'x', null, 2 ** 60, [1], { a: 1 }]);
    // toJSON gets the field's name (an index for an array item); what it returns is sent.
    return good(() => ({ ignored: 1, toJSON(k) { return typeof v === 'string' ? `${v}:${k}` : v; } }));
  }
  if (r < 49) { const x = rng.int(5); return good(() => new Point(x)); }
  if (r < 50) return good(() => new Uint8Array([1, 2]));
  if (r < 52) return good(() => ({ toJSON: 'not a method', b: 1 })); // a field named toJSON
  if (r < 62 && depth < 4) {
    const n = rng.int(4);
    const items = Array.from({ length: n }, () => (rng.chance(0.1) ? [UNDEFINED, false] : valueMaker(rng, depth + 1)));
    const isBad = items.some(([, b]) => b);
    if (!isBad && rng.chance(0.2)) items.push([UNDEFINED, false]);
    if (rng.chance(0.5)) {
      const holes = rng.chance(0.2);
      return [() => { const a = items.map(([f]) => f()); if (holes) a.length += 2; return a; }, isBad];
    }
    const keys = items.map(() => pickKey(rng));
    const bareProto = rng.chance(0.2);
    // A repeated name holds its last value.
    const last = new Map(keys.map((k, i) => [k.name, items[i][1]]));
    return [() => {
      const o = bareProto ? Object.create(null) : {};
      items.forEach(([f], i) => define(o, keys[i].name, f()));
      return o;
    }, keys.some((k, i) => k.bad && items[i][0] !== UNDEFINED) || [...last.values()].some((b) => b)];
  }
  // Factories make the same value every time: every random choice is made here.
  const levels = rng.pick([1, 2, 100, 509, 510]);
  const tooMany = rng.pick([511, 512, 600]);
  const asObject = rng.chance(0.5);
  if (r < 64) return good(() => deep(levels, asObject));
  if (r < 65) return bad(() => deep(tooMany, asObject));
  if (rng.chance(0.7)) { const s = randomString(rng); return good(() => s); }
  // Values with no faithful JSON form.
  const which = rng.int(22);
  const lone = rng.pick(LONE);
  return bad(() => [
    () => NaN, () => Infinity, () => -Infinity, () => new Number(NaN), () => lone, () => new String('\ud800'),
    () => () => 1, () => Symbol('s'), () => new Map([[1, 2]]), () => new Set([1]), () => new Empty(),
    () => new Uint8Array(0), () => ({ a: 1, f() {} }), () => ({ a: 1, s: Symbol('s') }), () => [1, NaN],
    () => ({ toJSON() { return undefined; } }), () => ({ toJSON() { throw new Error('toJSON failed'); } }),
    () => ({ toJSON() { return new Date(0); } }), () => ({ ['k\ud800']: 1 }), () => Object(5n),
    () => { const o = { a: 1 }; o.self = o; return o; }, () => { const a = [1]; a.push([a]); return a; },
  ][which]());
}

function deep(levels, asObject) {
  let v = 1;
  for (let i = 0; i < levels; i++) v = asObject ? { k: v } : [v];
  return v;
}

/** Sets `o[name]` as an own enumerable field, `__proto__` included. */
function define(o, name, value) {
  Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
}

const KEY_POOL = [...SPECIAL_KEYS, '10', '2', '-1', '01', '1.0', ' 1', '4294967294', '4294967295', '4294967296',
  '__proto__', 'toString', 'constructor', 'hasOwnProperty', 'a\u0000', '\u0000', '😀', '\ud83d\ude00x', 'sign'];

function pickKey(rng) {
  if (rng.chance(0.02)) return { name: rng.pick(['k\ud800', '\udc00']), bad: true };
  return { name: rng.chance(0.6) ? rng.pick(KEY_POOL) : `f${rng.int(50)}`, bad: false };
}

/** A parameter set: fields (name, how it is held, value factory) in order. */
function genFields(rng) {
  const n = rng.chance(0.05) ? rng.range(30, 80) : rng.range(1, 10);
  const fields = [];
  for (let i = 0; i < n; i++) {
    const key = pickKey(rng);
    const [make, bad] = valueMaker(rng);
    const how = rng.chance(0.08) ? 'getter' : rng.chance(0.02) ? 'throwing getter' : rng.chance(0.04) ? 'undefined' : 'value';
    fields.push({ name: key.name, badName: key.bad, make, bad, how });
  }
  return fields;
}

function build(fields) {
  const o = {};
  for (const f of fields) {
    if (f.how === 'getter') Object.defineProperty(o, f.name, { get: f.make, enumerable: true, configurable: true });
    else if (f.how === 'throwing getter') Object.defineProperty(o, f.name, { get() { throw new Error(`getter of ${f.name}`); }, enumerable: true, configurable: true });
    else define(o, f.name, f.how === 'undefined' ? undefined : f.make());
  }
  // Not sent by JSON.stringify, not signed.
  Object.defineProperty(o, 'hidden', { value: NaN, enumerable: false });
  o[Symbol('s')] = () => 1;
  return o;
}

/** Whether the SDK must refuse the fields: the last field of each name decides its value. */
function mustRefuse(fields) {
  const last = new Map();
  for (const f of fields) last.set(f.name, f);
  for (const f of last.values()) {
    if (f.how === 'undefined') continue;
    if (f.badName || f.how === 'throwing getter' || f.bad) return true;
  }
  return false;
}

/** A run of cases: a parameter set, then variants with the same names (the fast path's kept
 * order), the same names in another order, one name changed, one deleted and re-added. */
function genCases(rng, count) {
  const cases = [];
  while (cases.length < count) {
    const fields = genFields(rng);
    cases.push(fields);
    const renew = (f) => { const [make, bad] = valueMaker(rng); return { ...f, make, bad }; };
    for (let v = rng.int(4); v > 0; v--) {
      switch (rng.int(5)) {
        case 0: cases.push(fields.map(renew)); break; // same names, same order, new values
        case 1: cases.push([...fields].sort(() => rng.next() - 0.5)); break;
        case 2: { const c = [...fields]; const i = rng.int(c.length); c[i] = { ...c[i], name: `${c[i].name}x` }; cases.push(c); break; }
        case 3: { const c = [...fields]; const i = rng.int(c.length); c.push(c.splice(i, 1)[0]); cases.push(c); break; }
        default: cases.push(fields); // the same again
      }
    }
  }
  return cases.slice(0, count);
}

const KEYS = ['KKKeeey', 'TEST:key', 'TEST ключ', 'TEST_😀'];

test(`sign(params): ${N_CASES} adversarial JS parameter sets sign as PHP does over JSON.stringify's body, or are refused`, { skip }, () => {
  const rng = new Rng(SEED);
  const cases = genCases(rng, N_CASES).map((fields) => ({ fields, key: rng.pick(KEYS), refuse: mustRefuse(fields) }));
  // The body first, on fresh objects (a getter may count its reads).
  for (const c of cases) {
    const r = outcome(() => callerBody(build(c.fields)));
    c.body = r.error ? null : r.value;
  }
  const php = phpSign(cases.map((c) => [c.key, c.body ?? '{']));
  const failures = [];
  let signed = 0;
  let refused = 0;
  cases.forEach((c, i) => {
    const fast = outcome(() => sign(build(c.fields), c.key));
    const full = outcome(() => signingString(build(c.fields), c.key));
    const problem = (what) => failures.push({ what, params: build(c.fields), body: c.body, php: php[i].ok ? php[i].str : php[i].err,
      signingString: full.error ? full.text : full.value, sign: fast.error ? fast.text : fast.value });
    if (fast.error || full.error) {
      if (fast.text !== full.text) return problem('sign and signingString throw differently');
      const e = full.error;
      if (!(e instanceof ValidationError) || !e.issues?.length || !e.issues.every((x) => x.field !== undefined && x.rule)) return problem('not a ValidationError naming a field and a rule');
      if (!e.issues.every((x) => x.rule.length <= 200)) return problem('a rule too long to read');
      if (c.refuse === false && c.body !== null && php[i].ok) return problem('refused a value PHP signs');
      refused++;
      return;
    }
    if (fast.value !== sha1(full.value)) return problem('sign (fast path) differs from sha1(signingString)');
    if (c.refuse === true || c.body === null || !php[i].ok) return problem('signed what has no faithful JSON form, or what PHP cannot decode');
    if (full.value !== php[i].str) return problem('signing string differs from PHP over JSON.stringify\'s body');
    if (signJson(c.body, c.key) !== php[i].sign) return problem('signJson of the body differs from PHP');
    signed++;
  });
  if (failures.length) {
    const show = (v) => inspect(v, { depth: 4, maxStringLength: 300, breakLength: 140 });
    assert.fail(`${failures.length} of ${cases.length} cases wrong (seed ${SEED}):\n${failures.slice(0, 5).map((f) => show(f)).join('\n\n')}`);
  }
  // Both outcomes are exercised.
  assert.ok(signed > cases.length / 3 && refused > cases.length / 10, `signed ${signed}, refused ${refused}`);
});

test('sign(params): the inputs a caller may hand over instead of a parameter object are refused', () => {
  for (const p of [[1, 2], null, undefined, 'a=1', 5, new Map([['a', 1]]), new Point(1), new Date(0), () => 1,
    { a: 1, toJSON() { return { a: 1, b: 2 }; } }, Object.defineProperty({ a: 1 }, 'toJSON', { value: () => ({ b: 2 }) })]) {
    for (const f of [sign, signingString]) {
      const r = outcome(() => f(p, 'KKKeeey'));
      assert.ok(r.error instanceof ValidationError && /^params: /.test(r.error.issues[0].field + ': '), `${f.name}(${inspect(p)}): ${r.text}`);
    }
  }
});
