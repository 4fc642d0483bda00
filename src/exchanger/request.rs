//! Requests: parameters checked against the method's table before anything is sent, and
//! written as the `application/x-www-form-urlencoded` body PHP reads into `$_POST`.

use super::method::{Kind, Method};
use super::shape;
use super::wire::plain_decimal;
use crate::json::Value;
use crate::php::PhpValue;
use crate::validate::ValidationError;

/// Longest free-text value accepted (accounts, names, custom fields).
const MAX_TEXT: usize = 1000;
/// `api_id` is cut to 100 characters by the server; longer ones would not match afterwards.
pub const MAX_API_ID: usize = 100;
/// The server's largest page.
pub const MAX_LIMIT: u32 = 500;

/// Checked parameters in the order given, as text ready for the form body.
pub type Params = Vec<(String, String)>;

/// Checks `input` against `method`'s parameters and turns every value into its wire text.
/// Every problem is reported at once; `null` values count as absent.
pub fn prepare(method: Method, input: &[(String, PhpValue)]) -> Result<Params, ValidationError> {
    let mut errors = ValidationError::default();
    let mut out: Params = Vec::with_capacity(input.len() + 1);
    let mut given: Vec<&str> = Vec::with_capacity(input.len());
    for (name, value) in input {
        if matches!(value, PhpValue::Null) {
            continue;
        }
        given.push(name);
        if method == Method::GetExchanges && name == "api_id" {
            errors.push(
                name,
                "is not sent: the server compares it with bid ids (a 2.7 bug); use findExchangeByApiId",
            );
            continue;
        }
        let Some(param) = method.param(name) else {
            errors.push(name, format!("is not a parameter of {}", method.wire()));
            continue;
        };
        match convert(param.kind, value) {
            Ok(text) => {
                out.retain(|(n, _)| n != name);
                out.push((name.clone(), text));
            }
            Err(rule) => errors.push(name, rule),
        }
    }
    let has = |name: &str| out.iter().any(|(n, _)| n == name);
    // Which of several alternatives was given: a given but invalid one has its own issue.
    let gave = |name: &str| given.contains(&name);
    for param in method.params().iter().filter(|p| p.required) {
        if !gave(param.name) {
            errors.push(param.name, "is required");
        }
    }
    if method.addresses_bid() {
        match (gave("id"), gave("hash")) {
            (false, false) => errors.push("hash", "is required (or id)"),
            (true, true) => errors.push("id", "give id or hash, not both"),
            _ => {}
        }
    }
    if method == Method::GetDirection
        && !gave("direction_id")
        && !(gave("currency_id_give") && gave("currency_id_get"))
    {
        errors.push(
            "direction_id",
            "is required (or both currency_id_give and currency_id_get)",
        );
    }
    errors.into_result()?;
    if matches!(method, Method::GetCalc | Method::CreateBid) && !has("calc_action") {
        // The server's default; sent so the request says what the amount is.
        out.push(("calc_action".to_owned(), "1".to_owned()));
    }
    Ok(out)
}

/// A scalar as the text PHP will read; `None` for objects and lists.
fn scalar(value: &PhpValue) -> Option<String> {
    match value {
        PhpValue::Str(s) => Some(s.clone()),
        PhpValue::Int(i) => Some(i.to_string()),
        PhpValue::Float(f) if f.is_finite() => Some(plain_decimal(*f)),
        _ => None,
    }
}

fn convert(kind: Kind, value: &PhpValue) -> Result<String, String> {
    if kind == Kind::Flag {
        return match value {
            PhpValue::Bool(b) => Ok(if *b { "1" } else { "0" }.to_owned()),
            _ => match scalar(value).as_deref() {
                Some(v @ ("0" | "1")) => Ok(v.to_owned()),
                _ => Err("must be 0, 1 or a boolean".to_owned()),
            },
        };
    }
    if kind == Kind::Cd {
        if let PhpValue::Array(entries) = value {
            return encode_cd(entries);
        }
    }
    let Some(text) = scalar(value) else {
        return Err("must be a string or a number".to_owned());
    };
    check(kind, &text).map(|()| text)
}

fn digits(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_id(s: &str) -> bool {
    digits(s, 19) && s.bytes().any(|b| b != b'0')
}

/// The rule a value of `kind` must follow, checked on its wire text.
pub fn check(kind: Kind, s: &str) -> Result<(), String> {
    let (ok, rule) = match kind {
        Kind::Id => (is_id(s), "must be a positive whole number"),
        Kind::IdList => (
            s.split(',').count() <= MAX_LIMIT as usize && s.split(',').all(is_id),
            "must be a positive whole number or a comma-separated list of them",
        ),
        Kind::Time => (digits(s, 12), "must be a Unix time in seconds (a whole number)"),
        Kind::Amount => (
            is_amount(s),
            "must be a decimal amount such as 100 or 0.015 (digits and at most one '.')",
        ),
        Kind::CalcAction => (
            matches!(s, "1" | "2" | "3" | "4"),
            "must be 1 (amount given), 2 (amount received), 3 (given, with fee) or 4 (received, with fee)",
        ),
        Kind::Limit => (
            digits(s, 3) && s.parse::<u32>().is_ok_and(|n| (1..=MAX_LIMIT).contains(&n)),
            "must be a whole number from 1 to 500",
        ),
        Kind::Offset => (digits(s, 9), "must be a whole number from 0"),
        Kind::Hash => (
            !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric()),
            "must be a bid hash (1 to 64 letters and digits)",
        ),
        Kind::Url => (
            (s.starts_with("https://") || s.starts_with("http://"))
                && s.len() <= 2048
                && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>'),
            "must be an http(s) URL of at most 2048 characters, without spaces",
        ),
        Kind::ApiId => (is_api_id(s), API_ID_RULE),
        Kind::Ip => (
            !s.is_empty()
                && s.len() <= 45
                && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':'),
            "must be an IPv4 or IPv6 address",
        ),
        Kind::Text | Kind::Cd => (
            s.chars().count() <= MAX_TEXT && !s.chars().any(|c| c.is_control() && c != '\n'),
            "must be at most 1000 characters, without control characters",
        ),
        Kind::Flag => (matches!(s, "0" | "1"), "must be 0, 1 or a boolean"),
    };
    if ok {
        Ok(())
    } else {
        Err(rule.to_owned())
    }
}

fn is_amount(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    digits(int, 20) && digits(frac, 20)
}

/// What an `api_id` must look like.
pub const API_ID_RULE: &str =
    "must be 1 to 100 characters: letters, digits and _ . : @ # / - (the server alters others)";

/// An `api_id` the server keeps exactly as sent (it strips tags and trims, and cuts at 100).
pub fn is_api_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_API_ID
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:@#/-".contains(&b))
}

/// `cd` from an object of the direction's `cd` fields: `name=value&...`, then that string
/// URL-encoded once more as the value of `cd`, as the server decodes it
/// (`parse_str(urldecode($_POST['cd']))`).
fn encode_cd(entries: &[(String, PhpValue)]) -> Result<String, String> {
    let mut pairs = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        if matches!(value, PhpValue::Null) {
            continue;
        }
        if name.is_empty()
            || name.len() > 64
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(format!(
                "has a field name that is not a direction field: `{name}`"
            ));
        }
        let text =
            scalar(value).ok_or_else(|| format!("field {name} must be a string or a number"))?;
        check(Kind::Text, &text).map_err(|rule| format!("field {name} {rule}"))?;
        pairs.push((name.clone(), text));
    }
    let mut value = String::new();
    urlencode_into(&form_encode(&pairs), &mut value);
    Ok(value)
}

/// `application/x-www-form-urlencoded` as PHP's `http_build_query` writes it.
pub fn form_encode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        urlencode_into(name, &mut out);
        out.push('=');
        urlencode_into(value, &mut out);
    }
    out
}

/// PHP's `urlencode`: letters, digits and `-_.` kept, space as `+`, every other byte `%XX`.
fn urlencode_into(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// PHP's default `max_input_vars`: it fills `$_POST` from the first 1,000 variables and drops
/// the rest. It also bounds the scan for repeats below, which made a proxied 1 MiB form of
/// distinct names hold the event loop for 15 s.
const MAX_INPUT_VARS: usize = 1000;

/// Reads a form body as PHP fills `$_POST` from it: `+` is a space, `%XX` a byte, a
/// repeated name keeps its last value, variables past [`MAX_INPUT_VARS`] are dropped. `None`
/// when it is not UTF-8 after decoding.
pub fn parse_form(body: &str) -> Option<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = Vec::new();
    let parts = body.split('&').filter(|p| !p.is_empty());
    for part in parts.take(MAX_INPUT_VARS) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name = urldecode(name)?;
        let value = urldecode(value)?;
        out.retain(|(n, _)| *n != name);
        out.push((name, value));
    }
    Some(out)
}

fn urldecode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Checks a `create_bid` against the direction it is for (`getDirection`'s answer, in its
/// canonical form): every required field given, select values among the options, no field
/// the direction lacks.
pub fn check_bid_fields(direction: &Value, params: &Params) -> Result<(), ValidationError> {
    let mut errors = ValidationError::default();
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
    };
    let text = |value: Option<&Value>| shape::text_of(value.map(shape::leaf)).unwrap_or_default();
    let id = text(shape::get(direction, "id"));
    if !id.is_empty() && get("direction_id").is_some_and(|given| given != id) {
        errors.push(
            "direction_id",
            format!("must be {id} (the direction passed as options.direction)"),
        );
    }
    let mut names = Vec::new();
    for list in ["give_fields", "get_fields", "dir_fields"] {
        let Some(Value::List(fields)) = shape::get(direction, list) else {
            continue;
        };
        for field in fields {
            let name = text(shape::get(field, "name"));
            let label = label(&text(shape::get(field, "label")));
            let required = matches!(shape::get(field, "req"), Some(Value::Bool(true)));
            let options: Vec<String> = match shape::get(field, "options") {
                Some(Value::List(options)) => options
                    .iter()
                    .map(|o| text(shape::get(o, "value")))
                    .collect(),
                _ => Vec::new(),
            };
            match get(&name).filter(|v| !v.is_empty()) {
                None if required => errors.push(&name, format!("is required ({label})")),
                Some("0") if required && !options.is_empty() => {
                    errors.push(&name, format!("must be selected ({label})"))
                }
                Some(v) if !options.is_empty() && !options.iter().any(|o| o == v) => {
                    errors.push(&name, "must be one of the field's option values")
                }
                _ => {}
            }
            names.push(name);
        }
    }
    for (name, _) in params {
        if super::method::is_form_field(name) && !names.contains(name) {
            errors.push(name, format!("is not a field of direction {id}"));
        }
    }
    errors.into_result()
}

/// A field's label for a message: its text without HTML, cut short.
fn label(html: &str) -> String {
    let text = super::wire::html_to_text(html);
    if text.chars().count() > 60 {
        text.chars().take(57).collect::<String>() + "..."
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> PhpValue {
        PhpValue::Str(v.to_owned())
    }

    fn entries(list: &[(&str, PhpValue)]) -> Vec<(String, PhpValue)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn issues(e: ValidationError) -> Vec<(String, String)> {
        e.issues.into_iter().map(|i| (i.field, i.rule)).collect()
    }

    #[test]
    fn calc_params_are_checked_converted_and_defaulted() {
        let out = prepare(
            Method::GetCalc,
            &entries(&[
                ("direction_id", PhpValue::Int(6)),
                ("calc_amount", PhpValue::Float(0.00000001)),
                (
                    "cd",
                    PhpValue::Array(entries(&[("cf12", PhpValue::Int(2)), ("cf1", s("a&b c"))])),
                ),
            ]),
        )
        .unwrap();
        assert_eq!(
            out,
            [
                ("direction_id".into(), "6".into()),
                ("calc_amount".into(), "0.00000001".into()),
                ("cd".into(), "cf12%3D2%26cf1%3Da%2526b%2Bc".into()),
                ("calc_action".into(), "1".into()),
            ]
        );
        // The body then encodes the cd value once more: three decodes give back "a&b c".
        assert_eq!(
            form_encode(&out[2..3]),
            "cd=cf12%253D2%2526cf1%253Da%252526b%252Bc"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = prepare(
            Method::GetCalc,
            &entries(&[
                ("direction_id", s("0")),
                ("calc_amount", s("1e5")),
                ("calc_action", PhpValue::Int(5)),
                ("calc_ammount", s("1")),
                ("cd", PhpValue::List(vec![])),
            ]),
        )
        .unwrap_err();
        let fields: Vec<_> = issues(err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "direction_id",
                "calc_amount",
                "calc_action",
                "calc_ammount",
                "cd"
            ]
        );
        let err = prepare(Method::CreateBid, &[]).unwrap_err();
        assert_eq!(
            issues(err),
            [
                ("direction_id".into(), "is required".into()),
                ("calc_amount".into(), "is required".into())
            ]
        );
    }

    #[test]
    fn bid_methods_take_id_or_hash() {
        assert!(prepare(Method::BidInfo, &entries(&[("hash", s("abc123"))])).is_ok());
        assert!(prepare(Method::CancelBid, &entries(&[("id", PhpValue::Int(7))])).is_ok());
        assert!(prepare(Method::PayBid, &[]).is_err());
        assert!(prepare(Method::BidInfo, &entries(&[("hash", s("a-b"))])).is_err());
        assert!(prepare(
            Method::BidInfo,
            &entries(&[("hash", s("ab")), ("id", PhpValue::Int(1))])
        )
        .is_err());
        // A bad id is one issue, about the id: not also "hash is required (or id)".
        let err = prepare(Method::CancelBid, &entries(&[("id", s("0"))])).unwrap_err();
        assert_eq!(
            issues(err),
            [("id".into(), "must be a positive whole number".into())]
        );
        let err = prepare(Method::GetDirection, &entries(&[("direction_id", s("x"))])).unwrap_err();
        assert_eq!(
            issues(err),
            [(
                "direction_id".into(),
                "must be a positive whole number".into()
            )]
        );
    }

    #[test]
    fn other_rules() {
        let ok = |m, list: &[(&str, PhpValue)]| prepare(m, &entries(list)).is_ok();
        assert!(ok(
            Method::GetExchanges,
            &[
                ("id", s("1,2,3")),
                ("limit", PhpValue::Int(500)),
                ("status_history", PhpValue::Bool(true))
            ]
        ));
        assert!(!ok(Method::GetExchanges, &[("limit", PhpValue::Int(501))]));
        assert!(!ok(Method::GetExchanges, &[("api_id", s("x"))]));
        assert!(!ok(Method::GetExchanges, &[("status_history", s("yes"))]));
        assert!(ok(
            Method::GetDirection,
            &[("currency_id_give", s("1")), ("currency_id_get", s("5"))]
        ));
        assert!(!ok(Method::GetDirection, &[("currency_id_give", s("1"))]));
        assert!(!ok(Method::Test, &[("x", s("1"))]));
        assert!(ok(
            Method::CreateBid,
            &[
                ("direction_id", s("2")),
                ("calc_amount", s("100")),
                ("account1", s("2202 2000")),
                ("cf6", s("a@b.co")),
                ("api_id", s("order-42"))
            ]
        ));
        assert!(!ok(
            Method::CreateBid,
            &[
                ("direction_id", s("2")),
                ("calc_amount", s("100")),
                ("api_id", s("has space"))
            ]
        ));
        assert!(!ok(
            Method::CreateBid,
            &[
                ("direction_id", s("2")),
                ("calc_amount", s("100")),
                ("callback_url", s("javascript:x"))
            ]
        ));
        assert!(!ok(
            Method::CreateBid,
            &[
                ("direction_id", s("2")),
                ("calc_amount", s("100")),
                ("cf6", s("a\u{0}b"))
            ]
        ));
        assert!(!ok(
            Method::CreateBid,
            &[
                ("direction_id", s("2")),
                ("calc_amount", PhpValue::Float(f64::NAN))
            ]
        ));
        assert!(!ok(Method::AddPartnerPayout, &[("method_id", s("3"))]));
        assert!(ok(
            Method::GetDirections,
            &[("currency_id_give", PhpValue::Null)]
        ));
        assert!(is_api_id(&"x".repeat(100)) && !is_api_id(&"x".repeat(101)));
    }

    #[test]
    fn forms_encode_and_parse_as_php() {
        let pairs = vec![("a b".to_owned(), "1+1=2&ü~".to_owned())];
        let body = form_encode(&pairs);
        assert_eq!(body, "a+b=1%2B1%3D2%26%C3%BC%7E");
        assert_eq!(parse_form(&body).unwrap(), pairs);
        assert_eq!(
            parse_form("bid_id=5&status=payed&status=success&x").unwrap(),
            [
                ("bid_id".into(), "5".into()),
                ("status".into(), "success".into()),
                ("x".into(), "".into())
            ]
        );
        let many: String = (0..=MAX_INPUT_VARS).map(|i| format!("a{i}=&")).collect();
        let read = parse_form(&many).unwrap();
        assert_eq!(read.len(), MAX_INPUT_VARS);
        assert_eq!(read.last().unwrap().0, format!("a{}", MAX_INPUT_VARS - 1));
        assert_eq!(
            parse_form("a=%zz%4").unwrap(),
            [("a".into(), "%zz%4".into())]
        );
        assert_eq!(parse_form("a=%ff"), None);
    }
}
