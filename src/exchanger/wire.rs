//! Text conversions the wire needs: numbers as the plain decimals PHP's `is_sum` reads,
//! and the HTML of admin texts and `error_fields` as plain text.

/// A JS or JSON number as a plain decimal: the shortest digits that read back as the same
/// number (what JavaScript's `String(n)` and PHP 7.1+'s `json_encode` print), without an
/// exponent (`1e-8` → `0.00000001`), which the server's `is_sum` does not read. Not PHP's
/// 14-digit float printing: `1234567.12345678` would go out as `1234567.1234568`.
pub fn plain_decimal(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned(); // also -0.0
    }
    // Core's `Display` for floats is exactly this (shortest round-trip, never an exponent);
    // `Shortest` prints the same without bringing core's float formatting (17 KB of wasm).
    crate::float::Shortest(value).to_string()
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
    // Once no '>' follows, none follows any later '<' either: without this each '<' rescanned
    // the rest, and `<a<a<a...` took quadratic time (a megabyte: 40 s, found by fuzzing).
    let mut unclosed = false;
    while let Some(c) = rest.chars().next() {
        let mut used = c.len_utf8();
        match c {
            // Only a '<' that opens a tag (a letter, '/', '!') and is closed starts markup.
            '<' if rest[1..]
                .starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!') =>
            {
                match (!unclosed).then(|| rest.find('>')).flatten() {
                    Some(end) => {
                        used = end + 1;
                        space(&mut out);
                    }
                    None => {
                        unclosed = true;
                        out.push('<');
                    }
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
    fn numbers_become_plain_decimals() {
        let cases = [
            (1.0e-8, "0.00000001"),
            (1.5e-7, "0.00000015"),
            (-2.5e-3, "-0.0025"),
            (1.2345e2, "123.45"),
            (1e21, "1000000000000000000000"),
            (0.015, "0.015"),
            (100.0, "100"),
        ];
        for (input, want) in cases {
            assert_eq!(plain_decimal(input), want, "{input}");
        }
        assert_eq!(plain_decimal(0.00000001), "0.00000001");
        // What JavaScript prints for the number, digit for digit: 15 and more significant
        // digits are kept, not rounded to PHP's 14.
        assert_eq!(plain_decimal(1234567.12345678), "1234567.12345678");
        assert_eq!(plain_decimal(0.1 + 0.2), "0.30000000000000004");
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
