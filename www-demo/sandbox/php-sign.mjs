// PHP-exact request decoding and signing, as the "api2" gateway (PHP 8) does it.
//
// This is the sandbox's own implementation, written from PHP's behaviour and kept
// independent of the SDK on purpose: the SDK's tests run against it, so a shared bug
// would hide itself.
//
// Value model (what PHP would hold after decoding a request):
//   string  -> PHP string        bigint -> PHP int        number -> PHP float
//   boolean -> PHP bool          null   -> PHP null       array/object -> PHP array
// A JS number is always treated as a PHP float: 2 and 2.0 are the same float, and a
// float formats as "2" anyway; pass a bigint where PHP holds an int above 1e15.

import { createHash } from 'node:crypto';

/** `(string)$float` under `precision = 14`, or json_encode's float form for precision -1. */
export function phpFloatToString(value, precision = 14, expChar = 'E') {
  if (Number.isNaN(value)) return 'NAN';
  if (!Number.isFinite(value)) return value < 0 ? '-INF' : 'INF';
  const negative = value < 0 || Object.is(value, -0);
  // php_gcvt: mode 0 (shortest round-trip) when precision < 0, then it thresholds at 17.
  const ndigit = precision < 0 ? 17 : precision;
  const { digits, decpt } =
    precision < 0 ? shortestDigits(Math.abs(value)) : roundedDigits(Math.abs(value), precision);
  let out = negative ? '-' : '';
  if (decpt < 0 ? decpt < -3 : decpt > ndigit) {
    // Exponential form, always with a fraction: 1.0E+15, 1.0E-5, 1.2345678901235E+17.
    const exp = decpt - 1;
    out += digits[0] + '.' + (digits.length > 1 ? digits.slice(1) : '0');
    return out + expChar + (exp < 0 ? '-' : '+') + Math.abs(exp);
  }
  if (decpt <= 0) return out + '0.' + '0'.repeat(-decpt) + digits;
  if (digits.length <= decpt) return out + digits + '0'.repeat(decpt - digits.length);
  return out + digits.slice(0, decpt) + '.' + digits.slice(decpt);
}

// zend_dtoa mode 0: the shortest digits that read back as the same double (JS gives those).
function shortestDigits(x) {
  if (x === 0) return { digits: '0', decpt: 1 };
  const [mantissa, exp] = x.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), decpt: Number(exp) + 1 };
}

// zend_dtoa mode 2: `precision` significant digits of the exact binary value, rounded half
// to even. Trailing zeros are dropped, except in dtoa's "small integer" path: an integral
// value below 1e15 that is an exact tie rounded down keeps them, so PHP prints
// 100000000000005.0 as "1.0000000000000E+14" (but 1e14 as "1.0E+14").
function roundedDigits(x, precision) {
  if (x === 0) return { digits: '0', decpt: 1 };
  let { digits, decpt } = exactDigits(x);
  let keepZeros = false;
  if (digits.length > precision) {
    const rest = digits.slice(precision);
    let head = digits.slice(0, precision);
    const tie = rest[0] === '5' && /^50*$/.test(rest);
    const up = rest[0] > '5' || (rest[0] === '5' && !tie) || (tie && Number(head.at(-1)) % 2 === 1);
    if (up) {
      const bumped = (BigInt(head) + 1n).toString();
      if (bumped.length > head.length) decpt += 1;
      head = bumped.slice(0, precision);
    } else {
      keepZeros = tie && Number.isInteger(x) && x < 1e15;
    }
    digits = head;
  }
  if (!keepZeros) digits = digits.replace(/0+$/, '') || '0';
  return { digits, decpt };
}

// Every double is m * 2^e exactly; expand that into decimal digits with BigInt.
function exactDigits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  if (e >= 0) {
    const digits = (m << BigInt(e)).toString();
    return { digits, decpt: digits.length };
  }
  // m / 2^k == m * 5^k / 10^k
  const digits = (m * 5n ** BigInt(-e)).toString();
  return { digits, decpt: digits.length + e };
}

/** A decoded value as PHP's implode() / string conversion turns it into a string. */
export function phpToString(value) {
  switch (typeof value) {
    case 'string': return value;
    case 'bigint': return value.toString();
    case 'number': return phpFloatToString(value);
    case 'boolean': return value ? '1' : '';
    case 'undefined': return '';
    default: return value === null ? '' : 'Array'; // nested arrays: contents are not signed
  }
}

// ksort($data, SORT_STRING) compares keys as byte strings (strcmp), not as UTF-16 units.
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `implode(':', ksort($data without sign)) . ':' . $key`: the string that gets hashed. */
export function phpSigningString(data, key) {
  const keys = Object.keys(data).filter((k) => k !== 'sign').sort(byteOrder);
  return keys.map((k) => phpToString(data[k])).concat(key).join(':');
}

/** sha1 of phpSigningString, lowercase hex, as PHP's sha1(). */
export function phpSign(data, key) {
  return createHash('sha1').update(phpSigningString(data, key), 'utf8').digest('hex');
}

const MAX_DEPTH = 512; // PHP json_decode's default nesting limit
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * json_decode($text, true): objects become null-prototype objects (PHP arrays), integer
 * literals that fit in 64 bits become bigint, every other number a float (JS number).
 * Throws SyntaxError where PHP would return null with an error.
 */
export function parsePhpJson(text) {
  let pos = 0;
  let depth = 0;
  const fail = (what) => {
    throw new SyntaxError(`invalid JSON: ${what} at offset ${pos}`);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const expect = (word, value) => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return fail('unexpected token');
  };
  const parseString = () => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const ch = text[pos++];
      if (ch === '"') return out;
      if (ch < ' ') fail('control character in string');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = text[pos++];
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc in simple) out += simple[esc];
      else if (esc === 'u') out += parseUnicodeEscape();
      else fail('bad escape');
    }
  };
  const hex4 = () => {
    const h = text.slice(pos, pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('bad \\u escape');
    pos += 4;
    return parseInt(h, 16);
  };
  // PHP rejects unpaired UTF-16 surrogates (JSON_ERROR_UTF16).
  const parseUnicodeEscape = () => {
    const unit = hex4();
    if (unit >= 0xdc00 && unit <= 0xdfff) fail('lone low surrogate');
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit);
    if (!text.startsWith('\\u', pos)) fail('lone high surrogate');
    pos += 2;
    const low = hex4();
    if (low < 0xdc00 || low > 0xdfff) fail('lone high surrogate');
    return String.fromCharCode(unit, low);
  };
  const parseNumber = () => {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (!m) fail('bad number');
    pos = NUMBER.lastIndex;
    if (m[1] === undefined && m[2] === undefined) {
      const n = BigInt(m[0]);
      if (n >= INT64_MIN && n <= INT64_MAX) return n;
    }
    return Number(m[0]); // zend_strtod is correctly rounded, as Number() is; overflow -> INF
  };
  const parseValue = () => {
    skipSpace();
    const ch = text[pos];
    if (ch === '{' || ch === '[') {
      if (++depth > MAX_DEPTH) fail('nesting too deep');
      const value = ch === '{' ? parseObject() : parseArray();
      depth--;
      return value;
    }
    if (ch === '"') return parseString();
    if (ch === 't') return expect('true', true);
    if (ch === 'f') return expect('false', false);
    if (ch === 'n') return expect('null', null);
    return parseNumber();
  };
  const parseObject = () => {
    pos++;
    const obj = Object.create(null); // so a "__proto__" key is just a key, as in PHP
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return obj;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail('expected key');
      const key = parseString();
      skipSpace();
      if (text[pos++] !== ':') fail('expected colon');
      obj[key] = parseValue(); // a repeated key keeps its first place, takes the last value
      skipSpace();
      const sep = text[pos++];
      if (sep === '}') return obj;
      if (sep !== ',') fail('expected , or }');
    }
  };
  const parseArray = () => {
    pos++;
    const arr = [];
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return arr;
    }
    for (;;) {
      arr.push(parseValue());
      skipSpace();
      const sep = text[pos++];
      if (sep === ']') return arr;
      if (sep !== ',') fail('expected , or ]');
    }
  };
  const value = parseValue();
  skipSpace();
  if (pos !== text.length) fail('trailing data');
  return value;
}

/**
 * The media type by which PHP picks a $_POST reader (SAPI's sapi_read_post_data): the
 * Content-Type header lowercased and cut at its first ';', ',' or space.
 */
export function phpPostType(contentType) {
  return String(contentType ?? '').toLowerCase().split(/[;, ]/, 1)[0];
}

/**
 * PHP's decoding of a query string or urlencoded body into $_GET / $_POST: all values are
 * strings; `a[b]=1` and `a[]=1` build nested arrays; in the top-level name, spaces and dots
 * become `_`, and a `[` with no closing `]` becomes `_` too.
 */
export function parsePhpQuery(query) {
  const out = Object.create(null);
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = urldecode(eq < 0 ? pair : pair.slice(0, eq)).replace(/^ +/, '');
    const value = eq < 0 ? '' : urldecode(pair.slice(eq + 1));
    const path = splitName(name);
    if (path) assignPath(out, path, value);
  }
  return out;
}

function urldecode(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '+') bytes.push(0x20);
    else if (ch === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

// "a.b[x][]" -> ["a_b", "x", ""]; "" marks an append; null when PHP drops the variable.
function splitName(name) {
  const open = name.indexOf('[');
  const close = open < 0 ? -1 : name.indexOf(']', open);
  if (open < 0 || close < 0) {
    const base = open < 0 ? name.replace(/[ .]/g, '_')
      : name.slice(0, open).replace(/[ .]/g, '_') + '_' + name.slice(open + 1);
    return base ? [base] : null;
  }
  const base = name.slice(0, open).replace(/[ .]/g, '_');
  if (!base) return null;
  const path = [base];
  const segment = /\[([^\]]*)\]/y;
  segment.lastIndex = open;
  for (let m; (m = segment.exec(name)); ) path.push(m[1]); // text after a `]` not followed by `[` is ignored
  return path;
}

function assignPath(root, path, value) {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] === '' && i > 0 ? String(nextIndex(node)) : path[i];
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = Object.create(null);
    node = node[key];
  }
}

// PHP's `$a[] = ...`: one past the largest integer key, or 0.
function nextIndex(node) {
  let next = 0;
  for (const k of Object.keys(node)) if (/^(0|[1-9]\d*)$/.test(k)) next = Math.max(next, Number(k) + 1);
  return next;
}

/**
 * json_encode($value) with default flags: `/` escaped, non-ASCII as \uXXXX, floats with
 * serialize_precision -1 (shortest, `1.0e+25` style), and an array with keys 0..n-1 (or
 * no keys) written as a list. A non-finite float is written as 0, as
 * JSON_PARTIAL_OUTPUT_ON_ERROR does (plain json_encode would fail). One difference stays:
 * JS objects list integer-like keys first, so such keys may come out in another order
 * than PHP's (signatures do not depend on it: they sort the keys).
 */
export function phpJsonEncode(value) {
  switch (typeof value) {
    case 'string': return encodeString(value);
    case 'bigint': return value.toString();
    case 'number': return Number.isFinite(value) ? phpFloatToString(value, -1, 'e') : '0';
    case 'boolean': return String(value);
    case 'undefined': return 'null';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return '[' + value.map(phpJsonEncode).join(',') + ']';
      {
        const keys = Object.keys(value);
        if (keys.every((k, i) => k === String(i))) {
          return '[' + keys.map((k) => phpJsonEncode(value[k])).join(',') + ']';
        }
        return '{' + keys.map((k) => encodeString(k) + ':' + phpJsonEncode(value[k])).join(',') + '}';
      }
  }
}

function encodeString(s) {
  const named = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0);
    if (named[ch]) out += named[ch];
    else if (code < 0x20 || code > 0x7f) {
      // UTF-16 units, lowercase hex, as PHP writes them
      for (let i = 0; i < ch.length; i++) out += '\\u' + ch.charCodeAt(i).toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}
