//! Reading the gateway's answers: HTTP 200 with `{"result": ...}` or the fields at top level
//! is a success, `{"error": code, "info": ...}` a gateway error; anything else is a transport
//! failure that keeps the status and a secret-free excerpt.

use super::errors::GatewayError;
use crate::http::{excerpt, HttpResponse, TransportFailure};
use crate::php::PhpValue;

/// What a usable answer said.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The `result`, or the whole object when the fields are at top level.
    Value(PhpValue),
    Error(GatewayError),
}

/// Reads one HTTP answer; `secrets` are masked out of any excerpt.
pub fn read_answer<S: AsRef<str>>(
    response: &HttpResponse,
    secrets: &[S],
) -> Result<Answer, TransportFailure> {
    let cut = || excerpt(&response.body, secrets);
    if response.status != 200 {
        return Err(TransportFailure::Status {
            status: response.status,
            excerpt: cut(),
        });
    }
    let entries = match crate::json::decode(crate::php::after_diagnostics(&response.body)) {
        Ok(PhpValue::Array(entries)) => entries,
        _ => {
            return Err(TransportFailure::NotJson {
                status: response.status,
                excerpt: cut(),
            })
        }
    };
    let field = |name: &str| entries.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if let Some(code) = field("error").filter(|v| truthy(v)) {
        let text = |v: &PhpValue| {
            let mut s = String::new();
            v.to_php_string(&mut s);
            excerpt(&s, secrets)
        };
        let info = field("info")
            .filter(|v| !matches!(v, PhpValue::Array(_) | PhpValue::List(_)))
            .map(text)
            .filter(|s| !s.is_empty());
        return Ok(Answer::Error(GatewayError {
            code: text(code),
            info,
        }));
    }
    let mut entries = entries;
    Ok(Answer::Value(
        match entries.iter().position(|(k, _)| k == "result") {
            Some(at) => entries.swap_remove(at).1,
            None => PhpValue::Array(entries),
        },
    ))
}

/// PHP's truthiness, as the gateway's `if ($answer['error'])` would read it.
fn truthy(value: &PhpValue) -> bool {
    match value {
        PhpValue::Null | PhpValue::Bool(false) => false,
        PhpValue::Int(i) => *i != 0,
        PhpValue::Float(f) => *f != 0.0,
        PhpValue::Str(s) => !s.is_empty() && s != "0",
        PhpValue::Array(e) => !e.is_empty(),
        PhpValue::List(l) => !l.is_empty(),
        PhpValue::Bool(true) => true,
    }
}

/// PHP's `json_encode` writes an empty array as `[]`: for results documented as maps
/// (balances, limits) an empty one becomes `{}`, one level deep.
pub fn empty_lists_as_maps(value: PhpValue) -> PhpValue {
    let map = |v: PhpValue| match v {
        PhpValue::List(items) if items.is_empty() => PhpValue::Array(Vec::new()),
        other => other,
    };
    match map(value) {
        PhpValue::Array(entries) => {
            PhpValue::Array(entries.into_iter().map(|(k, v)| (k, map(v))).collect())
        }
        other => other,
    }
}

/// A payout receipt (`withdraw/check`): its `type` and the decoded bytes of `data`.
pub fn receipt(value: &PhpValue) -> Result<(String, Vec<u8>), &'static str> {
    let PhpValue::Array(entries) = value else {
        return Err("the receipt is not an object");
    };
    let text = |name: &str| match entries.iter().find(|(k, _)| k == name) {
        Some((_, PhpValue::Str(s))) => Some(s.as_str()),
        _ => None,
    };
    let data = text("data").ok_or("the receipt has no base64 data")?;
    let bytes = base64_decode(data).ok_or("the receipt's data is not valid base64")?;
    Ok((text("type").unwrap_or_default().to_owned(), bytes))
}

/// Standard base64 (PHP's `base64_encode`), padding optional, ASCII whitespace ignored.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits, mut padding) = (0u32, 0u32, 0usize);
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None; // data after '='
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // Leftover bits must be the zero fill of a final partial group.
    (bits < 6 && acc & ((1 << bits) - 1) == 0 && padding <= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Result<Answer, TransportFailure> {
        let response = HttpResponse {
            status,
            body: body.into(),
            retry_after_ms: None,
        };
        read_answer(&response, &["topsecretkey".to_owned()])
    }

    fn value(body: &str) -> PhpValue {
        match answer(200, body) {
            Ok(Answer::Value(v)) => v,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn results_and_top_level_fields() {
        assert_eq!(
            value(r#"{"result":"123456"}"#),
            PhpValue::Str("123456".into())
        );
        assert_eq!(value(r#"{"result":5237}"#), PhpValue::Int(5237));
        assert_eq!(
            value(r#"{"key1":"value1","key2":"value2"}"#),
            crate::json::decode(r#"{"key1":"value1","key2":"value2"}"#).unwrap()
        );
        // A falsy error is no error (PHP would not take that branch).
        assert_eq!(
            value(r#"{"error":"","id":1}"#),
            crate::json::decode(r#"{"error":"","id":1}"#).unwrap()
        );
    }

    #[test]
    fn gateway_errors() {
        let Ok(Answer::Error(e)) =
            answer(200, r#"{"error":"no_cards","info":"Все ушли на обед!"}"#)
        else {
            panic!()
        };
        assert_eq!(
            (e.code.as_str(), e.info.as_deref()),
            ("no_cards", Some("Все ушли на обед!"))
        );
        let Ok(Answer::Error(e)) =
            answer(200, r#"{"error":"sign_wrong","info":"key topsecretkey"}"#)
        else {
            panic!()
        };
        assert_eq!(e.info.as_deref(), Some("key ***"));
        let Ok(Answer::Error(e)) = answer(200, r#"{"error":"id_wrong","info":""}"#) else {
            panic!()
        };
        assert_eq!(e.info, None);
    }

    #[test]
    fn transport_failures_keep_status_and_a_masked_excerpt() {
        assert_eq!(
            answer(500, "<h1>oops topsecretkey</h1>"),
            Err(TransportFailure::Status {
                status: 500,
                excerpt: "<h1>oops ***</h1>".into()
            })
        );
        assert!(matches!(
            answer(200, "<html>Технические работы</html>"),
            Err(TransportFailure::NotJson { status: 200, .. })
        ));
        assert!(matches!(
            answer(200, ""),
            Err(TransportFailure::NotJson { .. })
        ));
        assert!(matches!(
            answer(200, "[1]"),
            Err(TransportFailure::NotJson { .. })
        ));
    }

    #[test]
    fn empty_php_arrays_become_maps() {
        let v = empty_lists_as_maps(value(r#"{"result":{"daily":[],"value":{"6":"1.00"}}}"#));
        assert_eq!(
            v,
            crate::json::decode(r#"{"daily":{},"value":{"6":"1.00"}}"#).unwrap()
        );
        assert_eq!(
            empty_lists_as_maps(value(r#"{"result":[]}"#)),
            PhpValue::Array(vec![])
        );
    }

    #[test]
    fn base64_and_receipts() {
        assert_eq!(base64_decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64_decode("aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(
            base64_decode("iVBO\nRw0K"),
            Some(vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a])
        );
        assert_eq!(base64_decode(""), Some(vec![]));
        for bad in ["aGVsbG9=x", "a", "aGVsbG8-", "aGVsbG9"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
        let r = value(r#"{"result":{"data":"iVBORw0K","type":"png"}}"#);
        assert_eq!(
            receipt(&r),
            Ok(("png".into(), vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a]))
        );
        assert!(receipt(&value(r#"{"result":{"type":"png"}}"#)).is_err());
        assert!(receipt(&value(r#"{"result":{"data":"*","type":"png"}}"#)).is_err());
    }
}
