//! Tolerant readers for the exchanger's JSON. The server is PHP: the same field arrives as
//! `"1"` or `1`, an empty list as `[]` where an object was meant, a field list as an object
//! keyed by name or as an array, `"no"` for "no limit". Each reader accepts every shape seen
//! on the wire (WIRE.md part A, ANCHORS.md) **and** the canonical shape the SDK writes, so a
//! value read from the server, written by the SDK and read again (the widget reads what the
//! proxy wrote) stays the same.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// A JS or PHP number as the plain decimal the server's `is_sum` reads: no exponent
/// (`1e-8` → `0.00000001`), at most 14 significant digits as PHP prints floats.
pub fn plain_decimal(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned(); // also -0.0, which PHP prints as "-0"
    }
    expand_exponent(&crate::php::php_float(value))
}

/// Rewrites `d.dddE±x` (PHP's and JS's exponent form) as a plain decimal; other text is
/// returned unchanged.
pub fn expand_exponent(text: &str) -> String {
    let Some((mantissa, exp)) = text.split_once(['E', 'e']) else {
        return text.to_owned();
    };
    let Ok(exp) = exp.trim_start_matches('+').parse::<i32>() else {
        return text.to_owned();
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return text.to_owned();
    }
    let digits = format!("{int}{frac}");
    // Position of the decimal point within `digits` after shifting by the exponent.
    let point = int.len() as i64 + i64::from(exp);
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    tidy_decimal(out)
}

/// Drops leading zeros of the whole part and trailing zeros of the fraction.
fn tidy_decimal(mut s: String) -> String {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest.to_owned()),
        None => ("", s.clone()),
    };
    let trimmed = body.trim_start_matches('0');
    let body = if trimmed.is_empty() || trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_owned()
    };
    if body == "0" {
        body
    } else {
        format!("{sign}{body}")
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a number")
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(plain_decimal(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        // PHP's (string)true and (string)false.
        Ok(if v { "1" } else { "" }.to_owned())
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_none<E>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
    /// An empty PHP array stands for "nothing" where a string was expected.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(String::new()),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        match map.next_key::<IgnoredAny>()? {
            None => Ok(String::new()),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// A string, number, boolean or null as text (`1` → `"1"`, `null` → `""`).
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// Like [`text`], `None` when empty.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(text(d)?).filter(|s| !s.is_empty()))
}

/// A min/max limit: `None` for the wire's `"no"` (no limit set), empty or null.
pub fn limit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(text(d)?).filter(|s| !matches!(s.trim(), "" | "no")))
}

struct FlagVisitor;

impl<'de> Visitor<'de> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("0, 1, \"0\", \"1\" or a boolean")
    }
    fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E>(self, v: i64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_u64<E>(self, v: u64) -> Result<bool, E> {
        Ok(v != 0)
    }
    fn visit_f64<E>(self, v: f64) -> Result<bool, E> {
        Ok(v != 0.0)
    }
    /// PHP truthiness of a string: only `""` and `"0"` are false (plus `"false"`, which a
    /// plugin writing booleans as text would mean as false).
    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(!matches!(v.trim(), "" | "0" | "false"))
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_none<E>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

/// A 0/1 flag given as a number, a numeric string or a boolean.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(FlagVisitor)
}

struct IntVisitor;

impl<'de> Visitor<'de> for IntVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number or a numeric string")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Option<i64>, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i64>, E> {
        i64::try_from(v)
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<i64>, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(Some(v as i64))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse()
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Option<i64>, E> {
        Ok(Some(i64::from(v)))
    }
    fn visit_unit<E>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_any(self)
    }
}

/// A whole number given as a number or a numeric string (`""`/null → `None`).
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(IntVisitor)
}

/// A whole number given as a number or a numeric string; 0 when empty.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(opt_int(d)?.unwrap_or(0))
}

/// Reads a PHP array that may arrive as a JSON list, as an object keyed by name or index
/// (keys dropped, order kept), or as nothing (`null`, `""`, `false`).
pub struct ListVisitor<T, F> {
    /// Called with each object key and its value, so a value can take its name from the key.
    pub keyed: F,
    pub marker: std::marker::PhantomData<T>,
}

impl<'de, T, F> Visitor<'de> for ListVisitor<T, F>
where
    T: de::Deserialize<'de>,
    F: Fn(String, &mut T),
{
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list or an object")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some((key, mut item)) = map.next_entry::<String, T>()? {
            (self.keyed)(key, &mut item);
            out.push(item);
        }
        Ok(out)
    }
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        if v {
            Err(E::invalid_type(de::Unexpected::Bool(v), &self))
        } else {
            Ok(Vec::new())
        }
    }
}

/// A list given as a JSON list, an object (values in order) or nothing.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    d.deserialize_any(ListVisitor {
        keyed: |_: String, _: &mut T| {},
        marker: std::marker::PhantomData,
    })
}

/// Like [`list`], `None` when the field is absent (kept apart from an empty list).
pub fn opt_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    list(d).map(Some)
}

struct MessagesVisitor;

impl<'de> Visitor<'de> for MessagesVisitor {
    type Value = BTreeMap<String, String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of messages")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value: Message = map.next_value()?;
            out.insert(key, value.0);
        }
        Ok(out)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        let mut i = 0usize;
        while let Some(Message(value)) = seq.next_element()? {
            out.insert(i.to_string(), value);
            i += 1;
        }
        Ok(out)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }
}

struct Message(String);

impl<'de> de::Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        text(d).map(|t| Message(html_to_text(&t)))
    }
}

/// `error_fields`: `{field: "<html message>"}` or `[]`, as plain-text messages by field.
pub fn messages<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    d.deserialize_any(MessagesVisitor)
}

/// An HTML fragment as plain text: tags removed (`<br>` and block ends become a space),
/// the common entities decoded, whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        if let Some(after) = tail.strip_prefix('<') {
            // Only a '<' that opens a tag (a letter, '/', '!') starts markup.
            let opens = after
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
            match after.find('>').filter(|_| opens) {
                Some(end) => {
                    out.push(' ');
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('<');
                    rest = after;
                }
            }
        } else {
            let (decoded, used) = entity(tail);
            out.push_str(&decoded);
            rest = &tail[used..];
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes one entity at the start of `s` (which starts with '&'); returns the text and
/// how many bytes it used. An unknown entity is kept as a literal '&'.
fn entity(s: &str) -> (String, usize) {
    // Bytes, not a str slice: a cut inside a multi-byte character must not panic.
    let Some(end) = s.bytes().take(12).position(|b| b == b';') else {
        return ("&".to_owned(), 1);
    };
    let name = &s[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = if let Some(hex) = name
                .strip_prefix('#')
                .and_then(|n| n.strip_prefix(['x', 'X']))
            {
                u32::from_str_radix(hex, 16).ok()
            } else {
                name.strip_prefix('#').and_then(|n| n.parse::<u32>().ok())
            };
            number.and_then(char::from_u32)
        }
    };
    match decoded {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".to_owned(), 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_become_plain_decimals() {
        let cases = [
            ("1.0E-8", "0.00000001"),
            ("1.5E-7", "0.00000015"),
            ("-2.5e-3", "-0.0025"),
            ("1.0E+15", "1000000000000000"),
            ("1.2345E+2", "123.45"),
            ("1e21", "1000000000000000000000"),
            ("0.015", "0.015"),
            ("100", "100"),
            ("abc", "abc"),
            ("1.0E+x", "1.0E+x"),
        ];
        for (input, want) in cases {
            assert_eq!(expand_exponent(input), want, "{input}");
        }
        assert_eq!(plain_decimal(0.00000001), "0.00000001");
        assert_eq!(plain_decimal(0.1 + 0.2), "0.3");
        assert_eq!(plain_decimal(1e15), "1000000000000000");
        assert_eq!(plain_decimal(-0.0), "0");
        assert_eq!(plain_decimal(25.4), "25.4");
    }

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            html_to_text("<span class=\"err\">Неверный <b>номер карты</b></span>"),
            "Неверный номер карты"
        );
        assert_eq!(
            html_to_text(
                "<span class=\"js_amount\" data-id=\"sum1\" data-val=\"5000\">мин.: 5000 RUB</span>"
            ),
            "мин.: 5000 RUB"
        );
        assert_eq!(
            html_to_text("a<br />b &amp; c &lt;d&gt; &#1071; &#x42;"),
            "a b & c <d> Я B"
        );
        assert_eq!(html_to_text("1 < 2 & 3 > 2 &bogus"), "1 < 2 & 3 > 2 &bogus");
        assert_eq!(
            html_to_text("<img src=x onerror=\"alert(1)\">Bad<script>x</script>"),
            "Bad x"
        );
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Probe {
        #[serde(deserialize_with = "text", default)]
        t: String,
        #[serde(deserialize_with = "flag", default)]
        f: bool,
        #[serde(deserialize_with = "limit", default)]
        l: Option<String>,
        #[serde(deserialize_with = "opt_int", default)]
        i: Option<i64>,
        #[serde(deserialize_with = "list", default)]
        v: Vec<String>,
        #[serde(deserialize_with = "messages", default)]
        m: BTreeMap<String, String>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn scalars_in_every_wire_shape() {
        assert_eq!(probe(r#"{"t":"a"}"#).t, "a");
        assert_eq!(probe(r#"{"t":7}"#).t, "7");
        assert_eq!(probe(r#"{"t":0.00000001}"#).t, "0.00000001");
        assert_eq!(probe(r#"{"t":null}"#).t, "");
        assert_eq!(probe(r#"{"t":[]}"#).t, "");
        assert!(serde_json::from_str::<Probe>(r#"{"t":[1]}"#).is_err());
        for (json, want) in [
            ("1", true),
            ("0", false),
            ("\"1\"", true),
            ("\"0\"", false),
            ("true", true),
            ("\"\"", false),
            ("null", false),
        ] {
            assert_eq!(probe(&format!(r#"{{"f":{json}}}"#)).f, want, "{json}");
        }
        assert_eq!(probe(r#"{"l":"no"}"#).l, None);
        assert_eq!(probe(r#"{"l":null}"#).l, None);
        assert_eq!(probe(r#"{"l":"0.5"}"#).l.as_deref(), Some("0.5"));
        assert_eq!(probe(r#"{"l":3}"#).l.as_deref(), Some("3"));
        assert_eq!(probe(r#"{"i":"3"}"#).i, Some(3));
        assert_eq!(probe(r#"{"i":3}"#).i, Some(3));
        assert_eq!(probe(r#"{"i":""}"#).i, None);
        assert!(serde_json::from_str::<Probe>(r#"{"i":"x"}"#).is_err());
    }

    #[test]
    fn lists_and_messages_in_every_wire_shape() {
        assert_eq!(probe(r#"{"v":["a","b"]}"#).v, ["a", "b"]);
        assert_eq!(probe(r#"{"v":{"x":"a","y":"b"}}"#).v, ["a", "b"]);
        assert!(probe(r#"{"v":[]}"#).v.is_empty());
        assert!(probe(r#"{"v":""}"#).v.is_empty());
        assert!(probe(r#"{"v":null}"#).v.is_empty());
        let m = probe(r#"{"m":{"account1":"<span class=\"err\">Bad <b>card</b></span>"}}"#).m;
        assert_eq!(m["account1"], "Bad card");
        assert!(probe(r#"{"m":[]}"#).m.is_empty());
    }
}
