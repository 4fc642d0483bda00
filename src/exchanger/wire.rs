//! Text conversions the wire needs: numbers as the plain decimals PHP's `is_sum` reads,
//! and the HTML of admin texts and `error_fields` as plain text.

/// A JS or PHP number as the plain decimal the server's `is_sum` reads: no exponent
/// (`1e-8` → `0.00000001`), at most 14 significant digits as PHP prints floats.
pub fn plain_decimal(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned(); // also -0.0, which PHP prints as "-0"
    }
    expand_exponent(&crate::php::php_float(value))
}

/// Rewrites `d.dddE±x` (PHP's and JS's exponent form) as a plain decimal; other text is
/// returned unchanged.
pub fn expand_exponent(text: &str) -> String {
    let Some((mantissa, exp)) = text.split_once(['E', 'e']) else {
        return text.to_owned();
    };
    let Ok(exp) = exp.trim_start_matches('+').parse::<i32>() else {
        return text.to_owned();
    };
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return text.to_owned();
    }
    let digits = format!("{int}{frac}");
    // Position of the decimal point within `digits` after shifting by the exponent.
    let point = int.len() as i64 + i64::from(exp);
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    tidy_decimal(out)
}

/// Drops leading zeros of the whole part and trailing zeros of the fraction.
fn tidy_decimal(mut s: String) -> String {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest.to_owned()),
        None => ("", s.clone()),
    };
    let trimmed = body.trim_start_matches('0');
    let body = if trimmed.is_empty() || trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_owned()
    };
    if body == "0" {
        body
    } else {
        format!("{sign}{body}")
    }
}

/// An HTML fragment as plain text: tags removed (each leaves a space), the common entities
/// decoded, whitespace collapsed and trimmed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut used = c.len_utf8();
        match c {
            // Only a '<' that opens a tag (a letter, '/', '!') and is closed starts markup.
            '<' if rest[1..]
                .starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!') =>
            {
                match rest.find('>') {
                    Some(end) => {
                        used = end + 1;
                        space(&mut out);
                    }
                    None => out.push('<'),
                }
            }
            '&' => match entity(rest) {
                Some((decoded, len)) => {
                    used = len;
                    if decoded.is_whitespace() {
                        space(&mut out);
                    } else {
                        out.push(decoded);
                    }
                }
                None => out.push('&'),
            },
            c if c.is_whitespace() => space(&mut out),
            c => out.push(c),
        }
        rest = &rest[used..];
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The entity at the start of `s` (which starts with '&') and its length in bytes.
fn entity(s: &str) -> Option<(char, usize)> {
    // Bytes, not a str slice: a cut inside a multi-byte character must not panic.
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let decoded = match &s[1..end] {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        name => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_become_plain_decimals() {
        let cases = [
            ("1.0E-8", "0.00000001"),
            ("1.5E-7", "0.00000015"),
            ("-2.5e-3", "-0.0025"),
            ("1.0E+15", "1000000000000000"),
            ("1.2345E+2", "123.45"),
            ("1e21", "1000000000000000000000"),
            ("0.015", "0.015"),
            ("100", "100"),
            ("abc", "abc"),
            ("1.0E+x", "1.0E+x"),
        ];
        for (input, want) in cases {
            assert_eq!(expand_exponent(input), want, "{input}");
        }
        assert_eq!(plain_decimal(0.00000001), "0.00000001");
        assert_eq!(plain_decimal(0.1 + 0.2), "0.3");
        assert_eq!(plain_decimal(1e15), "1000000000000000");
        assert_eq!(plain_decimal(-0.0), "0");
        assert_eq!(plain_decimal(25.4), "25.4");
    }

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            html_to_text("<span class=\"err\">Неверный <b>номер карты</b></span>"),
            "Неверный номер карты"
        );
        assert_eq!(
            html_to_text(
                "<span class=\"js_amount\" data-id=\"sum1\" data-val=\"5000\">мин.: 5000 RUB</span>"
            ),
            "мин.: 5000 RUB"
        );
        assert_eq!(
            html_to_text("a<br />b &amp; c &lt;d&gt; &#1071; &#x42;"),
            "a b & c <d> Я B"
        );
        assert_eq!(html_to_text("1 < 2 & 3 > 2 &bogus"), "1 < 2 & 3 > 2 &bogus");
        assert_eq!(
            html_to_text("<img src=x onerror=\"alert(1)\">Bad<script>x</script>"),
            "Bad x"
        );
    }
}
