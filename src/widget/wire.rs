//! What the widget reads from the proxy (BRIEF 3.4): `{"data": ...}` on success,
//! `{"error": {kind, code, message, fields}}` on failure, with the data in the canonical
//! shapes of `crate::exchanger::types` (every field present, ids and amounts as strings, flags
//! as booleans, "no limit" as `null`).
//!
//! The text is parsed once by the crate's JSON reader ([`crate::json::decode`]) and the types
//! are filled from that tree by [`Read`]. serde's derived readers cost about a third of the
//! widget's wasm (serde_json's even more); these are a few bytes a field. A type's reader lists
//! every field in a struct literal, so a field added to a type is a compile error here, not a
//! silently empty value.

use crate::php::PhpValue;
use std::cell::Cell;
use std::collections::BTreeMap;

/// A failure as the proxy reports it (the proxy's own type), or as the widget classifies a
/// transport failure (`network`, `bad_response`).
pub use crate::proxy::ProxyError;

/// The widget's own failure (no fields, code 0).
pub fn failure(kind: &str, message: String) -> ProxyError {
    ProxyError {
        kind: kind.to_string(),
        code: 0,
        message,
        fields: BTreeMap::new(),
    }
}

/// Reads one proxy answer (`status` 0: the request never got an answer).
pub fn read<T: Read>(status: u16, body: &str) -> Result<T, ProxyError> {
    if status == 0 {
        return Err(failure("network", "the proxy could not be reached".into()));
    }
    let unreadable = || {
        failure(
            "bad_response",
            format!("the proxy's answer (HTTP {status}) could not be read"),
        )
    };
    let envelope = crate::json::decode(body).map_err(|_| unreadable())?;
    if status == 200 {
        if let Some(data) = member(&envelope, "data") {
            return T::read(data).ok_or_else(unreadable);
        }
    }
    Err(match member(&envelope, "error") {
        Some(error) => ProxyError::read(error).unwrap_or_else(unreadable),
        None => failure(
            "bad_response",
            format!("the proxy answered HTTP {status} without data"),
        ),
    })
}

/// The value of `key` in a JSON object.
pub fn member<'a>(value: &'a PhpValue, key: &str) -> Option<&'a PhpValue> {
    match value {
        PhpValue::Array(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A type read from the proxy's JSON: `None` when the value does not have its shape.
pub trait Read: Sized {
    fn read(value: &PhpValue) -> Option<Self>;
}

impl Read for String {
    fn read(value: &PhpValue) -> Option<Self> {
        match value {
            PhpValue::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl Read for bool {
    fn read(value: &PhpValue) -> Option<Self> {
        match value {
            PhpValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl Read for i64 {
    fn read(value: &PhpValue) -> Option<Self> {
        match value {
            PhpValue::Int(n) => Some(*n),
            _ => None,
        }
    }
}

/// `null` is `None`.
impl<T: Read> Read for Option<T> {
    fn read(value: &PhpValue) -> Option<Self> {
        match value {
            PhpValue::Null => Some(None),
            v => T::read(v).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(value: &PhpValue) -> Option<Self> {
        match value {
            PhpValue::List(items) => items.iter().map(T::read).collect(),
            // PHP's json_encode writes an empty array as [], but a decoder may see {}.
            PhpValue::Array(entries) if entries.is_empty() => Some(Vec::new()),
            _ => None,
        }
    }
}

impl Read for BTreeMap<String, String> {
    fn read(value: &PhpValue) -> Option<Self> {
        match value {
            PhpValue::Array(entries) => {
                let mut map = BTreeMap::new();
                for (k, v) in entries {
                    map.insert(k.clone(), String::read(v)?);
                }
                Some(map)
            }
            PhpValue::List(items) if items.is_empty() => Some(BTreeMap::new()),
            _ => None,
        }
    }
}

/// The members of a JSON object, read one by one. A member that is missing or of the wrong
/// type reads as its default and marks the object bad; the caller checks once at the end
/// (an early return per member would compile a ladder of drops per member into the wasm).
struct Object<'a> {
    members: &'a [(String, PhpValue)],
    bad: Cell<bool>,
}

impl<'a> Object<'a> {
    fn of(value: &'a PhpValue) -> Option<Object<'a>> {
        match value {
            PhpValue::Array(members) => Some(Object {
                members,
                bad: Cell::new(false),
            }),
            _ => None,
        }
    }

    /// A member that must be there. Not inlined: one copy per member type, not per member.
    #[inline(never)]
    fn get<T: Read + Default>(&self, key: &str) -> T {
        self.read(key, false)
    }

    /// A member the canonical form leaves out when it has nothing (an empty list, `None`).
    #[inline(never)]
    fn opt<T: Read + Default>(&self, key: &str) -> T {
        self.read(key, true)
    }

    fn read<T: Read + Default>(&self, key: &str, optional: bool) -> T {
        let value = match self.members.iter().find(|(k, _)| k == key) {
            Some((_, v)) => T::read(v),
            None if optional => Some(T::default()),
            None => None,
        };
        value.unwrap_or_else(|| {
            self.bad.set(true);
            T::default()
        })
    }

    /// `value` when every member read was good.
    fn done<T>(&self, value: T) -> Option<T> {
        (!self.bad.get()).then_some(value)
    }
}

impl Read for ProxyError {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(ProxyError {
            kind: o.get("kind"),
            code: o.opt("code"),
            message: o.opt("message"),
            fields: o.opt("fields"),
        })
    }
}

impl Read for DirectionSummary {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(DirectionSummary {
            direction_id: o.get("direction_id"),
            currency_give_id: o.get("currency_give_id"),
            currency_give_title: o.get("currency_give_title"),
            currency_give_logo: o.get("currency_give_logo"),
            currency_get_id: o.get("currency_get_id"),
            currency_get_title: o.get("currency_get_title"),
            currency_get_logo: o.get("currency_get_logo"),
        })
    }
}

impl Read for DirectionFieldOption {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(DirectionFieldOption {
            value: o.get("value"),
            label: o.get("label"),
        })
    }
}

impl Read for DirectionField {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(DirectionField {
            name: o.get("name"),
            field_type: o.get("type"),
            label: o.get("label"),
            req: o.get("req"),
            tooltip: o.get("tooltip"),
            options: o.opt("options"),
            cd: o.get("cd"),
        })
    }
}

impl Read for DirectionTexts {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(DirectionTexts {
            timeline_text: o.get("timeline_text"),
            frozen_text: o.get("frozen_text"),
            before_button_text: o.get("before_button_text"),
        })
    }
}

/// A struct of `quote_struct!` (crate::exchanger::types): its own fields, then the amounts and
/// limits that `get_direction` and `get_calc` share.
macro_rules! read_quote {
    ($o:ident, $ty:ident { $($field:ident),* }) => {
        $ty {
            $($field: $o.get(stringify!($field)),)*
            currency_code_give: $o.get("currency_code_give"),
            currency_code_get: $o.get("currency_code_get"),
            reserve: $o.get("reserve"),
            course_give: $o.get("course_give"),
            course_get: $o.get("course_get"),
            sum_give: $o.get("sum_give"),
            sum_give_com: $o.get("sum_give_com"),
            sum_get: $o.get("sum_get"),
            sum_get_com: $o.get("sum_get_com"),
            com_give: $o.get("com_give"),
            com_get: $o.get("com_get"),
            min_give: $o.get("min_give"),
            max_give: $o.get("max_give"),
            min_get: $o.get("min_get"),
            max_get: $o.get("max_get"),
        }
    };
}

impl Read for ExchangeDirection {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(read_quote!(
            o,
            ExchangeDirection {
                id,
                url,
                give_fields,
                get_fields,
                dir_fields,
                info
            }
        ))
    }
}

impl Read for CalcResult {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(read_quote!(o, CalcResult { changed }))
    }
}

impl Read for ApiActions {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(ApiActions {
            action_type: o.get("type"),
            cancel: o.get("cancel"),
            pay: o.get("pay"),
            pay_amount: o.get("pay_amount"),
            instruction: o.get("instruction"),
        })
    }
}

impl Read for Bid {
    fn read(value: &PhpValue) -> Option<Self> {
        let o = Object::of(value)?;
        o.done(Bid {
            url: o.get("url"),
            id: o.get("id"),
            hash: o.get("hash"),
            status: o.get("status"),
            status_title: o.get("status_title"),
            psys_give: o.get("psys_give"),
            psys_get: o.get("psys_get"),
            currency_code_give: o.get("currency_code_give"),
            currency_code_get: o.get("currency_code_get"),
            amount_give: o.get("amount_give"),
            amount_get: o.get("amount_get"),
            course_give: o.opt("course_give"),
            course_get: o.opt("course_get"),
            api_actions: o.get("api_actions"),
            address: o.opt("address"),
            dest_tag: o.opt("dest_tag"),
            api_id: o.opt("api_id"),
            replayed: o.opt("replayed"),
        })
    }
}

// The exchanger's data, in the canonical shapes the proxy sends (crate::exchanger's types).
pub use crate::exchanger::types::{
    ApiActions, Bid, CalcResult, DirectionField, DirectionFieldOption, DirectionSummary,
    DirectionTexts, ExchangeDirection,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchanger::envelope::canonical;
    use crate::exchanger::Method;
    use serde::de::DeserializeOwned;

    /// A recorded sandbox answer made canonical as the proxy sends it, read by these readers
    /// and by the type's serde derive: both must give the same value.
    fn agrees<T: Read + DeserializeOwned + PartialEq + std::fmt::Debug>(
        method: Method,
        raw: &str,
    ) -> T {
        let text = canonical(method, raw).unwrap();
        let ours = read::<T>(200, &format!("{{\"data\":{text}}}"))
            .unwrap_or_else(|e| panic!("{}: {e:?}\n{text}", method.wire()));
        let serde: T = serde_json::from_str(&text).unwrap();
        assert_eq!(ours, serde, "{}", method.wire());
        ours
    }

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../exchanger/fixtures/", $name, ".json"))
        };
    }

    #[test]
    fn reads_what_the_proxy_sends_as_the_types_define_it() {
        let pairs: Vec<DirectionSummary> =
            agrees(Method::GetDirections, fixture!("get_directions"));
        assert!(!pairs.is_empty());
        for raw in [
            fixture!("get_direction_6"),
            fixture!("get_direction_7"),
            fixture!("get_direction_11"),
        ] {
            let d: ExchangeDirection = agrees(Method::GetDirection, raw);
            assert!(d.all_fields().next().is_some());
        }
        let _: CalcResult = agrees(Method::GetCalc, fixture!("get_calc"));
        let bid: Bid = agrees(Method::CreateBid, fixture!("create_bid"));
        assert!(!bid.hash.is_empty());
        let _: Bid = agrees(Method::BidInfo, fixture!("bid_info"));
        let status: String = agrees(Method::PayBid, fixture!("pay_bid"));
        assert_eq!(status, "payed");
    }

    #[test]
    fn reads_data_errors_and_what_is_neither() {
        assert_eq!(
            read::<String>(200, r#"{"data":"payed"}"#),
            Ok("payed".into())
        );
        let e = read::<String>(
            422,
            r#"{"error":{"kind":"validation","code":3,"message":"See fields.","fields":{"account2":"Bad card"}}}"#,
        )
        .unwrap_err();
        assert_eq!((e.kind.as_str(), e.code), ("validation", 3));
        assert_eq!(e.fields["account2"], "Bad card");
        // A 200 without data, data of the wrong type, garbage, no answer.
        for (status, body, kind) in [
            (200, r#"{"error":null}"#, "bad_response"),
            (200, r#"{"data":{"x":1}}"#, "bad_response"),
            (200, r#"{"data":7}"#, "bad_response"),
            (502, "<html>Bad gateway</html>", "bad_response"),
            (500, r#"{"error":{"kind":1}}"#, "bad_response"),
            (0, "", "network"),
        ] {
            assert_eq!(
                read::<String>(status, body).unwrap_err().kind,
                kind,
                "{body}"
            );
        }
        // Options: null is none, a missing key is the type's default.
        let bid = read::<Bid>(
            200,
            r#"{"data":{"url":"u","id":"1","hash":"h","status":"new","status_title":"","psys_give":"","psys_get":"",
            "currency_code_give":"BTC","currency_code_get":"RUB","amount_give":"1","amount_get":"2",
            "api_actions":{"type":"address","cancel":"api","pay":"api","pay_amount":"1","instruction":""},
            "address":null,"dest_tag":"42","extra":[1,2.5,{"a":true}]}}"#,
        )
        .unwrap();
        assert_eq!((bid.address, bid.dest_tag.as_deref()), (None, Some("42")));
    }
}
