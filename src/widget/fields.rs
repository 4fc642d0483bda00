//! The give, get and direction fields of `get_direction` as a form: values as typed, checked
//! as typed with the rules the exchanger's own form applies before it submits (required,
//! a chosen select option, e-mail and Telegram formats, length). What only the server knows
//! (an account's pattern) comes back as `error_fields` and is shown next to the field.

use super::i18n::{t, Lang, T};
use super::wire::DirectionField as Field;

/// Longest value the exchanger stores in a custom field.
const MAX_LEN: usize = 250;

/// A rule a field value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Required,
    NotSelected,
    Email,
    Telegram,
    TooLong,
}

impl Rule {
    pub fn message(self, lang: Lang) -> &'static str {
        t(
            lang,
            match self {
                Rule::Required => T::FieldRequired,
                Rule::NotSelected => T::FieldNotSelected,
                Rule::Email => T::FieldEmail,
                Rule::Telegram => T::FieldTelegram,
                Rule::TooLong => T::FieldTooLong,
            },
        )
    }
}

/// Whether the field is a select (the exchanger's `type` is `select` or it has options).
pub fn is_select(field: &Field) -> bool {
    field.field_type == "select" || !field.options.is_empty()
}

/// The value a select starts with: the exchanger's "not selected" option `0`.
pub fn initial_value(field: &Field) -> String {
    if is_select(field) {
        "0".to_string()
    } else {
        String::new()
    }
}

/// Checks one value; `None` when it may be sent.
pub fn check(field: &Field, value: &str) -> Option<Rule> {
    let v = value.trim();
    if is_select(field) {
        let chosen = !v.is_empty() && v != "0";
        if !chosen {
            return field.req.then_some(Rule::NotSelected);
        }
        // Only an offered option may be sent.
        return (!field.options.iter().any(|o| o.value == v)).then_some(Rule::NotSelected);
    }
    if v.is_empty() {
        return field.req.then_some(Rule::Required);
    }
    if v.chars().count() > MAX_LEN {
        return Some(Rule::TooLong);
    }
    // The exchanger's standard custom fields (seed: cf6 E-mail, cf11 Telegram).
    if field.name == "cf6" && !is_email(v) {
        return Some(Rule::Email);
    }
    if field.name == "cf11" && !is_telegram(v) {
        return Some(Rule::Telegram);
    }
    None
}

/// `name@host.tld`: what the exchanger's e-mail check accepts.
fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    let clean = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c == '@');
    clean(local) && clean(host) && clean(tld) && tld.chars().count() >= 2
}

/// `@username` or `username`: 5–32 Latin letters, digits or `_`.
fn is_telegram(v: &str) -> bool {
    let name = v.strip_prefix('@').unwrap_or(v);
    (5..=32).contains(&name.len()) && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// A name safe to use in element ids (`cf6`, `account1`); others are mapped to `_`.
pub fn dom_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widget::wire::DirectionFieldOption;

    fn field(name: &str, kind: &str, req: bool) -> Field {
        Field {
            name: name.into(),
            field_type: kind.into(),
            label: name.into(),
            req,
            tooltip: String::new(),
            options: if kind == "select" {
                [("0", "No"), ("1", "A"), ("3", "C")]
                    .into_iter()
                    .map(|(value, label)| DirectionFieldOption {
                        value: value.into(),
                        label: label.into(),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            cd: false,
        }
    }

    #[test]
    fn required_text_and_selects() {
        let name = field("cf1", "text", true);
        assert_eq!(check(&name, ""), Some(Rule::Required));
        assert_eq!(check(&name, "   "), Some(Rule::Required));
        assert_eq!(check(&name, "Ivan"), None);
        assert_eq!(check(&field("cf3", "text", false), ""), None);
        let net = field("cf12", "select", true);
        assert_eq!(initial_value(&net), "0");
        assert_eq!(check(&net, "0"), Some(Rule::NotSelected));
        assert_eq!(check(&net, "3"), None);
        assert_eq!(
            check(&net, "2"),
            Some(Rule::NotSelected),
            "not an offered option"
        );
        assert_eq!(check(&field("cfgive16", "select", false), "0"), None);
    }

    #[test]
    fn formats() {
        let email = field("cf6", "text", true);
        assert_eq!(check(&email, "ivan@example.com"), None);
        for bad in ["ivan", "ivan@", "ivan@example", "a b@example.com", "x@y.c"] {
            assert_eq!(check(&email, bad), Some(Rule::Email), "{bad}");
        }
        let tg = field("cf11", "text", false);
        assert_eq!(check(&tg, ""), None);
        assert_eq!(check(&tg, "@ivan_99"), None);
        assert_eq!(check(&tg, "ivan"), Some(Rule::Telegram));
        assert_eq!(check(&tg, "@иван_ок"), Some(Rule::Telegram));
        assert_eq!(
            check(&field("cf1", "text", true), &"x".repeat(251)),
            Some(Rule::TooLong)
        );
    }

    #[test]
    fn dom_names_are_safe() {
        assert_eq!(dom_name("cfgive8"), "cfgive8");
        assert_eq!(dom_name("a\"b<c d"), "a_b_c_d");
    }
}
