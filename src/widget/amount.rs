//! Amounts as decimal text, never floats: what the user types is read into the exchanger's
//! form (`1234.5`), compared with limits digit by digit, and shown grouped for the reader's
//! language (`1 234,5` in Russian, `1,234.5` in English). Exchanger amounts carry up to 8+
//! decimals that a float would round.

use super::i18n::Lang;
use std::cmp::Ordering;

/// Longest integer part accepted (far beyond any reserve, short of absurd).
const MAX_INT_DIGITS: usize = 15;
const MAX_FRACTION_DIGITS: usize = 12;

/// Why typed text is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("the amount must be a number such as 1250.50")]
    NotANumber,
    #[error("the amount has too many digits")]
    TooLong,
    #[error("the amount must be greater than 0")]
    NotPositive,
}

/// A non-negative decimal: integer digits without leading zeros, fraction digits without
/// trailing zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    int: String,
    frac: String,
}

impl Amount {
    /// Reads an amount as people type it: spaces (also no-break and thin ones) and `'`
    /// group digits; the decimal mark is `.` or `,` — with both present, the last one is the
    /// mark and the other groups (`1,234.50`, `1.234,50`); several commas alone group.
    pub fn parse(input: &str) -> Result<Amount, AmountError> {
        let text: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '\t'))
            .collect();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        if !text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return Err(AmountError::NotANumber);
        }
        let mark = match (text.rfind('.'), text.rfind(',')) {
            (Some(d), Some(c)) => Some(d.max(c)),
            (Some(i), None) | (None, Some(i)) if text.matches(['.', ',']).count() == 1 => Some(i),
            // "1,234,567" or "1.234.567": grouping only.
            _ => None,
        };
        let (int_part, frac_part) = match mark {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (text.as_str(), ""),
        };
        // The mark appears once; the other sign only groups the integer part.
        let mark_char = mark.map(|i| &text[i..=i]);
        if frac_part.contains(['.', ',']) || mark_char.is_some_and(|m| int_part.contains(m)) {
            return Err(AmountError::NotANumber);
        }
        let int: String = int_part.chars().filter(char::is_ascii_digit).collect();
        if int.is_empty() && frac_part.is_empty() {
            return Err(AmountError::NotANumber);
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac_part.trim_end_matches('0').to_string();
        if int.len() > MAX_INT_DIGITS || frac.len() > MAX_FRACTION_DIGITS {
            return Err(AmountError::TooLong);
        }
        Ok(Amount { int, frac })
    }

    /// A positive amount, as the calculator and `create_bid` need.
    pub fn parse_positive(input: &str) -> Result<Amount, AmountError> {
        let a = Amount::parse(input)?;
        if a.is_zero() {
            Err(AmountError::NotPositive)
        } else {
            Ok(a)
        }
    }

    /// An amount the server sent (`"0.0005"`, `"67250"`); `None` for "no" or junk. The
    /// wire form has one `.` at most: `1.234.567` is not read as grouped digits, or a payment
    /// screen would show `1 234 567` while copying `1.234.567`.
    pub fn from_wire(text: &str) -> Option<Amount> {
        let t = text.trim();
        if t.is_empty()
            || !t.bytes().all(|c| c.is_ascii_digit() || c == b'.')
            || t.matches('.').count() > 1
        {
            return None;
        }
        Amount::parse(t).ok()
    }

    pub fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    /// The form the exchanger reads (`1234.5`, `0.0005`, `0`).
    pub fn wire(&self) -> String {
        let int = if self.int.is_empty() { "0" } else { &self.int };
        if self.frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{}", self.frac)
        }
    }

    /// Grouped for reading in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        self.written(lang, true)
    }

    /// For an input the user may edit: `lang`'s decimal mark, no grouping (English `61,206`,
    /// left after deleting `.92` from `61,206.92`, would read back as 61.206).
    pub fn editable(&self, lang: Lang) -> String {
        self.written(lang, false)
    }

    fn written(&self, lang: Lang, grouped: bool) -> String {
        let (group, mark) = match lang {
            Lang::Ru => ('\u{a0}', ','),
            Lang::En => (',', '.'),
        };
        let int = if self.int.is_empty() { "0" } else { &self.int };
        let mut out = String::with_capacity(int.len() + self.frac.len() + 4);
        for (i, c) in int.chars().enumerate() {
            // Four-digit numbers are not grouped in Russian typography.
            if grouped && i > 0 && (int.len() - i) % 3 == 0 && (int.len() > 4 || lang == Lang::En) {
                out.push(group);
            }
            out.push(c);
        }
        if !self.frac.is_empty() {
            out.push(mark);
            out.push_str(&self.frac);
        }
        out
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        self.int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(&other.int))
            .then_with(|| self.frac.cmp(&other.frac))
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A server amount shown for `lang`; text that is not a plain amount is shown as it came.
pub fn display_wire(text: &str, lang: Lang) -> String {
    Amount::from_wire(text).map_or_else(|| text.to_string(), |a| a.display(lang))
}

/// A server amount put in an input for `lang` (see `Amount::editable`).
pub fn editable_wire(text: &str, lang: Lang) -> String {
    Amount::from_wire(text).map_or_else(|| text.to_string(), |a| a.editable(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(s: &str) -> String {
        Amount::parse(s).unwrap().wire()
    }

    #[test]
    fn reads_what_people_type() {
        assert_eq!(wire("1234.5"), "1234.5");
        assert_eq!(wire("1234,50"), "1234.5");
        assert_eq!(wire(" 1 234 567,891 "), "1234567.891");
        assert_eq!(wire("1\u{a0}234"), "1234");
        assert_eq!(wire("1,234.50"), "1234.5");
        assert_eq!(wire("1.234,50"), "1234.5");
        assert_eq!(wire("1,234,567"), "1234567");
        assert_eq!(wire(".5"), "0.5");
        assert_eq!(wire("0,00050000"), "0.0005");
        assert_eq!(wire("007"), "7");
        assert_eq!(wire("0"), "0");
        assert_eq!(wire("5."), "5");
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(Amount::parse(""), Err(AmountError::Empty));
        assert_eq!(Amount::parse("  "), Err(AmountError::Empty));
        assert_eq!(Amount::parse("-5"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse("1e5"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse("abc"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse("."), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse("1.2.3,4,5"), Err(AmountError::NotANumber));
        assert_eq!(
            Amount::parse("9".repeat(16).as_str()),
            Err(AmountError::TooLong)
        );
        assert_eq!(
            Amount::parse_positive("0,000"),
            Err(AmountError::NotPositive)
        );
    }

    #[test]
    fn compares_exactly() {
        let a = |s: &str| Amount::parse(s).unwrap();
        assert!(a("0.0004") < a("0.0005"));
        assert!(a("10") > a("9.99999999"));
        assert!(a("100") > a("99"));
        assert_eq!(a("1.50"), a("1.5"));
        assert!(a("0.1") > a("0.09999"));
        assert!(a("0") < a("0.00000001"));
    }

    #[test]
    fn displays_for_the_reader() {
        let a = |s: &str| Amount::parse(s).unwrap();
        assert_eq!(a("1234567.5").display(Lang::Ru), "1\u{a0}234\u{a0}567,5");
        assert_eq!(a("1234567.5").display(Lang::En), "1,234,567.5");
        assert_eq!(a("5000").display(Lang::Ru), "5000");
        assert_eq!(a("5000").display(Lang::En), "5,000");
        assert_eq!(a("0.00567").display(Lang::Ru), "0,00567");
        assert_eq!(display_wire("no", Lang::En), "no");
        assert_eq!(display_wire("12500000", Lang::Ru), "12\u{a0}500\u{a0}000");
    }

    #[test]
    fn editable_amounts_have_the_mark_and_no_groups() {
        assert_eq!(editable_wire("61206.92", Lang::Ru), "61206,92");
        assert_eq!(editable_wire("61206.92", Lang::En), "61206.92");
        assert_eq!(editable_wire("12500000", Lang::Ru), "12500000");
        // What the user then edits reads back as the same amount.
        let back = Amount::parse(&editable_wire("1234567.5", Lang::Ru)).unwrap();
        assert_eq!(back.wire(), "1234567.5");
    }

    #[test]
    fn a_wire_amount_has_one_point_at_most() {
        assert_eq!(display_wire("1234.5", Lang::En), "1,234.5");
        // Not read as grouping: shown as sent, as it is copied.
        for junk in ["1.5.0", "1.234.567", "0.001.000"] {
            assert_eq!(Amount::from_wire(junk), None, "{junk}");
            assert_eq!(display_wire(junk, Lang::Ru), junk);
        }
    }
}
