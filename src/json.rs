//! JSON read the way PHP 8's `json_decode($text, true)` reads it, and written back so that
//! PHP reads the same values: the gateway signs what it decodes, so the SDK must too.
//!
//! A general JSON library will not do: PHP keeps an integer literal that fits in 64 bits as
//! an integer and makes every other number a float (`1.0`, `1e2`, `9223372036854775808`),
//! reads `1e400` as `INF` instead of failing, and nests up to 511 arrays or objects.

use crate::php::{PhpString, PhpValue};
use std::borrow::Cow;

/// PHP's default `json_decode` depth. A scalar is one level, so at most 511 arrays or
/// objects nest.
pub const MAX_DEPTH: usize = 512;

/// Why a text is not JSON, with the byte offset where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} at byte {offset}")]
pub struct JsonError {
    pub reason: &'static str,
    pub offset: usize,
}

/// A value as read from a JSON text: strings borrow from the text unless they hold escapes,
/// so reading a callback allocates little more than its list of fields. Objects keep every
/// member in arrival order, repeated keys included (`entries` and `into_php` apply PHP's rule).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Object(Members<'a>),
    List(Vec<Value<'a>>),
}

/// An object's members as read, in arrival order, repeated keys included.
pub type Members<'a> = Vec<(Cow<'a, str>, Value<'a>)>;

/// A JSON text read the way PHP's `json_decode($text, true)` reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Read<'a> {
    pub value: Value<'a>,
    /// True when the runtime's `JSON.parse` of this text builds the same JS value as
    /// `js::php_to_js(&value.into_php())`: no integer beyond 2^53 (a `BigInt` there), no
    /// `-0` integer literal (PHP's int 0, `JSON.parse`'s -0), and no number literal of more
    /// than 20 digits (where ECMAScript lets `JSON.parse` round differently).
    pub same_in_js: bool,
}

/// [`JsonError::reason`] for a whole value followed by more text; its `offset` is where the
/// value (and the whitespace after it) ends.
pub const TRAILING_TEXT: &str = "unexpected text after the JSON value";

/// Reads `text` as PHP's `json_decode($text, true)` does, or says why PHP would return null.
pub fn read(text: &str) -> Result<Read<'_>, JsonError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        same_in_js: true,
    };
    reader.skip_ws();
    let value = reader.value(0)?;
    reader.skip_ws();
    if reader.pos != reader.bytes.len() {
        return Err(reader.fail(TRAILING_TEXT));
    }
    Ok(Read {
        value,
        same_in_js: reader.same_in_js,
    })
}

/// Decodes `text` as PHP's `json_decode($text, true)` does, or says why PHP would return null.
pub fn decode(text: &str) -> Result<PhpValue, JsonError> {
    read(text).map(|r| r.value.into_php())
}

impl<'a> Value<'a> {
    /// The owned PHP value: strings copied, each object key once (first place, last value).
    pub fn into_php(self) -> PhpValue {
        match self {
            Value::Null => PhpValue::Null,
            Value::Bool(b) => PhpValue::Bool(b),
            Value::Int(i) => PhpValue::Int(i),
            Value::Float(f) => PhpValue::Float(f),
            Value::Str(s) => PhpValue::Str(s.into_owned()),
            Value::Object(members) => PhpValue::Array(
                entries(members)
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_php()))
                    .collect(),
            ),
            Value::List(items) => PhpValue::List(items.into_iter().map(Value::into_php).collect()),
        }
    }
}

impl PhpString for Value<'_> {
    fn push_php_bytes(&self, out: &mut impl crate::php::Sink) {
        match self {
            Value::Null | Value::Bool(false) => {}
            Value::Str(s) => out.put(s.as_bytes()),
            Value::Bool(true) => out.put_byte(b'1'),
            Value::Int(i) => crate::php::put_i64(out, *i),
            Value::Float(f) => out.put(crate::php::php_float_ascii(*f).as_bytes()),
            Value::Object(_) | Value::List(_) => out.put(b"Array"),
        }
    }
}

/// An object's members as the PHP array it decodes to: a repeated key keeps its first
/// place and takes its last value.
pub fn entries<K: AsRef<str>, V>(mut members: Vec<(K, V)>) -> Vec<(K, V)> {
    let mut order = KeyOrder::new();
    let name = |i: usize| {
        members
            .get(i)
            .map_or(&b""[..], |(k, _)| k.as_ref().as_bytes())
    };
    order.sort(members.len(), |i| head_of(name(i)), name);
    let mut moves = Vec::new();
    let mut keep = vec![true; members.len()];
    // Equal keys are adjacent, in arrival order: the first of each run takes the last value.
    let mut first = 0;
    for at in 0..order.len() {
        if order.repeats(at, name) {
            keep[order.index(at + 1)] = false;
        } else {
            if at > first {
                moves.push((order.index(first), order.index(at)));
            }
            first = at + 1;
        }
    }
    if moves.is_empty() {
        return members;
    }
    // Equal keys, so swapping whole members moves the last value into the first place.
    for (first, last) in moves {
        members.swap(first, last);
    }
    let mut i = 0;
    members.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    members
}

/// Keys put in `ksort($data, SORT_STRING)` order: PHP compares keys with strcmp, bytes, not
/// UTF-16 units or numbers; equal keys stay in arrival order. Each key is one `u64`: its
/// first bytes big-endian, zero-padded (a shorter key sorts before any byte), with its
/// arrival index in the low bits, so sorting is plain integer compares and moves; keys whose
/// first bytes tie are then put in order by their whole bytes. Kept between calls, it
/// allocates nothing once warm.
pub(crate) struct KeyOrder {
    keys: Vec<u64>,
    /// Bits of the index: 8 up to 256 keys, so 7 bytes of each key decide most comparisons.
    shift: u32,
}

/// A key's first 8 bytes as a big-endian number, zero-padded.
pub(crate) fn head_of(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(first) => u64::from_be_bytes(*first),
        None => (bytes.iter().enumerate()).fold(0, |h, (i, &b)| h | (b as u64) << (56 - 8 * i)),
    }
}

/// `head_of(&source[at..at + len])`, reading one whole word of `source` where it has one.
pub(crate) fn head_within(source: &[u8], at: usize, len: usize) -> u64 {
    match source.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        Some(word) if len < 8 => u64::from_be_bytes(*word) & !(u64::MAX >> (8 * len)),
        Some(word) => u64::from_be_bytes(*word),
        None => head_of(source.get(at..at + len).unwrap_or_default()),
    }
}

impl KeyOrder {
    pub const fn new() -> Self {
        KeyOrder {
            keys: Vec::new(),
            shift: 8,
        }
    }

    /// Puts keys `0..n` in order: `head(i)` is key i's `head_of`, `name(i)` its bytes.
    pub fn sort<'k>(
        &mut self,
        n: usize,
        head: impl Fn(usize) -> u64,
        name: impl Fn(usize) -> &'k [u8],
    ) {
        self.shift = match n {
            0..=0x100 => 8,
            0x101..=0x1_0000 => 16,
            0x1_0001..=0x100_0000 => 24,
            _ => 32,
        };
        let shift = self.shift;
        self.keys.clear();
        self.keys
            .extend((0..n).map(|i| head(i) >> shift << shift | i as u64));
        sort(&mut self.keys, |a, b| a < b);
        // Runs whose first bytes tie: by the whole key, then by arrival.
        let mask = (1u64 << shift) - 1;
        let index = |key: &u64| (key & mask) as usize;
        let mut start = 0;
        while let Some(&first) = self.keys.get(start) {
            let run = self.keys[start..]
                .iter()
                .take_while(|&&key| key >> shift == first >> shift)
                .count();
            if run > 1 {
                sort(&mut self.keys[start..start + run], |a, b| {
                    (name(index(a)), a) < (name(index(b)), b)
                });
            }
            start += run;
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Where the key at place `at` of the order arrived.
    pub fn index(&self, at: usize) -> usize {
        self.keys
            .get(at)
            .map_or(0, |key| (key & ((1u64 << self.shift) - 1)) as usize)
    }

    /// Whether the key at place `at + 1` is the same key as the one at `at`.
    pub fn repeats<'k>(&self, at: usize, name: impl Fn(usize) -> &'k [u8]) -> bool {
        match (self.keys.get(at), self.keys.get(at + 1)) {
            (Some(a), Some(b)) => {
                a >> self.shift == b >> self.shift
                    && name(self.index(at)) == name(self.index(at + 1))
            }
            _ => false,
        }
    }

    /// Lets go of a large buffer.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.keys.shrink_to(1024);
    }
}

/// Insertion sort for the usual few dozen keys, heapsort beyond (a hostile body of thousands
/// of keys stays O(n log n)): core's sort is 6 KB of wasm for each element type.
fn sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    if v.len() <= 64 {
        for i in 1..v.len() {
            let x = v[i];
            let mut j = i;
            while j > 0 && less(&x, &v[j - 1]) {
                v[j] = v[j - 1];
                j -= 1;
            }
            v[j] = x;
        }
        return;
    }
    let n = v.len();
    for start in (0..n / 2).rev() {
        sift_down(v, start, n, &less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &less);
    }
}

fn sift_down<T: Copy>(v: &mut [T], mut root: usize, end: usize, less: &impl Fn(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

/// The length of the run of `bytes` before a `"`, a `\\` or a control character, eight
/// bytes at a time (byte by byte for the last few).
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A high bit set where a byte of `x` is zero; a borrow can also set one in a higher
    // byte, but only above a true match, so the lowest set bit is always the first match.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let v = u64::from_le_bytes(chunk);
        let special = zero(v ^ (ONES * b'"' as u64))
            | zero(v ^ (ONES * b'\\' as u64))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if special != 0 {
            return i + special.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    let rest = &bytes[i..];
    i + rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(rest.len())
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    same_in_js: bool,
}

impl<'a> Reader<'a> {
    fn fail(&self, reason: &'static str) -> JsonError {
        JsonError {
            reason,
            offset: self.pos,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        match self.bytes.get(self.pos) {
            None => Err(self.fail("unexpected end of input")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.list(depth + 1),
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("unexpected character")),
        }
    }

    fn literal(&mut self, word: &'static str, value: Value<'a>) -> Result<Value<'a>, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.fail("invalid literal"))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            Err(self.fail("nesting deeper than 511 arrays or objects"))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        members.reserve(16);
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.fail("expected a string key"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.fail("expected ':'"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.fail("expected ',' or '}'")),
            }
        }
    }

    fn list(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::List(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::List(items));
                }
                _ => return Err(self.fail("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<Value<'a>, JsonError> {
        let start = self.pos;
        let mut is_int = true;
        let negative = self.bytes.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        let digits_from = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.fail("invalid number")),
        }
        let int_digits = self.pos - digits_from;
        let mut frac_digits = 0;
        if self.bytes.get(self.pos) == Some(&b'.') {
            is_int = false;
            self.pos += 1;
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            let from = self.pos;
            self.digits();
            frac_digits = self.pos - from;
        }
        let mantissa_end = self.pos;
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            is_int = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
        }
        if int_digits + frac_digits > 20 {
            self.same_in_js = false;
        }
        if is_int {
            // 19 digits always fit in u64 (2^63 itself is i64::MIN's magnitude); a longer
            // literal is a float. (No checked_mul: on wasm32 it is a 128-bit multiply.)
            let digits = &self.bytes[digits_from..mantissa_end];
            let magnitude = (digits.len() <= 19)
                .then(|| digits.iter().fold(0u64, |v, &d| v * 10 + (d - b'0') as u64));
            let int = magnitude.and_then(|m| {
                if negative {
                    0i64.checked_sub_unsigned(m)
                } else {
                    i64::try_from(m).ok()
                }
            });
            if let Some(i) = int {
                const MAX_SAFE: i64 = (1 << 53) - 1;
                if !(-MAX_SAFE..=MAX_SAFE).contains(&i) || (negative && i == 0) {
                    self.same_in_js = false;
                }
                return Ok(Value::Int(i));
            }
        }
        // Correctly rounded, ±inf on overflow, as zend_strtod reads it.
        crate::float::parse(&self.bytes[start..self.pos])
            .map(Value::Float)
            .ok_or_else(|| self.fail("invalid number"))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.pos += 1;
        // Most strings have no escapes: borrow them from the text.
        let len = plain_run(&self.bytes[self.pos..]);
        if self.bytes.get(self.pos + len) == Some(&b'"') {
            // `text` is a &str and the run ends on an ASCII byte: a char boundary.
            let s = self.text.get(self.pos..self.pos + len).unwrap_or_default();
            self.pos += len + 1;
            return Ok(Cow::Borrowed(s));
        }
        // Room for the usual escaped string (a title in `\uXXXX`s, a URL with `\/`s) without
        // growing it piece by piece: reallocations were a tenth of reading a direction list.
        let mut out = String::with_capacity(len + 48);
        loop {
            let run_start = self.pos;
            self.pos += plain_run(&self.bytes[self.pos..]);
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.bytes.get(self.pos) {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.fail("control character in string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let c = match self.bytes.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.fail("unpaired UTF-16 surrogate"));
                    }
                    self.pos += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.fail("unpaired UTF-16 surrogate"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..0xE000).contains(&high) {
                    return Err(self.fail("unpaired UTF-16 surrogate"));
                } else {
                    high
                };
                out.push(char::from_u32(code).ok_or_else(|| self.fail("invalid escape"))?);
                return Ok(());
            }
            _ => return Err(self.fail("invalid escape")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let hex = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.fail("invalid \\u escape"))?;
        let mut code = 0u32;
        for &b in hex {
            let digit = (b as char)
                .to_digit(16)
                .ok_or_else(|| self.fail("invalid \\u escape"))?;
            code = code * 16 + digit;
        }
        self.pos += 4;
        Ok(code)
    }
}

/// Writes `value` as JSON that PHP's `json_decode` reads back to the same value and kind.
/// Non-finite floats have no JSON form; callers reject them before they get here.
pub fn encode(value: &PhpValue, out: &mut String) {
    match value {
        PhpValue::Null => out.push_str("null"),
        PhpValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        PhpValue::Int(i) => crate::php::push_i64(*i, out),
        // The shortest round-trip form, as `{:?}` prints it: always a `.` or an exponent,
        // so PHP reads a float back, not an integer.
        PhpValue::Float(f) if f.is_finite() => crate::float::push_debug(*f, out),
        PhpValue::Float(_) => out.push_str("null"),
        PhpValue::Str(s) => encode_str(s, out),
        PhpValue::Array(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_str(key, out);
                out.push(':');
                encode(value, out);
            }
            out.push('}');
        }
        PhpValue::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(item, out);
            }
            out.push(']');
        }
    }
}

/// `encode` into a new string.
pub fn encode_to_string(value: &PhpValue) -> String {
    let mut out = String::new();
    encode(value, &mut out);
    out
}

/// Writes `s` as a JSON string: runs that need no escape are copied whole (the exchange
/// client writes every answer's strings through here).
pub fn encode_str(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = s.as_bytes();
    let mut at = 0;
    loop {
        let run = plain_run(&bytes[at..]);
        // A run ends on an ASCII byte or at the end: a char boundary.
        out.push_str(s.get(at..at + run).unwrap_or_default());
        at += run;
        let Some(&b) = bytes.get(at) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ => {
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
        at += 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_are_read_as_php_reads_them() {
        let cases: &[(&str, PhpValue)] = &[
            ("1", PhpValue::Int(1)),
            ("-0", PhpValue::Int(0)),
            ("1.0", PhpValue::Float(1.0)),
            ("1e2", PhpValue::Float(100.0)),
            ("9223372036854775807", PhpValue::Int(i64::MAX)),
            ("-9223372036854775808", PhpValue::Int(i64::MIN)),
            (
                "9223372036854775808",
                PhpValue::Float(9_223_372_036_854_775_808.0),
            ),
            ("1e400", PhpValue::Float(f64::INFINITY)),
            ("-1e400", PhpValue::Float(f64::NEG_INFINITY)),
        ];
        for (text, want) in cases {
            assert_eq!(&decode(text).unwrap(), want, "{text}");
        }
        assert!(
            matches!(decode("-0.0").unwrap(), PhpValue::Float(f) if f == 0.0 && f.is_sign_negative())
        );
    }

    #[test]
    fn rejects_what_php_rejects() {
        for text in [
            "",
            " ",
            "01",
            "1.",
            ".5",
            "+1",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "'a'",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"a\u{1}\"",
            "[1] x",
            "TRUE",
            "nul",
            "\"\\x\"",
            "1e",
            "-",
        ] {
            assert!(decode(text).is_err(), "{text:?} should fail");
        }
    }

    #[test]
    fn repeated_keys_keep_the_first_place_and_the_last_value() {
        let v = decode(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(
            v,
            PhpValue::Array(vec![
                ("a".into(), PhpValue::Int(3)),
                ("b".into(), PhpValue::Int(2))
            ])
        );
    }

    #[test]
    fn keys_sort_bytewise_in_both_sorts() {
        let long = "operationAmount".repeat(3);
        for n in [0usize, 1, 2, 5, 31, 32, 33, 64, 65, 100, 257, 1000, 70_000] {
            // Short keys, keys sharing long prefixes, repeated keys, and "ab" before "ab\0".
            let keys: Vec<String> = (0..n)
                .map(|i| match i % 5 {
                    0 => format!("{}", (i * 7919) % 97),
                    1 => format!("{long}{}", (i * 31) % 11),
                    2 => "ab\0".repeat(1 + i % 3),
                    3 => "ab".to_owned(),
                    _ => format!("key{}", i % 13),
                })
                .collect();
            let mut order = KeyOrder::new();
            let name = |i: usize| keys[i].as_bytes();
            order.sort(n, |i| head_of(name(i)), name);
            let mut want: Vec<(&str, usize)> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| (k.as_str(), i))
                .collect();
            want.sort();
            let got: Vec<(&str, usize)> = (0..order.len())
                .map(|at| (keys[order.index(at)].as_str(), order.index(at)))
                .collect();
            assert_eq!(got, want, "{n} keys");
            for at in 0..n.saturating_sub(1) {
                assert_eq!(order.repeats(at, name), got[at].0 == got[at + 1].0);
            }
        }
    }

    #[test]
    fn depth_limit_is_phps() {
        let ok = format!("{}{}", "[".repeat(511), "]".repeat(511));
        assert!(decode(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(512), "]".repeat(512));
        assert!(decode(&deep).is_err());
    }

    #[test]
    fn strings_unescape() {
        let v = decode(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(
            v,
            PhpValue::Str("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}".into())
        );
    }

    fn php_value() -> impl Strategy<Value = PhpValue> {
        let leaf = prop_oneof![
            Just(PhpValue::Null),
            any::<bool>().prop_map(PhpValue::Bool),
            any::<i64>().prop_map(PhpValue::Int),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(PhpValue::Float),
            ".*".prop_map(PhpValue::Str),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(PhpValue::List),
                prop::collection::btree_map(".*", inner, 0..4)
                    .prop_map(|m| PhpValue::Array(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// What the SDK writes, PHP reads back unchanged: same values, same int/float kinds.
        #[test]
        fn encode_then_decode_is_identity(value in php_value()) {
            let text = encode_to_string(&value);
            let back = decode(&text).unwrap();
            prop_assert_eq!(encode_to_string(&back), text);
        }

        /// Strings come back as written; `"`, `\`, `\n`, `\r`, `\t` get their short
        /// escapes and other control characters `\u00XX`, as before runs were copied whole.
        #[test]
        fn encode_str_escapes_what_json_needs(text in "(\\PC|[\u{0}-\u{1f}\"\\\\])*") {
            let mut out = String::new();
            encode_str(&text, &mut out);
            prop_assert_eq!(decode(&out).unwrap(), PhpValue::Str(text.clone()));
            let mut want = String::from('"');
            for c in text.chars() {
                match c {
                    '"' => want.push_str("\\\""),
                    '\\' => want.push_str("\\\\"),
                    '\n' => want.push_str("\\n"),
                    '\r' => want.push_str("\\r"),
                    '\t' => want.push_str("\\t"),
                    c if (c as u32) < 0x20 => want.push_str(&format!("\\u{:04x}", c as u32)),
                    c => want.push(c),
                }
            }
            want.push('"');
            prop_assert_eq!(out, want);
        }

        #[test]
        fn decode_never_panics(text in ".{0,64}") {
            let _ = decode(&text);
        }
    }
}
