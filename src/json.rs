//! JSON read the way PHP 8's `json_decode($text, true)` reads it, and written back so that
//! PHP reads the same values: the gateway signs what it decodes, so the SDK must too.
//!
//! A general JSON library will not do: PHP keeps an integer literal that fits in 64 bits as
//! an integer and makes every other number a float (`1.0`, `1e2`, `9223372036854775808`),
//! reads `1e400` as `INF` instead of failing, and nests up to 511 arrays or objects.

use crate::php::PhpValue;
use std::collections::HashMap;

/// PHP's default `json_decode` depth. A scalar is one level, so at most 511 arrays or
/// objects nest.
pub const MAX_DEPTH: usize = 512;
/// Objects with this many keys get a hash index for repeated-key lookups.
const INDEX_FROM: usize = 32;

/// Why a text is not JSON, with the byte offset where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} at byte {offset}")]
pub struct JsonError {
    pub reason: &'static str,
    pub offset: usize,
}

/// Decodes `text` as PHP's `json_decode($text, true)` does, or says why PHP would return null.
pub fn decode(text: &str) -> Result<PhpValue, JsonError> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
    };
    reader.skip_ws();
    let value = reader.value(0)?;
    reader.skip_ws();
    if reader.pos != reader.bytes.len() {
        return Err(reader.fail("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
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

    fn value(&mut self, depth: usize) -> Result<PhpValue, JsonError> {
        match self.bytes.get(self.pos) {
            None => Err(self.fail("unexpected end of input")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.list(depth + 1),
            Some(b'"') => Ok(PhpValue::Str(self.string()?)),
            Some(b't') => self.literal("true", PhpValue::Bool(true)),
            Some(b'f') => self.literal("false", PhpValue::Bool(false)),
            Some(b'n') => self.literal("null", PhpValue::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.fail("unexpected character")),
        }
    }

    fn literal(&mut self, word: &'static str, value: PhpValue) -> Result<PhpValue, JsonError> {
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

    fn object(&mut self, depth: usize) -> Result<PhpValue, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut entries: Vec<(String, PhpValue)> = Vec::new();
        // PHP overwrites a repeated key in place. Small objects are scanned; big ones get an
        // index so a hostile body with thousands of keys stays linear.
        let mut index: Option<HashMap<String, usize>> = None;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(PhpValue::Array(entries));
        }
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
            if index.is_none() && entries.len() >= INDEX_FROM {
                index = Some(
                    entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect(),
                );
            }
            let existing = match &index {
                Some(map) => map.get(&key).copied(),
                None => entries.iter().position(|(k, _)| *k == key),
            };
            match existing {
                Some(at) => entries[at].1 = value,
                None => {
                    if let Some(map) = index.as_mut() {
                        map.insert(key.clone(), entries.len());
                    }
                    entries.push((key, value));
                }
            }
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(PhpValue::Array(entries));
                }
                _ => return Err(self.fail("expected ',' or '}'")),
            }
        }
    }

    fn list(&mut self, depth: usize) -> Result<PhpValue, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(PhpValue::List(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(PhpValue::List(items));
                }
                _ => return Err(self.fail("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<PhpValue, JsonError> {
        let start = self.pos;
        let mut is_int = true;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.fail("invalid number")),
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            is_int = false;
            self.pos += 1;
            if !matches!(self.bytes.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.fail("invalid number"));
            }
            self.digits();
        }
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
        let literal = &self.text[start..self.pos];
        if is_int {
            if let Ok(i) = literal.parse::<i64>() {
                return Ok(PhpValue::Int(i));
            }
        }
        // Correctly rounded, ±inf on overflow, as zend_strtod reads it.
        crate::float::parse(literal.as_bytes())
            .map(PhpValue::Float)
            .ok_or_else(|| self.fail("invalid number"))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        // Most strings have no escapes: copy them in one go.
        if let Some(len) = self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        {
            if self.bytes[self.pos + len] == b'"' {
                let s = self.text[self.pos..self.pos + len].to_owned();
                self.pos += len + 1;
                return Ok(s);
            }
        }
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // `text` is a &str, so the run is valid UTF-8 and ends on a char boundary (ASCII stop).
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
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

fn encode_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
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

        #[test]
        fn decode_never_panics(text in ".{0,64}") {
            let _ = decode(&text);
        }
    }
}
