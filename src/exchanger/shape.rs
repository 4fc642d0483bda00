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
use crate::json::Value;
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
    /// A min/max limit: text, or `null` for the wire's `"no"` (`"нет"` in seed 001).
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

/// What the shapes look at in a value of either kind (read JSON or a PHP value): a scalar,
/// or a container that is empty or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leaf<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    /// `[]` or `{}`.
    Empty,
    /// A list or object with something in it.
    Full,
}

/// A read JSON value as a [`Leaf`].
pub fn leaf<'a>(value: &'a Value) -> Leaf<'a> {
    match value {
        Value::Null => Leaf::Null,
        Value::Bool(b) => Leaf::Bool(*b),
        Value::Int(i) => Leaf::Int(*i),
        Value::Float(f) => Leaf::Float(*f),
        Value::Str(s) => Leaf::Str(s),
        Value::Object(m) if m.is_empty() => Leaf::Empty,
        Value::List(l) if l.is_empty() => Leaf::Empty,
        Value::Object(_) | Value::List(_) => Leaf::Full,
    }
}

/// A PHP value as a [`Leaf`].
pub fn php_leaf(value: &PhpValue) -> Leaf<'_> {
    match value {
        PhpValue::Null => Leaf::Null,
        PhpValue::Bool(b) => Leaf::Bool(*b),
        PhpValue::Int(i) => Leaf::Int(*i),
        PhpValue::Float(f) => Leaf::Float(*f),
        PhpValue::Str(s) => Leaf::Str(s),
        PhpValue::Array(e) if e.is_empty() => Leaf::Empty,
        PhpValue::List(l) if l.is_empty() => Leaf::Empty,
        PhpValue::Array(_) | PhpValue::List(_) => Leaf::Full,
    }
}

/// True for what PHP writes for "nothing": absent, `null`, `false`, `""`, `[]`, `{}`.
pub fn is_nothing(value: Option<Leaf>) -> bool {
    matches!(
        value,
        None | Some(Leaf::Null | Leaf::Bool(false) | Leaf::Empty | Leaf::Str(""))
    )
}

/// Pushes a scalar as text (nothing as `""`); false for a non-empty list or object.
fn push_text(value: Option<Leaf>, out: &mut String) -> bool {
    match value {
        Some(Leaf::Bool(true)) => out.push('1'),
        Some(Leaf::Int(i)) => crate::php::push_i64(i, out),
        Some(Leaf::Float(f)) => out.push_str(&plain_decimal(f)),
        Some(Leaf::Str(s)) => out.push_str(s),
        Some(Leaf::Full) => return false,
        _ => {}
    }
    true
}

/// A scalar as text; `None` for a non-empty list or object.
pub fn text_of(value: Option<Leaf>) -> Option<String> {
    let mut text = String::new();
    push_text(value, &mut text).then_some(text)
}

fn flag_of(value: Option<Leaf>) -> Option<bool> {
    match value {
        Some(Leaf::Bool(b)) => Some(b),
        Some(Leaf::Int(i)) => Some(i != 0),
        Some(Leaf::Float(f)) => Some(f != 0.0),
        // PHP truthiness of a string, plus "false" from plugins writing booleans as text.
        Some(Leaf::Str(s)) => Some(!matches!(s.trim(), "" | "0" | "false")),
        Some(Leaf::Full) => None,
        _ => Some(false),
    }
}

fn int_of(value: Option<Leaf>) -> Option<i64> {
    match value {
        Some(Leaf::Int(i)) => Some(i),
        Some(Leaf::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
        Some(Leaf::Str(s)) if !s.trim().is_empty() => s.trim().parse().ok(),
        Some(Leaf::Bool(true)) => Some(1),
        v if is_nothing(v) => Some(0),
        _ => None,
    }
}

/// The items of a PHP array given as a list or an object, with their keys (`None` in a
/// list); an object's repeated key keeps its first place and its last value, as in PHP.
fn items_of<'v, 'a>(value: Option<&'v Value<'a>>) -> Option<Vec<(Option<&'v str>, &'v Value<'a>)>> {
    match value {
        Some(Value::List(items)) => Some(items.iter().map(|v| (None, v)).collect()),
        Some(Value::Object(members)) => Some(
            crate::json::entries(members.iter().map(|(k, v)| (k.as_ref(), v)).collect())
                .into_iter()
                .map(|(k, v)| (Some(k), v))
                .collect(),
        ),
        v if is_nothing(v.map(leaf)) => Some(Vec::new()),
        _ => None,
    }
}

/// The value of `name` (or one of its `|` aliases) in an object: its last occurrence, which
/// is the one PHP keeps.
pub fn get<'v, 'a>(object: &'v Value<'a>, names: &str) -> Option<&'v Value<'a>> {
    let Value::Object(members) = object else {
        return None;
    };
    aliases(names).find_map(|name| {
        members
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    })
}

/// A field's names, split at `|`, the canonical one first. A byte search: `str::split('|')`
/// set up a char searcher for every field of every answer, 8 % of reading a direction list.
fn aliases(names: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(names);
    std::iter::from_fn(move || {
        let names = rest?;
        let end = names.bytes().position(|b| b == b'|');
        rest = end.and_then(|at| names.get(at + 1..));
        names.get(..end.unwrap_or(names.len()))
    })
}

/// One step of the path to a value: a field or a list position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Field(&'static str),
    Index(usize),
}

/// A value that does not have its shape: what it should be, and where. The path is built
/// only on failure, innermost step first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit {
    want: &'static str,
    path: Vec<Step>,
}

impl Misfit {
    fn new(want: &'static str) -> Misfit {
        Misfit {
            want,
            path: Vec::new(),
        }
    }

    fn at(mut self, step: Step) -> Misfit {
        self.path.push(step);
        self
    }

    /// `data.give_fields[0].req is not a 0/1 flag`, for the value named `root`.
    pub fn message(&self, root: &str) -> String {
        let mut text = root.to_owned();
        for step in self.path.iter().rev() {
            match step {
                Step::Field(name) => {
                    text.push('.');
                    text.push_str(name);
                }
                Step::Index(i) => {
                    text.push('[');
                    crate::php::push_u64(*i as u64, &mut text);
                    text.push(']');
                }
            }
        }
        text.push_str(" is not ");
        text.push_str(self.want);
        text
    }
}

/// Writes `value` in its canonical form as JSON, straight from the text as read: no tree is
/// built and nothing is copied twice. `Ok(false)` means the field is left out (nothing was
/// written).
pub fn write(value: Option<&Value>, ty: Ty, out: &mut String) -> Result<bool, Misfit> {
    let scalar = value.map(leaf);
    match ty {
        Ty::Text => text(scalar, out, "text")?,
        Ty::OptText => match scalar {
            v if is_nothing(v) => return Ok(false),
            v => text(v, out, "text")?,
        },
        Ty::Flag => flag(scalar, out)?,
        Ty::OptFlag => match scalar {
            None | Some(Leaf::Null) => return Ok(false),
            v => flag(v, out)?,
        },
        Ty::Int => {
            let n = int_of(scalar).ok_or_else(|| Misfit::new("a whole number"))?;
            crate::php::push_i64(n, out);
        }
        Ty::Limit => match scalar {
            // Seed 000 writes "no limit" as "no", seed 001 as "нет".
            Some(Leaf::Str(s)) if matches!(s.trim(), "" | "no" | "нет") => out.push_str("null"),
            v if is_nothing(v) => out.push_str("null"),
            v => text(v, out, "an amount or \"no\"")?,
        },
        Ty::List(item) => list(value, *item, out)?,
        Ty::OptList(item) => match scalar {
            None | Some(Leaf::Null) => return Ok(false),
            _ => list(value, *item, out)?,
        },
        Ty::Obj(fields) => object(value, fields, None, out)?,
        Ty::Fields => {
            let items = items_of(value).ok_or_else(|| Misfit::new("a field list"))?;
            out.push('[');
            for (i, (key, item)) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                object(Some(item), DIRECTION_FIELD, key, out).map_err(|m| m.at(Step::Index(i)))?;
            }
            out.push(']');
        }
        Ty::Options => {
            let items = items_of(value).ok_or_else(|| Misfit::new("a list of options"))?;
            if items.is_empty() {
                return Ok(false);
            }
            let mark = out.len();
            out.push('[');
            for (i, (key, item)) in items.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"value\":");
                let written = match (item, key) {
                    (Value::Object(_), _) => {
                        text(get(item, "value").map(leaf), out, "").is_ok() && {
                            out.push_str(",\"label\":");
                            text(get(item, "label").map(leaf), out, "").is_ok()
                        }
                    }
                    (_, key) => {
                        match key {
                            Some(key) => crate::json::encode_str(key, out),
                            None => {
                                out.push('"');
                                crate::php::push_u64(i as u64, out);
                                out.push('"');
                            }
                        }
                        out.push_str(",\"label\":");
                        text(Some(leaf(item)), out, "").is_ok()
                    }
                };
                if !written {
                    out.truncate(mark);
                    return Err(Misfit::new("an option").at(Step::Index(i)));
                }
                out.push('}');
            }
            out.push(']');
        }
        Ty::Page(item) => {
            let items = match value {
                Some(obj @ Value::Object(members)) if !members.is_empty() => get(obj, "items"),
                v => v,
            };
            out.push_str("{\"items\":");
            list(items, *item, out)?;
            out.push('}');
        }
    }
    Ok(true)
}

/// A scalar as a JSON string.
fn text(value: Option<Leaf>, out: &mut String, want: &'static str) -> Result<(), Misfit> {
    match value {
        Some(Leaf::Str(s)) => crate::json::encode_str(s, out),
        Some(Leaf::Full) => return Err(Misfit::new(want)),
        v => {
            // Numbers and nothing need no escaping.
            out.push('"');
            push_text(v, out);
            out.push('"');
        }
    }
    Ok(())
}

fn flag(value: Option<Leaf>, out: &mut String) -> Result<(), Misfit> {
    let flag = flag_of(value).ok_or_else(|| Misfit::new("a 0/1 flag"))?;
    out.push_str(if flag { "true" } else { "false" });
    Ok(())
}

fn list(value: Option<&Value>, item: Ty, out: &mut String) -> Result<(), Misfit> {
    let items = items_of(value).ok_or_else(|| Misfit::new("a list"))?;
    out.push('[');
    let mut first = true;
    for (i, (_, v)) in items.into_iter().enumerate() {
        let mark = out.len();
        if !first {
            out.push(',');
        }
        if write(Some(v), item, out).map_err(|m| m.at(Step::Index(i)))? {
            first = false;
        } else {
            out.truncate(mark);
        }
    }
    out.push(']');
    Ok(())
}

/// An object with `fields` in their order. `name`, when given, stands in for an empty `name`
/// field (a field list keyed by name may leave it out of each descriptor).
fn object(
    value: Option<&Value>,
    fields: &[Field],
    name: Option<&str>,
    out: &mut String,
) -> Result<(), Misfit> {
    let source = match value {
        Some(obj @ Value::Object(_)) => Some(obj),
        v if is_nothing(v.map(leaf)) => None,
        _ => return Err(Misfit::new("an object")),
    };
    out.push('{');
    let mut first = true;
    for Field(names, ty) in fields {
        let canonical = aliases(names).next().unwrap_or(names);
        let mark = out.len();
        if !first {
            out.push(',');
        }
        crate::json::encode_str(canonical, out);
        out.push(':');
        let field = source.and_then(|s| get(s, names));
        let written = match name {
            Some(key) if canonical == "name" && is_nothing(field.map(leaf)) => {
                crate::json::encode_str(key, out);
                true
            }
            _ => write(field, *ty, out).map_err(|m| m.at(Step::Field(canonical)))?,
        };
        if written {
            first = false;
        } else {
            out.truncate(mark);
        }
    }
    out.push('}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(ty: Ty, json: &str) -> Result<String, String> {
        let read = crate::json::read(json).unwrap();
        let mut out = String::new();
        write(Some(&read.value), ty, &mut out)
            .map(|_| out)
            .map_err(|m| m.message("x"))
    }

    #[test]
    fn aliases_split_at_bars_canonical_first() {
        let split = |names| aliases(names).collect::<Vec<_>>();
        assert_eq!(split("id"), ["id"]);
        assert_eq!(split("comission|commission"), ["comission", "commission"]);
        assert_eq!(split("a||b|"), ["a", "", "b", ""]);
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
        // Seed 001 gives "no limit" as "нет".
        assert_eq!(canon(Ty::Limit, r#""нет""#).unwrap(), "null");
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
