//! Field rules of the api2 builders: what the gateway accepts for each kind of value (seed
//! 002's error table: no parameter may contain a space, amounts are numbers, card numbers 16
//! digits and Luhn-checked, phones at least 10 digits) plus what the SDK can tell for certain
//! (an absolute http(s) URL, a positive period). Each check returns the broken rule in plain
//! English, so one `ValidationError` can list every field at once.

use super::directions::{direction, DirectionRequisite, PaymentDirection};
use crate::php::PhpValue;
use crate::validate::ValidationError;

/// One parameter an endpoint documents.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The wire name (`uniqID`, `statusURL`, ...).
    pub name: &'static str,
    pub rule: Rule,
    pub required: bool,
}

/// What a parameter's value must be.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// An id: a positive whole number or a string of digits (`id`, `currID`, `shopID`).
    Id,
    /// An identifier: text or a whole number, without spaces (`uniqID`, `label`, `userID`).
    Token,
    /// Free text: spaces allowed, as in the seed's own `memo`, `info` and user agent.
    Text,
    /// A positive finite number, or a plain decimal string such as `"500.52"`.
    Amount,
    /// A positive whole number (`period`, `time`).
    PositiveInt,
    /// An absolute http(s) URL (`statusURL`, `disputeURL`).
    Url,
    /// A confirmation code: digits only.
    Digits,
    Email,
    Phone,
    /// A payer's card number: 16 digits passing the Luhn check, as a string.
    Card,
    Month,
    Year,
    Cvv,
    /// A payout's `number`: what the sibling `currID`'s direction needs.
    Requisite,
    /// A nested object with its own fields (`userInfo`, `from`).
    Object(&'static [Field]),
}

const NO_SPACE: &str = "must not contain a space (the gateway answers param_wrong)";

/// Checks `entries` against the fields of `tables` (an interface and the ones it extends):
/// every required field is present, every documented one follows its rule, and every other
/// one is passed through as long as the gateway would not refuse it. Field names in issues
/// carry `prefix` (`userInfo.email`).
pub fn check_fields(
    tables: &[&[Field]],
    entries: &[(String, PhpValue)],
    prefix: &str,
    errors: &mut ValidationError,
) {
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    let fields = || tables.iter().flat_map(|t| t.iter());
    for field in fields() {
        match entries.iter().find(|(k, _)| k == field.name) {
            None if field.required => errors.push(path(field.name), "is required"),
            None => {}
            Some((_, value)) => {
                if let Err(rule) =
                    check_value(field.rule, value, entries, &path(field.name), errors)
                {
                    errors.push(path(field.name), rule);
                }
            }
        }
    }
    for (key, value) in entries {
        if fields().any(|f| f.name == key) {
            continue;
        }
        // A wrong case is the common typo (`uniqId`, `statusUrl`), and the gateway would
        // silently ignore it.
        if let Some(meant) = fields().find(|f| f.name.eq_ignore_ascii_case(key)) {
            errors.push(
                path(key),
                format!(
                    "is not a parameter of this endpoint; did you mean {}?",
                    meant.name
                ),
            );
        } else if scalar_text(value).is_some_and(|s| s.contains(' ')) {
            errors.push(path(key), NO_SPACE);
        }
    }
}

/// `Ok` or the rule the value breaks; nested objects report their own fields.
fn check_value(
    rule: Rule,
    value: &PhpValue,
    siblings: &[(String, PhpValue)],
    path: &str,
    errors: &mut ValidationError,
) -> Result<(), &'static str> {
    match rule {
        Rule::Id => check_id(value),
        Rule::Token => match value {
            PhpValue::Int(_) => Ok(()),
            PhpValue::Str(s) if s.is_empty() => Err("must not be empty"),
            PhpValue::Str(s) if s.chars().any(char::is_whitespace) => Err(NO_SPACE),
            PhpValue::Str(_) => Ok(()),
            _ => Err("must be a string without spaces"),
        },
        Rule::Text => scalar_text(value).map(drop).ok_or("must be a string"),
        Rule::Amount => check_amount(value),
        Rule::PositiveInt => match value {
            PhpValue::Int(i) if *i > 0 => Ok(()),
            _ => Err("must be a positive whole number"),
        },
        Rule::Url => match value {
            PhpValue::Str(s) if is_http_url(s) => Ok(()),
            _ => Err("must be an absolute http(s) URL without spaces"),
        },
        Rule::Digits => match scalar_text(value) {
            Some(s) if is_digits(&s) => Ok(()),
            _ => Err("must be digits only"),
        },
        Rule::Email => match value {
            PhpValue::Str(s) if is_email(s) => Ok(()),
            _ => Err("must be an email address without spaces"),
        },
        Rule::Phone => scalar_text(value).map_or(Err(PHONE), |s| check_phone(&s)),
        Rule::Card => match value {
            PhpValue::Str(s) => check_card(s),
            _ => Err("must be a string of 16 digits (a number would lose digits)"),
        },
        // The seed's "09": the gateway reads two digits, so a number below 10 will not do.
        Rule::Month => match value {
            PhpValue::Int(10..=12) => Ok(()),
            PhpValue::Str(s) if s.len() == 2 && matches!(s.parse::<u8>(), Ok(1..=12)) => Ok(()),
            _ => Err("must be the month as two digits, \"01\" to \"12\" (a number below 10 loses its leading zero)"),
        },
        Rule::Year => match scalar_text(value) {
            Some(s) if s.len() == 4 && is_digits(&s) => Ok(()),
            _ => Err("must be the four-digit year"),
        },
        // 16-digit cards (the rule of `card`) carry a 3-digit code; 4 digits is Amex's, 15-digit.
        Rule::Cvv => match value {
            PhpValue::Int(100..=999) => Ok(()),
            PhpValue::Str(s) if s.len() == 3 && is_digits(s) => Ok(()),
            _ => Err("must be 3 digits (a string keeps a leading zero: \"012\")"),
        },
        Rule::Requisite => check_requisite(value, siblings),
        Rule::Object(fields) => match value {
            PhpValue::Array(entries) => {
                check_fields(&[fields], entries, path, errors);
                Ok(())
            }
            _ => Err("must be an object"),
        },
    }
}

/// A scalar as PHP's `(string)` prints it; `None` for booleans, null, arrays.
fn scalar_text(value: &PhpValue) -> Option<String> {
    match value {
        PhpValue::Str(_) | PhpValue::Int(_) | PhpValue::Float(_) => {
            let mut s = String::new();
            value.to_php_string(&mut s);
            Some(s)
        }
        _ => None,
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn check_id(value: &PhpValue) -> Result<(), &'static str> {
    match value {
        PhpValue::Int(i) if *i > 0 => Ok(()),
        PhpValue::Str(s) if is_digits(s) && s.bytes().any(|b| b != b'0') => Ok(()),
        _ => Err("must be a positive whole number or a string of digits"),
    }
}

fn check_amount(value: &PhpValue) -> Result<(), &'static str> {
    let positive = match value {
        PhpValue::Int(i) => *i > 0,
        PhpValue::Float(f) => f.is_finite() && *f > 0.0,
        PhpValue::Str(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "1"));
            is_digits(whole)
                && is_digits(fraction)
                && s.bytes().any(|b| b.is_ascii_digit() && b != b'0')
        }
        _ => false,
    };
    if positive {
        Ok(())
    } else {
        Err("must be a positive finite number, or a decimal string such as \"500.52\"")
    }
}

const PHONE: &str = "must be a phone number of 10 to 15 digits, optionally after +, without spaces";

fn check_phone(s: &str) -> Result<(), &'static str> {
    let digits = s.strip_prefix('+').unwrap_or(s);
    if is_digits(digits) && (10..=15).contains(&digits.len()) {
        Ok(())
    } else {
        Err(PHONE)
    }
}

fn check_card(s: &str) -> Result<(), &'static str> {
    if s.len() != 16 || !is_digits(s) {
        Err("must be 16 digits without spaces")
    } else if !luhn_valid(s) {
        Err("fails the Luhn check (a mistyped card number)")
    } else {
        Ok(())
    }
}

/// The Luhn checksum every payment card number carries.
pub fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// The seed's row for the `currID` among `entries`, when it names one the table lists.
pub fn known_direction(entries: &[(String, PhpValue)]) -> Option<&'static PaymentDirection> {
    let curr_id = entries
        .iter()
        .find(|(k, _)| k == "currID")
        .and_then(|(_, v)| match v {
            PhpValue::Int(i) => u32::try_from(*i).ok(),
            PhpValue::Str(s) => s.parse().ok(),
            _ => None,
        });
    curr_id.and_then(direction)
}

/// A payout's `number` against its direction's requisite, when the seed's table knows the
/// `currID`; otherwise only what every parameter must be.
fn check_requisite(value: &PhpValue, siblings: &[(String, PhpValue)]) -> Result<(), &'static str> {
    let requisite = known_direction(siblings).map(|d| (d.requisite, d.curr));
    let text = match (value, requisite) {
        (PhpValue::Str(s), _) => s.clone(),
        (PhpValue::Int(_), Some((DirectionRequisite::Card, _))) => {
            return Err("must be a string of 16 digits (a number would lose digits)")
        }
        (PhpValue::Int(i), _) => i.to_string(),
        _ => return Err("must be a string"),
    };
    if text.is_empty() {
        return Err("must not be empty");
    }
    match requisite {
        None if text.chars().any(char::is_whitespace) => Err(NO_SPACE),
        None => Ok(()),
        Some((DirectionRequisite::Card, _)) => check_card(&text)
            .map_err(|_| "must be the card number this direction pays to: 16 digits passing the Luhn check"),
        Some((DirectionRequisite::Phone, _)) => check_phone(&text),
        Some((DirectionRequisite::Account, "RUB")) if text.len() == 20 && is_digits(&text) => Ok(()),
        Some((DirectionRequisite::Account, "RUB")) => {
            Err("must be the 20-digit Russian bank account this direction pays to")
        }
        Some((DirectionRequisite::Account, _))
            if (5..=34).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) =>
        {
            Ok(())
        }
        Some((DirectionRequisite::Account, _)) => {
            Err("must be the account number (or IBAN) this direction pays to: 5 to 34 digits or capital letters")
        }
        Some((DirectionRequisite::Url, _)) if is_http_url(&text) => Ok(()),
        Some((DirectionRequisite::Url, _)) => Err("must be the absolute http(s) URL this direction pays to"),
        Some((DirectionRequisite::OperationId, _))
            if text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(())
        }
        Some((DirectionRequisite::OperationId, _)) => {
            Err("must be the bank operation id this direction pays to: up to 64 letters, digits, '-' or '_'")
        }
    }
}

/// An absolute `http://` or `https://` URL with a host and no spaces or control characters.
pub fn is_http_url(s: &str) -> bool {
    authority(s).is_some_and(|(a, _)| !a.is_empty())
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An http(s) URL a client appends paths to: [`is_http_url`] without credentials (`fetch`
/// refuses them, node:http turns them into a header, logs would keep them), query or
/// fragment (which would swallow the appended path).
pub fn is_base_url(s: &str) -> bool {
    is_http_url(s) && authority(s).is_some_and(|(a, _)| !a.contains('@')) && !s.contains(['?', '#'])
}

/// What stands between `scheme://` and the path, and where the path starts; http(s) only.
fn authority(s: &str) -> Option<(&str, usize)> {
    let scheme = ["https://", "http://"].iter().find(|scheme| {
        s.get(..scheme.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(scheme))
    })?;
    let rest = &s[scheme.len()..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((&rest[..end], scheme.len() + end))
}

/// A gateway base URL made ready for joining endpoint names, and the host its callbacks name
/// their version field after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Ends with `/`; `https://host` alone becomes `https://host/api2/`.
    pub base: String,
    /// The host without port, lowercased (`mychanger.icu`).
    pub host: String,
}

/// Reads `baseUrl`: an absolute http(s) URL without credentials, query or fragment.
pub fn parse_base_url(s: &str) -> Result<BaseUrl, &'static str> {
    const RULE: &str = "must be an absolute http(s) URL such as https://mychanger.icu/api2/ (no spaces, credentials, query or fragment)";
    let (authority, path_start) = authority(s).ok_or(RULE)?;
    if !is_base_url(s) {
        return Err(RULE);
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err(RULE);
    }
    let mut base = s.to_owned();
    match &s[path_start..] {
        "" | "/" => {
            base.truncate(path_start);
            base.push_str("/api2/");
        }
        path if !path.ends_with('/') => base.push('/'),
        _ => {}
    }
    Ok(BaseUrl {
        base,
        host: host.to_ascii_lowercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(rule: Rule, value: PhpValue) -> Result<(), String> {
        let mut errors = ValidationError::default();
        let fields = [Field {
            name: "f",
            rule,
            required: true,
        }];
        check_fields(&[&fields], &[("f".into(), value)], "", &mut errors);
        errors.into_result().map_err(|e| e.to_string())
    }

    fn s(text: &str) -> PhpValue {
        PhpValue::Str(text.into())
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("2200000000000004"));
        assert!(!luhn_valid("4111111111111112"));
        // The seed's own acquire example card fails the check.
        assert!(!luhn_valid("2202112381841356"));
    }

    #[test]
    fn ids_tokens_text() {
        assert!(one(Rule::Id, PhpValue::Int(6)).is_ok());
        assert!(one(Rule::Id, s("1033039")).is_ok());
        for bad in [
            PhpValue::Int(0),
            PhpValue::Int(-1),
            s(""),
            s("00"),
            s("12 3"),
            s("1a"),
            PhpValue::Float(1.5),
        ] {
            assert!(one(Rule::Id, bad.clone()).is_err(), "{bad:?}");
        }
        assert!(one(Rule::Token, s("544545dg-dgd1445-7777")).is_ok());
        assert!(one(Rule::Token, PhpValue::Int(7)).is_ok());
        assert!(one(Rule::Token, s("has space"))
            .unwrap_err()
            .contains("space"));
        assert!(one(Rule::Token, s("tab\there")).is_err());
        assert_eq!(
            one(Rule::Token, s("")).unwrap_err(),
            "invalid request: f: must not be empty"
        );
        assert!(one(Rule::Text, s("Пополнение средств")).is_ok());
        assert!(one(Rule::Text, PhpValue::Bool(true)).is_err());
    }

    #[test]
    fn amounts() {
        for good in [
            PhpValue::Int(500),
            PhpValue::Float(500.52),
            s("500.52"),
            s("0.01"),
            s("7"),
        ] {
            assert!(one(Rule::Amount, good.clone()).is_ok(), "{good:?}");
        }
        for bad in [
            PhpValue::Int(0),
            PhpValue::Float(-1.0),
            PhpValue::Float(0.0),
            s("0.00"),
            s("10,5"),
            s("1e3"),
            s(" 5"),
            s("5."),
            s(".5"),
            s("-5"),
            PhpValue::Null,
            PhpValue::Bool(true),
        ] {
            assert!(one(Rule::Amount, bad.clone()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phones_cards_card_data() {
        assert!(one(Rule::Phone, s("+78005553535")).is_ok());
        assert!(one(Rule::Phone, PhpValue::Int(79063711045)).is_ok());
        assert!(one(Rule::Phone, s("+790637110")).is_err(), "9 digits");
        assert!(one(Rule::Phone, s("+7 906 371 10 45")).is_err());
        assert!(one(Rule::Card, s("4111111111111111")).is_ok());
        assert!(one(Rule::Card, s("4111111111111112"))
            .unwrap_err()
            .contains("Luhn"));
        assert!(one(Rule::Card, s("411111111111111"))
            .unwrap_err()
            .contains("16 digits"));
        assert!(one(Rule::Card, PhpValue::Int(4111111111111111)).is_err());
        assert!(one(Rule::Month, s("09")).is_ok() && one(Rule::Month, PhpValue::Int(12)).is_ok());
        assert!(one(Rule::Month, s("9")).is_err() && one(Rule::Month, s("13")).is_err());
        assert!(one(Rule::Month, PhpValue::Int(9))
            .unwrap_err()
            .contains("leading zero"));
        assert!(one(Rule::Year, s("2029")).is_ok() && one(Rule::Year, s("29")).is_err());
        assert!(one(Rule::Cvv, PhpValue::Int(123)).is_ok() && one(Rule::Cvv, s("012")).is_ok());
        assert!(one(Rule::Cvv, PhpValue::Int(12)).is_err() && one(Rule::Cvv, s("12345")).is_err());
        assert!(one(Rule::Cvv, PhpValue::Int(1234)).is_err() && one(Rule::Cvv, s("1234")).is_err());
        assert!(one(Rule::Email, s("a@b.co")).is_ok());
        for bad in ["a b@c.d", "@b.co", "a@b", "a@.b", "ab.co"] {
            assert!(one(Rule::Email, s(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for good in [
            "https://your_url",
            "http://127.0.0.1:9/ipn",
            "HTTPS://Shop.example/cb?x=1",
            "https://u:p@h/x",
        ] {
            assert!(is_http_url(good), "{good}");
        }
        for bad in [
            "your_url",
            "ftp://x/y",
            "https://",
            "https:///path",
            "https://a b/",
            "//host/x",
            "https://x/\n",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
        assert_eq!(
            one(Rule::Url, s("http//x")).unwrap_err(),
            "invalid request: f: must be an absolute http(s) URL without spaces"
        );
    }

    #[test]
    fn base_urls_and_version_hosts() {
        let b = |s: &str| parse_base_url(s).map(|b| (b.base, b.host));
        assert_eq!(
            b("https://mychanger.icu/api2/"),
            Ok(("https://mychanger.icu/api2/".into(), "mychanger.icu".into()))
        );
        assert_eq!(
            b("https://MyChanger.icu"),
            Ok(("https://MyChanger.icu/api2/".into(), "mychanger.icu".into()))
        );
        assert_eq!(
            b("https://mychanger.icu/"),
            Ok(("https://mychanger.icu/api2/".into(), "mychanger.icu".into()))
        );
        assert_eq!(
            b("http://127.0.0.1:8082/api2"),
            Ok(("http://127.0.0.1:8082/api2/".into(), "127.0.0.1".into()))
        );
        assert_eq!(
            b("http://[::1]:80/gw/api2/"),
            Ok(("http://[::1]:80/gw/api2/".into(), "::1".into()))
        );
        for bad in [
            "mychanger.icu",
            "https://user:pw@host/api2/",
            "https://h/api2/?x=1",
            "https://h/#a",
            "https://:80/",
            "https:// h/",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn payout_requisites_follow_the_direction() {
        let check = |curr: i64, number: PhpValue| {
            check_requisite(
                &number,
                &[
                    ("currID".into(), PhpValue::Int(curr)),
                    ("number".into(), number.clone()),
                ],
            )
        };
        assert!(check(83, s("4111111111111111")).is_ok());
        assert!(check(83, s("4111111111111112")).is_err());
        assert!(check(83, PhpValue::Int(4111111111111111)).is_err());
        assert!(check(93, s("+79063711045")).is_ok());
        assert!(check(93, s("+790637110")).is_err());
        assert!(check(192, s("40817810099910004312")).is_ok());
        assert!(check(192, s("4081781009991000431")).is_err());
        assert!(check(164, s("BY13NBRB3600900000002Z00AB00")).is_ok());
        assert!(check(164, s("by13")).is_err());
        assert!(check(89, s("SBER-12345_6")).is_ok());
        assert!(check(89, s("op id")).is_err());
        assert!(check(109, s("https://pay.example/x")).is_ok());
        assert!(check(109, s("pay.example")).is_err());
        // Directions the table does not know: only "no spaces, not empty".
        assert!(check(6, s("anything-goes")).is_ok());
        assert!(check(6, s("two words")).is_err());
        assert!(check(6, s("")).is_err());
    }

    #[test]
    fn unknown_fields_pass_unless_the_gateway_would_refuse_them() {
        let fields = [Field {
            name: "uniqID",
            rule: Rule::Token,
            required: false,
        }];
        let mut errors = ValidationError::default();
        let entries = vec![
            ("extra".to_owned(), s("fine")),
            (
                "nested".to_owned(),
                PhpValue::Array(vec![("x".into(), s("a b"))]),
            ),
            ("spaced".to_owned(), s("a b")),
            ("uniqId".to_owned(), s("x")),
        ];
        check_fields(&[&fields], &entries, "", &mut errors);
        assert_eq!(
            errors.to_string(),
            "invalid request: spaced: must not contain a space (the gateway answers param_wrong); uniqId: is not a parameter of this endpoint; did you mean uniqID?"
        );
    }
}
