//! PHP 8 values as the gateway sees them after `json_decode($body, true)`, and PHP's
//! `(string)` conversion of each, which is what `implode(':')` signs.

/// One decoded value. Objects keep their keys in arrival order (PHP arrays are ordered);
/// signing sorts them itself.
#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A JSON array or object: both become PHP arrays, which `implode` prints as `Array`.
    Array(Vec<(String, PhpValue)>),
    /// A JSON list, kept apart from objects so it can be written back as `[...]`.
    List(Vec<PhpValue>),
}

impl PhpValue {
    /// PHP's `(string)$value`, as `implode` applies it.
    pub fn to_php_string(&self, out: &mut String) {
        match self {
            PhpValue::Null | PhpValue::Bool(false) => {}
            PhpValue::Bool(true) => out.push('1'),
            PhpValue::Int(i) => out.push_str(&i.to_string()),
            PhpValue::Float(f) => push_php_float(*f, out),
            PhpValue::Str(s) => out.push_str(s),
            // PHP also raises an "Array to string conversion" warning here; the string is fixed.
            PhpValue::Array(_) | PhpValue::List(_) => out.push_str("Array"),
        }
    }
}

/// PHP's `precision` ini setting, 14 by default, which `(string)$float` uses.
const PRECISION: usize = 14;

/// `(string)$float` in PHP 8: `zend_gcvt(value, 14, '.', 'E')`, i.e. at most 14 significant
/// digits, correctly rounded, trailing zeros dropped, and the exponent form once the decimal
/// exponent is below -4 or at least 15 (`1.0E+15`, `1.0E-5`); `-0.0` prints as `-0`.
pub fn push_php_float(value: f64, out: &mut String) {
    if value.is_nan() {
        out.push_str("NAN");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value < 0.0 { "-INF" } else { "INF" });
        return;
    }
    if value.is_sign_negative() {
        out.push('-');
    }
    let abs = value.abs();
    if abs == 0.0 {
        out.push('0');
        return;
    }
    // zend_dtoa's "small integer" path: a whole number of 15 digits whose last digit is an
    // exact tie that rounds down (half to even) keeps its 14 digits with their trailing zeros
    // (`100000000000005.0` prints `1.0000000000000E+14`).
    if abs.fract() == 0.0 && (1e14..1e15).contains(&abs) {
        let whole = abs as u64;
        if whole % 10 == 5 && (whole / 10) % 2 == 0 {
            let digits = (whole / 10).to_string();
            out.push_str(&digits[..1]);
            out.push('.');
            out.push_str(&digits[1..]);
            out.push_str("E+14");
            return;
        }
    }
    // Rust rounds exactly (half to even on exact ties), as zend_dtoa's mode 2 does.
    let sci = format!("{:.*e}", PRECISION - 1, abs);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    // zend_gcvt's `decpt`: the value is 0.DIGITS × 10^decpt.
    let decpt = exp + 1;
    if decpt < -3 || decpt > PRECISION as i32 {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        out.push('.');
        out.push_str(if rest.is_empty() { "0" } else { rest });
        out.push('E');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&exp.unsigned_abs().to_string());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in decpt..0 {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let decpt = decpt as usize;
        if digits.len() <= decpt {
            out.push_str(digits);
            for _ in digits.len()..decpt {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..decpt]);
            out.push('.');
            out.push_str(&digits[decpt..]);
        }
    }
}

/// `(string)$float` as an owned string.
pub fn php_float(value: f64) -> String {
    let mut s = String::new();
    push_php_float(value, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The float table of WIRE.md part B, plus the edges of zend_gcvt's two layouts.
    #[test]
    fn float_table() {
        let table: &[(f64, &str)] = &[
            (0.1 + 0.2, "0.3"),
            (1e15, "1.0E+15"),
            (1e14, "1.0E+14"),
            (1e13, "10000000000000"),
            (0.00001, "1.0E-5"),
            (0.0001, "0.0001"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (500.52, "500.52"),
            (1e300, "1.0E+300"),
            (1e-300, "1.0E-300"),
            (123456789012345.0, "1.2345678901234E+14"),
            (12345678901234.5, "12345678901234"),
            (1234567890123.45, "1234567890123.4"),
            (0.1234567890123456, "0.12345678901235"),
            (1.5e-7, "1.5E-7"),
            (f64::INFINITY, "INF"),
            (f64::NEG_INFINITY, "-INF"),
            (f64::NAN, "NAN"),
            (9_223_372_036_854_775_808.0, "9.2233720368548E+18"),
            (99999999999999.99, "1.0E+14"),
            (0.30000000000000004, "0.3"),
            (2.5, "2.5"),
            (100.0, "100"),
            (100000000000004.0, "1.0E+14"),
            (100000000000005.0, "1.0000000000000E+14"),
            (100000000000006.0, "1.0000000000001E+14"),
            (100000000000025.0, "1.0000000000002E+14"),
            (591255649016205.0, "5.9125564901620E+14"),
            (999999999999995.0, "1.0E+15"),
            (100000000000005.5, "1.0000000000001E+14"),
        ];
        for (value, want) in table {
            assert_eq!(php_float(*value), *want, "php_float({value:e})");
        }
    }

    #[test]
    fn scalar_strings() {
        let cases = [
            (PhpValue::Null, ""),
            (PhpValue::Bool(true), "1"),
            (PhpValue::Bool(false), ""),
            (PhpValue::Int(i64::MIN), "-9223372036854775808"),
            (PhpValue::Str("a:b".into()), "a:b"),
            (PhpValue::List(vec![]), "Array"),
            (PhpValue::Array(vec![]), "Array"),
        ];
        for (value, want) in cases {
            let mut s = String::new();
            value.to_php_string(&mut s);
            assert_eq!(s, want);
        }
    }
}
