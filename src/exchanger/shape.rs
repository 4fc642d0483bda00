//! What each method's `data` looks like, as a table, and one function that turns whatever
//! the server sent into the canonical form the [`super::types`] describe.
//!
//! The server is PHP: the same field arrives as `"1"` or `1`, an empty list as `[]` where an
//! object was meant, a field list as an object keyed by name or as an array, `"no"` for "no
//! limit", a missing key when a plugin leaves it out. The canonical form has every field of
//! the type, ids and amounts as strings, flags as booleans, lists as arrays, `null` for "no
//! limit", options as `{ value, label }`. Reading canonical data again gives it back
//! unchanged, so the widget can read what the proxy wrote with the same table or with the
//! serde types. One table-driven walk keeps the SDK's wasm small: no per-type parser code.

use super::method::Method;
use super::wire::plain_decimal;
use crate::php::PhpValue;

/// The shape of a value.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Text: strings as they are, numbers as plain decimals, nothing as `""`.
    Text,
    /// Text, left out when absent or empty.
    OptText,
    /// A boolean from `0`/`1`/`"0"`/`"1"`/`true`/`false`.
    Flag,
    /// A flag, left out when absent.
    OptFlag,
    /// A whole number (`0` when absent).
    Int,
    /// A min/max limit: text, or `null` for the wire's `"no"`.
    Limit,
    /// A list given as a JSON list, an object (values in order) or nothing.
    List(&'static Ty),
    /// A list, left out when absent.
    OptList(&'static Ty),
    /// An object with these fields, in this order.
    Obj(&'static [Field]),
    /// A `get_direction` field list: an object keyed by field name, or a list.
    Fields,
    /// A select's options: labels by position or key, or `{ value, label }` pairs; left out
    /// when there are none.
    Options,
    /// A page of a list method: `{ items }`, or the server's bare `[]` for none.
    Page(&'static Ty),
}

/// One field of an object: its canonical name (then other names it is read from, after `|`).
#[derive(Debug, Clone, Copy)]
pub struct Field(pub &'static str, pub Ty);

const CURRENCY: Ty = Ty::Obj(&[
    Field("id", Ty::Text),
    Field("title", Ty::Text),
    Field("logo", Ty::Text),
]);

const DIRECTION_SUMMARY: Ty = Ty::Obj(&[
    Field("direction_id", Ty::Text),
    Field("currency_give_id", Ty::Text),
    Field("currency_give_title", Ty::Text),
    Field("currency_give_logo", Ty::Text),
    Field("currency_get_id", Ty::Text),
    Field("currency_get_title", Ty::Text),
    Field("currency_get_logo", Ty::Text),
]);

/// A field descriptor of `get_direction`.
pub const DIRECTION_FIELD: &[Field] = &[
    Field("name", Ty::Text),
    Field("type", Ty::Text),
    Field("label", Ty::Text),
    Field("req", Ty::Flag),
    Field("tooltip", Ty::Text),
    Field("options", Ty::Options),
    Field("cd", Ty::Flag),
];

macro_rules! with_quote {
    ($($field:expr),* $(,)?) => {
        &[
            $($field,)*
            Field("currency_code_give", Ty::Text),
            Field("currency_code_get", Ty::Text),
            Field("reserve", Ty::Text),
            Field("course_give", Ty::Text),
            Field("course_get", Ty::Text),
            Field("sum_give", Ty::Text),
            Field("sum_give_com", Ty::Text),
            Field("sum_get", Ty::Text),
            Field("sum_get_com", Ty::Text),
            Field("com_give", Ty::Text),
            Field("com_get", Ty::Text),
            Field("min_give", Ty::Limit),
            Field("max_give", Ty::Limit),
            Field("min_get", Ty::Limit),
            Field("max_get", Ty::Limit),
        ]
    };
}

const DIRECTION: Ty = Ty::Obj(with_quote![
    Field("id", Ty::Text),
    Field("url", Ty::Text),
    Field("give_fields", Ty::Fields),
    Field("get_fields", Ty::Fields),
    Field("dir_fields", Ty::Fields),
    Field(
        "info",
        Ty::Obj(&[
            Field("timeline_text", Ty::Text),
            Field("frozen_text", Ty::Text),
            Field("before_button_text", Ty::Text),
        ]),
    ),
]);

const CALC: Ty = Ty::Obj(with_quote![Field("changed", Ty::Flag)]);

const BID: Ty = Ty::Obj(&[
    Field("url", Ty::Text),
    Field("id", Ty::Text),
    Field("hash", Ty::Text),
    Field("status", Ty::Text),
    Field("status_title", Ty::Text),
    Field("psys_give", Ty::Text),
    Field("psys_get", Ty::Text),
    Field("currency_code_give", Ty::Text),
    Field("currency_code_get", Ty::Text),
    Field("amount_give", Ty::Text),
    Field("amount_get", Ty::Text),
    Field("course_give", Ty::OptText),
    Field("course_get", Ty::OptText),
    Field(
        "api_actions",
        Ty::Obj(&[
            Field("type", Ty::Text),
            Field("cancel", Ty::Text),
            Field("pay", Ty::Text),
            Field("pay_amount", Ty::Text),
            Field("instruction", Ty::Text),
        ]),
    ),
    Field("address", Ty::OptText),
    Field("dest_tag", Ty::OptText),
    Field("api_id", Ty::OptText),
    Field("replayed", Ty::OptFlag),
]);

const STATUS_CHANGE: Ty = Ty::Obj(&[
    Field("time", Ty::Int),
    Field("date", Ty::Text),
    Field("status", Ty::Text),
]);

const EXCHANGE: Ty = Ty::Obj(&[
    Field("id", Ty::Text),
    Field("api_id", Ty::OptText),
    Field("time", Ty::Int),
    Field("date", Ty::Text),
    Field("psys_give", Ty::Text),
    Field("psys_get", Ty::Text),
    Field("currency_code_give", Ty::Text),
    Field("currency_code_get", Ty::Text),
    Field("course_give", Ty::Text),
    Field("course_get", Ty::Text),
    Field("amount_give", Ty::Text),
    Field("amount_get", Ty::Text),
    Field("exchange_success", Ty::Flag),
    Field("accrued", Ty::OptFlag),
    Field("partner_reward", Ty::OptText),
    Field("user_hash", Ty::Text),
    Field("user_ip", Ty::Text),
    Field("status", Ty::Text),
    Field("statuses", Ty::OptList(&STATUS_CHANGE)),
]);

const PARTNER_INFO: Ty = Ty::Obj(&[
    Field("partner_id", Ty::Text),
    Field("balance", Ty::Text),
    Field("min_payout", Ty::Text),
    Field(
        "items",
        Ty::List(&Ty::Obj(&[
            Field("id", Ty::Text),
            Field("title", Ty::Text),
            // The server's spelling; seed 001 writes `commission`.
            Field("comission|commission", Ty::Text),
            Field("amount", Ty::Text),
        ])),
    ),
]);

const PARTNER_LINK: Ty = Ty::Obj(&[
    Field("time", Ty::Int),
    Field("date", Ty::Text),
    Field("browser", Ty::Text),
    Field("ip", Ty::Text),
    Field("referrer", Ty::Text),
    Field("user_hash", Ty::Text),
    Field("query_string", Ty::Text),
]);

const PARTNER_PAYOUT: Ty = Ty::Obj(&[
    Field("id", Ty::Text),
    Field("time", Ty::Int),
    Field("date", Ty::Text),
    Field("method_id", Ty::Text),
    Field("account", Ty::Text),
    Field("pay_amount", Ty::Text),
    Field("pay_currency_code", Ty::Text),
    Field("original_amount", Ty::Text),
    Field("original_currency_code", Ty::Text),
    Field("status", Ty::Int),
]);

/// The shape of `method`'s `data`.
pub fn of(method: Method) -> Ty {
    match method {
        Method::Test => Ty::Obj(&[
            Field("ip", Ty::Text),
            Field("user_id", Ty::Text),
            Field("locale", Ty::Text),
            Field("partner_id", Ty::Text),
        ]),
        Method::GetDirectionCurrencies => Ty::Obj(&[
            Field("give", Ty::List(&CURRENCY)),
            Field("get", Ty::List(&CURRENCY)),
        ]),
        Method::GetDirections => Ty::List(&DIRECTION_SUMMARY),
        Method::GetDirection => DIRECTION,
        Method::GetCalc => CALC,
        Method::GetExchanges | Method::GetPartnerExchanges => Ty::Page(&EXCHANGE),
        Method::CreateBid | Method::BidInfo => BID,
        Method::CancelBid | Method::PayBid | Method::SuccessBid => Ty::Text,
        Method::GetPartnerInfo => PARTNER_INFO,
        Method::GetPartnerLinks => Ty::Page(&PARTNER_LINK),
        Method::GetPartnerPayouts => Ty::Page(&PARTNER_PAYOUT),
        Method::AddPartnerPayout => Ty::Obj(&[Field("payout_id", Ty::Text)]),
    }
}

/// True for what PHP writes for "nothing": absent, `null`, `false`, `""`, `[]`, `{}`.
pub fn is_nothing(value: Option<&PhpValue>) -> bool {
    match value {
        None | Some(PhpValue::Null | PhpValue::Bool(false)) => true,
        Some(PhpValue::Str(s)) => s.is_empty(),
        Some(PhpValue::List(items)) => items.is_empty(),
        Some(PhpValue::Array(entries)) => entries.is_empty(),
        _ => false,
    }
}

/// A scalar as text; `None` for a non-empty list or object.
pub fn text_of(value: Option<&PhpValue>) -> Option<String> {
    match value {
        Some(PhpValue::Bool(true)) => Some("1".to_owned()),
        Some(PhpValue::Int(i)) => Some(i.to_string()),
        Some(PhpValue::Float(f)) => Some(plain_decimal(*f)),
        Some(PhpValue::Str(s)) => Some(s.clone()),
        v if is_nothing(v) => Some(String::new()),
        _ => None,
    }
}

fn flag_of(value: Option<&PhpValue>) -> Option<bool> {
    match value {
        Some(PhpValue::Bool(b)) => Some(*b),
        Some(PhpValue::Int(i)) => Some(*i != 0),
        Some(PhpValue::Float(f)) => Some(*f != 0.0),
        // PHP truthiness of a string, plus "false" from plugins writing booleans as text.
        Some(PhpValue::Str(s)) => Some(!matches!(s.trim(), "" | "0" | "false")),
        v if is_nothing(v) => Some(false),
        _ => None,
    }
}

fn int_of(value: Option<&PhpValue>) -> Option<i64> {
    match value {
        Some(PhpValue::Int(i)) => Some(*i),
        Some(PhpValue::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        Some(PhpValue::Str(s)) if !s.trim().is_empty() => s.trim().parse().ok(),
        Some(PhpValue::Bool(true)) => Some(1),
        v if is_nothing(v) => Some(0),
        _ => None,
    }
}

/// The items of a PHP array given as a list or an object, with their keys (`None` in a list).
fn items_of(value: Option<&PhpValue>) -> Option<Vec<(Option<&str>, &PhpValue)>> {
    match value {
        Some(PhpValue::List(items)) => Some(items.iter().map(|v| (None, v)).collect()),
        Some(PhpValue::Array(entries)) => {
            Some(entries.iter().map(|(k, v)| (Some(k.as_str()), v)).collect())
        }
        v if is_nothing(v) => Some(Vec::new()),
        _ => None,
    }
}

/// The value of `name` (or one of its `|` aliases) in an object.
pub fn get<'a>(object: &'a PhpValue, names: &str) -> Option<&'a PhpValue> {
    let PhpValue::Array(entries) = object else {
        return None;
    };
    names
        .split('|')
        .find_map(|name| entries.iter().find(|(k, _)| k == name).map(|(_, v)| v))
}

fn shape_error(path: &str, want: &str) -> String {
    format!("{path} is not {want}")
}

/// `value` in its canonical form, or `Ok(None)` when the field is left out; `path` names
/// it in errors (`data.give_fields[0].req`).
pub fn normalize(value: Option<&PhpValue>, ty: Ty, path: &str) -> Result<Option<PhpValue>, String> {
    let out = match ty {
        Ty::Text => PhpValue::Str(text_of(value).ok_or_else(|| shape_error(path, "text"))?),
        Ty::OptText => match text_of(value) {
            Some(s) if s.is_empty() => return Ok(None),
            Some(s) => PhpValue::Str(s),
            None => return Err(shape_error(path, "text")),
        },
        Ty::Flag => PhpValue::Bool(flag_of(value).ok_or_else(|| shape_error(path, "a 0/1 flag"))?),
        Ty::OptFlag => match value {
            None | Some(PhpValue::Null) => return Ok(None),
            v => PhpValue::Bool(flag_of(v).ok_or_else(|| shape_error(path, "a 0/1 flag"))?),
        },
        Ty::Int => PhpValue::Int(int_of(value).ok_or_else(|| shape_error(path, "a whole number"))?),
        Ty::Limit => match text_of(value) {
            Some(s) if matches!(s.trim(), "" | "no") => PhpValue::Null,
            Some(s) => PhpValue::Str(s),
            None => return Err(shape_error(path, "an amount or \"no\"")),
        },
        Ty::List(item) => list(value, *item, path)?,
        Ty::OptList(item) => match value {
            None | Some(PhpValue::Null) => return Ok(None),
            v => list(v, *item, path)?,
        },
        Ty::Obj(fields) => object(value, fields, path)?,
        Ty::Fields => {
            let items = items_of(value).ok_or_else(|| shape_error(path, "a field list"))?;
            let mut out = Vec::with_capacity(items.len());
            for (i, (key, item)) in items.into_iter().enumerate() {
                let mut field = object(Some(item), DIRECTION_FIELD, &format!("{path}[{i}]"))?;
                // A list keyed by name may leave `name` out of the descriptor.
                if let (PhpValue::Array(entries), Some(key)) = (&mut field, key) {
                    if let Some((_, PhpValue::Str(name))) = entries.first_mut() {
                        if name.is_empty() {
                            *name = key.to_owned();
                        }
                    }
                }
                out.push(field);
            }
            PhpValue::List(out)
        }
        Ty::Options => {
            let items = items_of(value).ok_or_else(|| shape_error(path, "a list of options"))?;
            if items.is_empty() {
                return Ok(None);
            }
            let mut out = Vec::with_capacity(items.len());
            for (i, (key, item)) in items.into_iter().enumerate() {
                let (value, label) = match item {
                    PhpValue::Array(_) => {
                        (text_of(get(item, "value")), text_of(get(item, "label")))
                    }
                    _ => (
                        key.map(str::to_owned).or_else(|| Some(i.to_string())),
                        text_of(Some(item)),
                    ),
                };
                let (Some(value), Some(label)) = (value, label) else {
                    return Err(shape_error(&format!("{path}[{i}]"), "an option"));
                };
                out.push(PhpValue::Array(vec![
                    ("value".to_owned(), PhpValue::Str(value)),
                    ("label".to_owned(), PhpValue::Str(label)),
                ]));
            }
            PhpValue::List(out)
        }
        Ty::Page(item) => {
            let items = match value {
                Some(obj @ PhpValue::Array(entries)) if !entries.is_empty() => get(obj, "items"),
                v => v,
            };
            PhpValue::Array(vec![("items".to_owned(), list(items, *item, path)?)])
        }
    };
    Ok(Some(out))
}

fn list(value: Option<&PhpValue>, item: Ty, path: &str) -> Result<PhpValue, String> {
    let items = items_of(value).ok_or_else(|| shape_error(path, "a list"))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, (_, v)) in items.into_iter().enumerate() {
        if let Some(v) = normalize(Some(v), item, &format!("{path}[{i}]"))? {
            out.push(v);
        }
    }
    Ok(PhpValue::List(out))
}

fn object(value: Option<&PhpValue>, fields: &[Field], path: &str) -> Result<PhpValue, String> {
    let empty = PhpValue::Array(Vec::new());
    let source = match value {
        Some(obj @ PhpValue::Array(_)) => obj,
        v if is_nothing(v) => &empty,
        _ => return Err(shape_error(path, "an object")),
    };
    let mut out = Vec::with_capacity(fields.len());
    for Field(names, ty) in fields {
        let name = names.split('|').next().unwrap_or(names);
        if let Some(v) = normalize(get(source, names), *ty, &format!("{path}.{name}"))? {
            out.push((name.to_owned(), v));
        }
    }
    Ok(PhpValue::Array(out))
}

/// Sets (or replaces) `name` in a canonical object.
pub fn set(object: &mut PhpValue, name: &str, value: PhpValue) {
    if let PhpValue::Array(entries) = object {
        match entries.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value,
            None => entries.push((name.to_owned(), value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(ty: Ty, json: &str) -> Result<String, String> {
        let value = crate::json::decode(json).unwrap();
        normalize(Some(&value), ty, "x").map(|v| {
            v.map(|v| crate::json::encode_to_string(&v))
                .unwrap_or_default()
        })
    }

    #[test]
    fn scalars_in_every_wire_shape() {
        for (json, want) in [
            (r#""a""#, r#""a""#),
            ("7", r#""7""#),
            ("0.00000001", r#""0.00000001""#),
            ("null", r#""""#),
            ("[]", r#""""#),
            ("true", r#""1""#),
        ] {
            assert_eq!(canon(Ty::Text, json).unwrap(), want, "{json}");
        }
        assert!(canon(Ty::Text, "[1]").is_err());
        assert!(canon(Ty::Text, r#"{"a":1}"#).is_err());
        for (json, want) in [
            ("1", "true"),
            ("0", "false"),
            (r#""1""#, "true"),
            (r#""0""#, "false"),
            ("true", "true"),
            (r#""""#, "false"),
            ("null", "false"),
        ] {
            assert_eq!(canon(Ty::Flag, json).unwrap(), want, "{json}");
        }
        assert_eq!(canon(Ty::Limit, r#""no""#).unwrap(), "null");
        assert_eq!(canon(Ty::Limit, "3").unwrap(), r#""3""#);
        assert_eq!(canon(Ty::Int, r#""3""#).unwrap(), "3");
        assert_eq!(canon(Ty::Int, r#""""#).unwrap(), "0");
        assert!(canon(Ty::Int, r#""x""#).is_err());
        assert_eq!(canon(Ty::OptText, r#""""#).unwrap(), "");
        assert_eq!(canon(Ty::OptFlag, "null").unwrap(), "");
    }

    #[test]
    fn lists_fields_and_options() {
        let list = Ty::List(&Ty::Text);
        assert_eq!(canon(list, r#"["a",1]"#).unwrap(), r#"["a","1"]"#);
        assert_eq!(canon(list, r#"{"x":"a","y":"b"}"#).unwrap(), r#"["a","b"]"#);
        assert_eq!(canon(list, r#""""#).unwrap(), "[]");
        assert!(canon(list, "5").is_err());
        assert_eq!(
            canon(Ty::Options, r#"["No","A"]"#).unwrap(),
            r#"[{"value":"0","label":"No"},{"value":"1","label":"A"}]"#
        );
        assert_eq!(
            canon(Ty::Options, r#"{"0":"No","3":"C"}"#).unwrap(),
            r#"[{"value":"0","label":"No"},{"value":"3","label":"C"}]"#
        );
        let again = canon(Ty::Options, r#"[{"value":"3","label":"C"}]"#).unwrap();
        assert_eq!(again, r#"[{"value":"3","label":"C"}]"#);
        assert_eq!(canon(Ty::Options, "[]").unwrap(), "");
        // Keyed by name without `name` inside; `req` as a string; unknown keys dropped.
        let fields = canon(
            Ty::Fields,
            r#"{"cf6":{"type":"text","req":"1","cash-id":"x"}}"#,
        )
        .unwrap();
        assert_eq!(
            fields,
            r#"[{"name":"cf6","type":"text","label":"","req":true,"tooltip":"","cd":false}]"#
        );
        let page = Ty::Page(&Ty::Text);
        assert_eq!(canon(page, "[]").unwrap(), r#"{"items":[]}"#);
        assert_eq!(
            canon(page, r#"{"items":{"0":"a"}}"#).unwrap(),
            r#"{"items":["a"]}"#
        );
    }

    #[test]
    fn errors_name_the_path() {
        let err = canon(of(Method::GetDirection), r#"{"give_fields":[{"req":[1]}]}"#).unwrap_err();
        assert_eq!(err, "x.give_fields[0].req is not a 0/1 flag");
    }
}
