//! PHP 8 values as the gateway sees them after `json_decode($body, true)`, and PHP's
//! `(string)` conversion of each, which is what `implode(':')` signs.

/// One decoded value. Objects keep their keys in arrival order (PHP arrays are ordered);
/// signing sorts them itself.
#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A JSON array or object: both become PHP arrays, which `implode` prints as `Array`.
    Array(Vec<(String, PhpValue)>),
    /// A JSON list, kept apart from objects so it can be written back as `[...]`.
    List(Vec<PhpValue>),
}

/// PHP's `(string)$value`, as `implode` applies it, for each kind of value the SDK signs: the
/// bytes the signature hashes, appended to `out`.
pub trait PhpString {
    fn push_php_bytes(&self, out: &mut impl Sink);
}

/// Where a signing string goes: a buffer to show it, or SHA-1 straight away.
pub trait Sink {
    fn put(&mut self, bytes: &[u8]);
    fn put_byte(&mut self, byte: u8);
}

/// An integer in decimal, as PHP prints it, straight into `out`.
pub fn put_i64(out: &mut impl Sink, n: i64) {
    if n < 0 {
        out.put_byte(b'-');
    }
    out.put(crate::float::digit_string(n.unsigned_abs(), &mut [0u8; 20]));
}

impl Sink for Bytes {
    fn put(&mut self, bytes: &[u8]) {
        self.extend(bytes);
    }

    fn put_byte(&mut self, byte: u8) {
        self.push(byte);
    }
}

impl Sink for crate::sha1::Sha1 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }

    fn put_byte(&mut self, byte: u8) {
        self.push(byte);
    }
}

/// A growing byte buffer for signing strings, whose appends copy 8 bytes at a time. In wasm
/// a `memcpy` (what `Vec::extend_from_slice` becomes) is a `memory.copy`, which V8 runs as a
/// call into C costing about 7 ns whatever the length; a signing string is built from two or
/// three short pieces per field, where the word loop takes 1 to 3 ns.
#[derive(Default)]
pub struct Bytes {
    /// Zero-filled beyond `len`, and at least 8 bytes longer than `len`: whole words are
    /// stored past a piece's end and overwritten by the next one.
    buf: Vec<u8>,
    len: usize,
}

impl Bytes {
    pub const fn new() -> Self {
        Bytes {
            buf: Vec::new(),
            len: 0,
        }
    }

    /// The bytes appended so far.
    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, byte: u8) {
        self.extend(&[byte]);
    }

    pub fn extend(&mut self, piece: &[u8]) {
        self.extend_within(piece, 0, piece.len());
    }

    /// Appends `source[at..at + len]`, reading whole words of `source` where it has them
    /// (past the piece, masked off): a piece in a longer text costs one load per 8 bytes.
    pub fn extend_within(&mut self, source: &[u8], at: usize, len: usize) {
        let end = self.len + len;
        if end + 8 > self.buf.len() {
            self.buf
                .resize((end + 8).max(2 * self.buf.len()).max(256), 0);
        }
        let mut done = 0;
        while done < len {
            let from = at + done;
            let left = len - done;
            // A `memcpy`-shaped loop would be turned back into `memory.copy` by LLVM; this
            // one, with its two ways to load, is not.
            let word = match source.get(from..).and_then(<[u8]>::first_chunk::<8>) {
                Some(word) => u64::from_le_bytes(*word),
                None => (source.get(from..).unwrap_or_default().iter().take(8).rev())
                    .fold(0, |w, &b| w << 8 | b as u64),
            };
            // Past the piece: zeros, as the buffer holds beyond its length.
            let word = if left < 8 {
                word & ((1u64 << (8 * left)) - 1)
            } else {
                word
            };
            // A fixed-size store: `copy_from_slice` here would be a `memory.copy` again.
            let to = self.len + done;
            if let Some(slot) = self
                .buf
                .get_mut(to..)
                .and_then(<[u8]>::first_chunk_mut::<8>)
            {
                *slot = word.to_le_bytes();
            }
            done += 8;
        }
        self.len = end;
    }

    /// Empties the buffer, overwriting what it held (it may hold a key) first.
    pub fn wipe(&mut self) {
        let used = (self.len + 8).min(self.buf.len());
        if let Some(used) = self.buf.get_mut(..used) {
            used.fill(0);
            // The wipe must happen even though nothing reads the bytes again.
            std::hint::black_box(used);
        }
        self.len = 0;
        if self.buf.len() > 4096 {
            self.buf = Vec::new();
        }
    }
}

impl PhpValue {
    /// PHP's `(string)$value`, as `implode` applies it.
    pub fn to_php_string(&self, out: &mut String) {
        match self {
            PhpValue::Str(s) => out.push_str(s),
            other => out.push_str(php_scalar(other).as_str()),
        }
    }
}

/// `(string)` of a value that is not a string: at most 24 ASCII bytes.
fn php_scalar(value: &PhpValue) -> Ascii {
    let mut text = Ascii::default();
    match value {
        PhpValue::Null | PhpValue::Bool(false) | PhpValue::Str(_) => {}
        PhpValue::Bool(true) => text.push(b'1'),
        PhpValue::Int(i) => text.push_i64(*i),
        PhpValue::Float(f) => text = php_float_ascii(*f),
        // PHP also raises an "Array to string conversion" warning here; the string is fixed.
        PhpValue::Array(_) | PhpValue::List(_) => text.extend(b"Array"),
    }
    text
}

impl PhpString for PhpValue {
    fn push_php_bytes(&self, out: &mut impl Sink) {
        match self {
            PhpValue::Str(s) => out.put(s.as_bytes()),
            PhpValue::Int(i) => put_i64(out, *i),
            other => out.put(php_scalar(other).as_bytes()),
        }
    }
}

/// A short ASCII text built on the stack: numbers are printed here, then copied once.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ascii {
    buf: [u8; 32],
    len: usize,
}

impl Ascii {
    /// Appends a byte; the 32 bytes hold every number printed here, the longest being 21.
    pub fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    pub fn extend(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.push(b));
    }

    pub fn push_u64(&mut self, n: u64) {
        self.extend(crate::float::digit_string(n, &mut [0u8; 20]));
    }

    pub fn push_i64(&mut self, n: i64) {
        if n < 0 {
            self.push(b'-');
        }
        self.push_u64(n.unsigned_abs());
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

/// A JS number as the SDK sends it, which is as `JSON.stringify` writes it: an integral value
/// is written with JavaScript's digits (the shortest that read back, then zeros: `2**60` is
/// `1152921504606847000`, not its exact `1152921504606846976`), which PHP reads as an integer
/// when they fit in 64 bits; any other number is a float (`-2**63` is written
/// `-9223372036854776000`, beyond 64 bits). So a body made by the SDK or by `JSON.stringify`
/// decodes to the same value. Finite numbers only.
pub fn js_number_as_int(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer up to here prints exactly
    if n.fract() != 0.0 {
        return None;
    }
    if n.abs() <= EXACT {
        return Some(n as i64);
    }
    if n.abs() >= 1e21 {
        return None; // JSON.stringify switches to exponent form, a float literal
    }
    let (digits, exp) = crate::float::shortest(n.abs());
    // digits · 10^(exp + 1 - number of digits), a whole number below 1e21.
    let count = crate::float::digit_string(digits, &mut [0u8; 20]).len() as i32;
    let mut magnitude = i128::from(digits);
    for _ in 0..(exp + 1 - count).max(0) {
        magnitude *= 10;
    }
    let signed = if n < 0.0 { -magnitude } else { magnitude };
    i64::try_from(signed).ok()
}

/// A `BigInt` (its decimal digits) as the SDK sends it: within i64 an integer; beyond, PHP
/// would read a float, so it is sent as a string that keeps every digit.
pub fn bigint_as_int(decimal: &str) -> Option<i64> {
    decimal.parse::<i64>().ok()
}

/// PHP's `precision` ini setting, 14 by default, which `(string)$float` uses.
const PRECISION: u32 = 14;

/// `(string)$float` in PHP 8: `zend_gcvt(value, 14, '.', 'E')`, i.e. at most 14 significant
/// digits, correctly rounded, trailing zeros dropped, and the exponent form once the decimal
/// exponent is below -4 or at least 15 (`1.0E+15`, `1.0E-5`); `-0.0` prints as `-0`.
pub fn push_php_float(value: f64, out: &mut String) {
    out.push_str(php_float_ascii(value).as_str());
}

/// `push_php_float`'s text, on the stack.
pub(crate) fn php_float_ascii(value: f64) -> Ascii {
    let mut out = Ascii::default();
    if value.is_nan() {
        out.extend(b"NAN");
        return out;
    }
    if value.is_infinite() {
        out.extend(if value < 0.0 { b"-INF" } else { b"INF" });
        return out;
    }
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let abs = value.abs();
    if abs == 0.0 {
        out.push(b'0');
        return out;
    }
    // Exactly rounded, half to even on exact ties, as zend_dtoa's mode 2 does.
    let (mut digits, exp) = crate::float::round_to_digits(abs, PRECISION);
    // zend_dtoa's "small integer" path: a whole number of 15 digits whose last digit is an
    // exact tie that rounds down (half to even) keeps its 14 digits with their trailing zeros
    // (`100000000000005.0` prints `1.0000000000000E+14`).
    let keeps_zeros = abs.fract() == 0.0 && (1e14..1e15).contains(&abs) && {
        let whole = abs as u64;
        whole % 10 == 5 && (whole / 10) % 2 == 0
    };
    let mut len = PRECISION as usize;
    if !keeps_zeros {
        while len > 1 && digits % 10 == 0 {
            digits /= 10;
            len -= 1;
        }
    }
    let mut buf = [0u8; 20];
    let text = crate::float::digit_string(digits, &mut buf);
    // zend_gcvt's `decpt`: the value is 0.DIGITS × 10^decpt.
    let decpt = exp + 1;
    if keeps_zeros || decpt < -3 || decpt > PRECISION as i32 {
        let (first, rest) = text.split_first().unwrap_or((&b'0', &[]));
        out.push(*first);
        out.push(b'.');
        out.extend(if rest.is_empty() { b"0" } else { rest });
        out.push(b'E');
        out.push(if exp < 0 { b'-' } else { b'+' });
        out.push_u64(exp.unsigned_abs() as u64);
    } else if decpt <= 0 {
        out.extend(b"0.");
        for _ in decpt..0 {
            out.push(b'0');
        }
        out.extend(text);
    } else {
        let (whole, fraction) = text.split_at(text.len().min(decpt as usize));
        out.extend(whole);
        for _ in whole.len()..decpt as usize {
            out.push(b'0');
        }
        if !fraction.is_empty() {
            out.push(b'.');
            out.extend(fraction);
        }
    }
    out
}

/// An unsigned integer in decimal, without going through `core::fmt`.
pub fn push_u64(n: u64, out: &mut String) {
    let mut text = Ascii::default();
    text.push_u64(n);
    out.push_str(text.as_str());
}

/// An integer in decimal, as PHP prints it.
pub fn push_i64(n: i64, out: &mut String) {
    let mut text = Ascii::default();
    text.push_i64(n);
    out.push_str(text.as_str());
}

/// `(string)$float` as an owned string.
pub fn php_float(value: f64) -> String {
    let mut s = String::new();
    push_php_float(value, &mut s);
    s
}

/// `body` after the diagnostics a PHP server with `display_errors` on prints before its answer,
/// one a line, as HTML (`<br />\n<b>Warning</b>:  ... on line <b>4</b><br />\n`) or as text
/// (`\nWarning: ... on line 4\n`): the gateway's own `implode` of a nested `userInfo` warns
/// "Array to string conversion" on every such request. `body` itself when it has none.
pub fn after_diagnostics(body: &str) -> &str {
    const KINDS: [&str; 3] = ["Warning", "Notice", "Deprecated"];
    let mut rest = body;
    loop {
        let line = rest.trim_start_matches(['\r', '\n']);
        let line = line.strip_prefix("<br />").unwrap_or(line);
        let line = line.trim_start_matches(['\r', '\n']);
        let kind = line.strip_prefix("<b>").unwrap_or(line);
        let diagnostic = KINDS.iter().any(|k| {
            kind.strip_prefix(k)
                .is_some_and(|r| r.starts_with(':') || r.starts_with("</b>:"))
        });
        let end = line
            .find(" on line ")
            .and_then(|at| line[at..].find('\n').map(|n| at + n + 1));
        match end {
            Some(end) if diagnostic => rest = &line[end..],
            _ => return rest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The float table of WIRE.md part B, plus the edges of zend_gcvt's two layouts.
    #[test]
    fn float_table() {
        let table: &[(f64, &str)] = &[
            (0.1 + 0.2, "0.3"),
            (1e15, "1.0E+15"),
            (1e14, "1.0E+14"),
            (1e13, "10000000000000"),
            (0.00001, "1.0E-5"),
            (0.0001, "0.0001"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (500.52, "500.52"),
            (1e300, "1.0E+300"),
            (1e-300, "1.0E-300"),
            (123456789012345.0, "1.2345678901234E+14"),
            (12345678901234.5, "12345678901234"),
            (1234567890123.45, "1234567890123.4"),
            (0.1234567890123456, "0.12345678901235"),
            (1.5e-7, "1.5E-7"),
            (f64::INFINITY, "INF"),
            (f64::NEG_INFINITY, "-INF"),
            (f64::NAN, "NAN"),
            (9_223_372_036_854_775_808.0, "9.2233720368548E+18"),
            (99999999999999.99, "1.0E+14"),
            (0.30000000000000004, "0.3"),
            (2.5, "2.5"),
            (100.0, "100"),
            (100000000000004.0, "1.0E+14"),
            (100000000000005.0, "1.0000000000000E+14"),
            (100000000000006.0, "1.0000000000001E+14"),
            (100000000000025.0, "1.0000000000002E+14"),
            (591255649016205.0, "5.9125564901620E+14"),
            (999999999999995.0, "1.0E+15"),
            (100000000000005.5, "1.0000000000001E+14"),
        ];
        for (value, want) in table {
            assert_eq!(php_float(*value), *want, "php_float({value:e})");
        }
    }

    /// Whole numbers beyond 2^53 take the digits `JSON.stringify` writes (checked in Node).
    #[test]
    fn js_numbers_are_sent_with_javascripts_digits() {
        let cases: &[(f64, Option<i64>)] = &[
            (0.0, Some(0)),
            (-0.0, Some(0)),
            (9_007_199_254_740_991.0, Some(9_007_199_254_740_991)),
            (9_007_199_254_740_994.0, Some(9_007_199_254_740_994)),
            (2f64.powi(60), Some(1_152_921_504_606_847_000)),
            (-(2f64.powi(62)), Some(-4_611_686_018_427_388_000)),
            (2f64.powi(63) - 1024.0, Some(9_223_372_036_854_775_000)),
            (290_273_637_009_233_664.0, Some(290_273_637_009_233_660)),
            (9.2e18, Some(9_200_000_000_000_000_000)),
            // "-9223372036854776000" and "9223372036854776000": beyond 64 bits, floats
            (-(2f64.powi(63)), None),
            (2f64.powi(63), None),
            (1e20, None),
            (1e21, None),
            (0.5, None),
        ];
        for &(n, want) in cases {
            assert_eq!(js_number_as_int(n), want, "{n:e}");
        }
    }

    #[test]
    fn scalar_strings() {
        let cases = [
            (PhpValue::Null, ""),
            (PhpValue::Bool(true), "1"),
            (PhpValue::Bool(false), ""),
            (PhpValue::Int(i64::MIN), "-9223372036854775808"),
            (PhpValue::Str("a:b".into()), "a:b"),
            (PhpValue::List(vec![]), "Array"),
            (PhpValue::Array(vec![]), "Array"),
        ];
        for (value, want) in cases {
            let mut s = String::new();
            value.to_php_string(&mut s);
            assert_eq!(s, want);
        }
    }

    #[test]
    fn diagnostics_before_an_answer_are_skipped_as_php_prints_them() {
        // Real PHP 8 output of `php -d display_errors=1 -d html_errors=1|0` imploding an array.
        let html = "<br />\n<b>Warning</b>:  Array to string conversion in <b>/tmp/w.php</b> on line <b>4</b><br />\n";
        let text = "\nWarning: Array to string conversion in /tmp/w.php on line 4\n";
        let answer = "{\"result\":{\"id\":5}}";
        for prefix in [
            html,
            text,
            "",
            &format!("{html}{html}"),
            &format!("{text}{text}"),
        ] {
            assert_eq!(
                after_diagnostics(&format!("{prefix}{answer}")).trim_start(),
                answer
            );
        }
        for body in [
            "<html>Warning: maintenance</html>",
            "Warning: Array to string conversion in /x.php",
            "Fatal error: Uncaught Error in /x.php on line 3\n{}",
            "Warnings: x on line 1\n{}",
        ] {
            assert_eq!(after_diagnostics(body), body);
        }
    }
}
