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

/// PHP's `(string)$value`, as `implode` applies it, for each kind of value the SDK signs.
pub trait PhpString {
    fn push_php_string(&self, out: &mut String);
}

impl PhpValue {
    /// PHP's `(string)$value`, as `implode` applies it.
    pub fn to_php_string(&self, out: &mut String) {
        self.push_php_string(out);
    }
}

impl PhpString for PhpValue {
    fn push_php_string(&self, out: &mut String) {
        match self {
            PhpValue::Null | PhpValue::Bool(false) => {}
            PhpValue::Bool(true) => out.push('1'),
            PhpValue::Int(i) => push_i64(*i, out),
            PhpValue::Float(f) => push_php_float(*f, out),
            PhpValue::Str(s) => out.push_str(s),
            // PHP also raises an "Array to string conversion" warning here; the string is fixed.
            PhpValue::Array(_) | PhpValue::List(_) => out.push_str("Array"),
        }
    }
}

/// A JS number as the SDK sends it: an integral value within i64 as an integer literal (PHP
/// reads an int, every digit exact), any other as a float. Finite numbers only.
pub fn js_number_as_int(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&n))
        .then_some(n as i64)
}

/// A `BigInt` (its decimal digits) as the SDK sends it: within i64 an integer; beyond, PHP
/// would read a float, so it is sent as a string that keeps every digit.
pub fn bigint_as_int(decimal: &str) -> Option<i64> {
    decimal.parse::<i64>().ok()
}

/// PHP's `precision` ini setting, 14 by default, which `(string)$float` uses.
const PRECISION: u32 = 14;

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
    // Exactly rounded, half to even on exact ties, as zend_dtoa's mode 2 does.
    let (mut digits, exp) = crate::float::round_to_digits(abs, PRECISION);
    // zend_dtoa's "small integer" path: a whole number of 15 digits whose last digit is an
    // exact tie that rounds down (half to even) keeps its 14 digits with their trailing zeros
    // (`100000000000005.0` prints `1.0000000000000E+14`).
    let keeps_zeros = abs.fract() == 0.0 && (1e14..1e15).contains(&abs) && {
        let whole = abs as u64;
        whole % 10 == 5 && (whole / 10) % 2 == 0
    };
    let mut len = PRECISION as usize;
    if !keeps_zeros {
        while len > 1 && digits % 10 == 0 {
            digits /= 10;
            len -= 1;
        }
    }
    let mut buf = [0u8; 20];
    let text = crate::float::digit_string(digits, &mut buf);
    // zend_gcvt's `decpt`: the value is 0.DIGITS × 10^decpt.
    let decpt = exp + 1;
    if keeps_zeros || decpt < -3 || decpt > PRECISION as i32 {
        let (first, rest) = text.split_first().unwrap_or((&b'0', &[]));
        out.push(*first as char);
        out.push('.');
        push_ascii(if rest.is_empty() { b"0" } else { rest }, out);
        out.push('E');
        out.push(if exp < 0 { '-' } else { '+' });
        push_u64(exp.unsigned_abs() as u64, out);
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in decpt..0 {
            out.push('0');
        }
        push_ascii(text, out);
    } else {
        let (whole, fraction) = text.split_at(text.len().min(decpt as usize));
        push_ascii(whole, out);
        for _ in whole.len()..decpt as usize {
            out.push('0');
        }
        if !fraction.is_empty() {
            out.push('.');
            push_ascii(fraction, out);
        }
    }
}

/// ASCII digits, pushed without a UTF-8 check or a slicing panic path.
fn push_ascii(bytes: &[u8], out: &mut String) {
    out.extend(bytes.iter().map(|&b| b as char));
}

/// An unsigned integer in decimal, without going through `core::fmt`.
pub fn push_u64(n: u64, out: &mut String) {
    push_ascii(crate::float::digit_string(n, &mut [0u8; 20]), out);
}

/// An integer in decimal, as PHP prints it.
pub fn push_i64(n: i64, out: &mut String) {
    if n < 0 {
        out.push('-');
    }
    push_u64(n.unsigned_abs(), out);
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
