//! Server texts (instructions, timeline, commission texts, labels, tooltips, field errors) are
//! HTML an exchanger admin typed, so they may carry anything. This keeps a small allow-list of
//! formatting tags and http(s)/mailto links and rebuilds the markup from scratch: every other
//! tag is dropped (script-like ones with their content), no attribute but a checked `href`
//! survives, and all text is escaped. The output is well-formed, so the browser parses exactly
//! what was checked here.

/// Tags kept, as written out (no attributes except a checked `href` on `a`).
const ALLOWED: &[&str] = &[
    "a", "b", "br", "code", "div", "em", "i", "li", "ol", "p", "s", "small", "span", "strong",
    "sub", "sup", "u", "ul",
];
/// Tags that have no closing tag.
const VOID: &[&str] = &["br"];
/// Tags whose whole content is dropped with them (raw text, or markup that is not HTML).
const DROP_CONTENT: &[&str] = &[
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "noembed",
    "noframes",
    "template",
    "textarea",
    "title",
    "xmp",
    "plaintext",
    "svg",
    "math",
    "select",
    "head",
    "frameset",
];
/// Deeper nesting than this is flattened (the tags are dropped, the text kept).
const MAX_DEPTH: usize = 32;

/// Escapes text for an HTML text node or a double-quoted attribute value, without the
/// characters that reorder text (see `is_bidi_control`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            // See `is_bidi_control`: no text the widget writes may reorder what follows it.
            c if is_bidi_control(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Server HTML made safe to insert as markup (see the module comment).
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut open: Vec<&'static str> = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        match read_markup(rest) {
            Markup::Text => {
                out.push_str("&lt;");
                rest = &rest[1..];
            }
            Markup::Skip(len) => rest = &rest[len..],
            Markup::End => break,
            Markup::Close(name, len) => {
                rest = &rest[len..];
                if let Some(pos) = open.iter().rposition(|t| tag_is(t, &name)) {
                    for tag in open.drain(pos..).rev() {
                        close(&mut out, tag);
                    }
                }
            }
            Markup::Open(tag, len) => {
                rest = &rest[len..];
                let name = tag.name.to_ascii_lowercase();
                if DROP_CONTENT.contains(&name.as_str()) {
                    if !tag.self_closing {
                        rest = skip_until_close(rest, &name);
                    }
                    continue;
                }
                let Some(&allowed) = ALLOWED.iter().find(|t| **t == name) else {
                    continue;
                };
                if VOID.contains(&allowed) {
                    out.push('<');
                    out.push_str(allowed);
                    out.push('>');
                    continue;
                }
                if tag.self_closing || open.len() >= MAX_DEPTH {
                    continue;
                }
                match (allowed, tag.href.as_deref().and_then(safe_href)) {
                    ("a", Some(href)) => {
                        out.push_str("<a href=\"");
                        push_escaped(&mut out, &href);
                        out.push_str("\" target=\"_blank\" rel=\"noopener noreferrer\">");
                        open.push("a");
                    }
                    // A link without a safe target keeps its text, not its link.
                    ("a", None) => {
                        out.push_str("<span>");
                        open.push("a-span");
                    }
                    _ => {
                        out.push('<');
                        out.push_str(allowed);
                        out.push('>');
                        open.push(allowed);
                    }
                }
            }
        }
    }
    for tag in open.into_iter().rev() {
        close(&mut out, tag);
    }
    out
}

/// The text of server HTML without any markup, for places that take plain text (titles,
/// `aria-label`s), with the common entities read.
pub fn plain_text(input: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in sanitize(input).chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out).unwrap_or(out)
}

fn tag_is(open: &str, name: &str) -> bool {
    open == name || (open == "a-span" && name == "a")
}

fn close(out: &mut String, tag: &str) {
    out.push_str("</");
    out.push_str(if tag == "a-span" { "span" } else { tag });
    out.push('>');
}

/// Text between tags: `&` is kept only where it starts a character reference.
fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        push_escaped(out, &rest[..amp]);
        let after = &rest[amp..];
        let len = reference_len(after);
        if len > 0 {
            // `&#x202E;` or `&rlm;` is the control it names.
            let named_mark = after[1..len - 1].eq_ignore_ascii_case("lrm")
                || after[1..len - 1].eq_ignore_ascii_case("rlm");
            let control =
                decode_entities(&after[..len]).is_some_and(|d| d.chars().any(is_bidi_control));
            if !named_mark && !control {
                out.push_str(&after[..len]);
            }
        } else {
            out.push_str("&amp;");
        }
        rest = &after[len.max(1)..];
    }
    push_escaped(out, rest);
}

/// Length of a well-formed character reference at the start of `s` (`&name;`, `&#10;`,
/// `&#x1F;`), or 0.
fn reference_len(s: &str) -> usize {
    let b = s.as_bytes();
    let (start, ok): (usize, fn(u8) -> bool) = match (b.get(1), b.get(2)) {
        (Some(b'#'), Some(b'x' | b'X')) => (3, |c: u8| c.is_ascii_hexdigit()),
        (Some(b'#'), _) => (2, |c: u8| c.is_ascii_digit()),
        (Some(c), _) if c.is_ascii_alphabetic() => (1, |c: u8| c.is_ascii_alphanumeric()),
        _ => return 0,
    };
    let n = b[start..].iter().take(33).take_while(|c| ok(**c)).count();
    if n > 0 && n <= 32 && b.get(start + n) == Some(&b';') {
        start + n + 1
    } else {
        0
    }
}

/// An opening tag as read: its name, whether it ends in `/>`, and its `href` (raw).
struct Tag<'a> {
    name: &'a str,
    self_closing: bool,
    href: Option<String>,
}

enum Markup<'a> {
    /// A `<` that starts no markup: it is text.
    Text,
    /// A comment, doctype or processing instruction of this many bytes.
    Skip(usize),
    Open(Tag<'a>, usize),
    Close(String, usize),
    /// Markup that never ends (an unclosed comment, tag or quote): the browser would swallow
    /// the rest of the input, and so does this.
    End,
}

/// Reads the markup at `s` (which starts with `<`).
fn read_markup(s: &str) -> Markup<'_> {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'!') if s.starts_with("<!--") => match s[4..].find("-->") {
            Some(i) => Markup::Skip(4 + i + 3),
            None => Markup::End,
        },
        Some(b'!' | b'?') => match s.find('>') {
            Some(i) => Markup::Skip(i + 1),
            None => Markup::End,
        },
        Some(b'/') => {
            let name = tag_name(&s[2..]);
            if name.is_empty() {
                // `</>` is ignored by browsers, `</ ...>` is a bogus comment.
                return match s.find('>') {
                    Some(i) => Markup::Skip(i + 1),
                    None => Markup::End,
                };
            }
            match s.find('>') {
                Some(i) => Markup::Close(name.to_ascii_lowercase(), i + 1),
                None => Markup::End,
            }
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let name = tag_name(&s[1..]);
            match read_attributes(&s[1 + name.len()..]) {
                Some((href, self_closing, len)) => Markup::Open(
                    Tag {
                        name,
                        self_closing,
                        href,
                    },
                    1 + name.len() + len,
                ),
                None => Markup::End,
            }
        }
        _ => Markup::Text,
    }
}

fn tag_name(s: &str) -> &str {
    let end = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || c == b'-'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Reads attributes up to and including the closing `>`: the raw `href`, whether the tag
/// ended with `/>`, and the bytes read; `None` when the tag never closes.
fn read_attributes(s: &str) -> Option<(Option<String>, bool, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut href = None;
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((href, self_closing, i + 1)),
            _ => self_closing = false,
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &s[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i)? {
            q @ (b'"' | b'\'') => {
                let end = s[i + 1..].find(*q as char)?;
                let v = &s[i + 1..i + 1 + end];
                i += end + 2;
                v
            }
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &s[start..i]
            }
        };
        if name.eq_ignore_ascii_case("href") && href.is_none() {
            href = Some(value.to_string());
        }
    }
}

/// Skips past `</name ...>` (case-insensitive), or to the end.
fn skip_until_close<'a>(s: &'a str, name: &str) -> &'a str {
    let mut from = 0;
    while let Some(i) = s[from..].find("</") {
        let at = from + i + 2;
        let candidate = tag_name(&s[at..]);
        if candidate.eq_ignore_ascii_case(name) {
            return match s[at..].find('>') {
                Some(j) => &s[at + j + 1..],
                None => "",
            };
        }
        from = at;
    }
    ""
}

/// The explicit bidi formatting characters (embeddings, overrides, isolates and their ends)
/// and the marks (LRM, RLM, ALM). Server text carrying one can make what follows it read in
/// another order than it is stored and copied: `1 BTC<RLO> = 61206.92 RUB` shows the rate's
/// digits reversed, an RLM before `4276 0000 0001` shows the groups in reverse. The widget
/// speaks Russian and English, whose texts never need them, so they are dropped.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that are not drawn, or change how their neighbours are drawn: controls, line
/// and paragraph separators, the bidi controls, zero-width characters, soft hyphens, variation
/// selectors, tags, fillers (Unicode's default-ignorable code points). A payment address or
/// amount is what the user reads, copies and scans: with one of these the three may differ.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{ad}'
                | '\u{34f}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{fff0}'..='\u{fffb}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// A payment value (address, tag, amount) as it is shown, copied and put in a QR code: the
/// server's text without surrounding white space; `None` when it carries a character of
/// `is_hidden`, so what is shown could differ from what is paid to.
pub fn payment_text(raw: &str) -> Option<&str> {
    let text = raw.trim();
    (!text.chars().any(is_hidden)).then_some(text)
}

/// The link target if it is an absolute http(s) or mailto URL once the browser has read it
/// (character references decoded, tabs and newlines removed, spaces trimmed).
pub fn safe_href(raw: &str) -> Option<String> {
    let decoded = decode_entities(raw)?;
    let url: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if url.chars().any(|c| c.is_control()) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:");
    ok.then_some(url)
}

/// Decodes numeric references and the named ones that matter for URLs and plain text; any
/// other named reference makes the text unreadable here (`None`), so it is not trusted.
fn decode_entities(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let len = reference_len(after);
        if len == 0 {
            out.push('&');
            rest = &after[1..];
            continue;
        }
        let body = &after[1..len - 1];
        let c = if let Some(num) = body.strip_prefix('#') {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).unwrap_or('\u{FFFD}')
        } else {
            match body.to_ascii_lowercase().as_str() {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                "colon" => ':',
                "sol" => '/',
                "tab" => '\t',
                "newline" => '\n',
                "period" => '.',
                _ => return None,
            }
        };
        out.push(c);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_formatting_and_safe_links() {
        assert_eq!(
            sanitize(
                r#"<p>Send <B class="x">1 BTC</B><br/>See <a href="https://example.com/faq?a=1&amp;b=2" onclick="x()">FAQ</a>.</p>"#
            ),
            r#"<p>Send <b>1 BTC</b><br>See <a href="https://example.com/faq?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">FAQ</a>.</p>"#
        );
    }

    #[test]
    fn the_sandbox_payloads_are_neutralised() {
        let hostile = "<p>Exchange <b>Sberbank RUB</b>.</p><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"><a href=\"javascript:window.__pwned=1\">click</a>";
        let out = sanitize(hostile);
        assert_eq!(
            out,
            "<p>Exchange <b>Sberbank RUB</b>.</p><span>click</span>"
        );
        assert!(!out.contains("__pwned"));
    }

    #[test]
    fn obfuscated_javascript_urls_are_refused() {
        for href in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java&#x09;script:alert(1)",
            "javascript&colon;alert(1)",
            "&#106;avascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.example/x",
            "/relative",
            "http&unknown;://x",
        ] {
            let out = sanitize(&format!(
                "<a href=\"{}\">x</a>",
                href.replace('"', "&quot;")
            ));
            assert_eq!(out, "<span>x</span>", "{href}");
        }
        assert_eq!(
            sanitize("<a href=mailto:a@b.c>mail</a>"),
            r#"<a href="mailto:a@b.c" target="_blank" rel="noopener noreferrer">mail</a>"#
        );
    }

    #[test]
    fn script_like_content_is_dropped_whole() {
        assert_eq!(
            sanitize("a<script>if (1 < 2) { x('</b>') }</script>b"),
            "ab"
        );
        assert_eq!(sanitize("a<STYLE>*{}</style >b"), "ab");
        assert_eq!(sanitize("a<svg><script>x</script></svg>b"), "ab");
        assert_eq!(sanitize("a<script>never closed"), "a");
        assert_eq!(sanitize("a<iframe src=x></iframe>b<iframe/>c"), "abc");
    }

    #[test]
    fn event_handlers_and_other_attributes_never_survive() {
        let out = sanitize(r#"<b onmouseover="x()" style="x" id=1>t</b><span/onclick=x>u</span>"#);
        assert_eq!(out, "<b>t</b><span>u</span>");
        assert!(!out.contains("on"));
    }

    #[test]
    fn text_is_escaped_and_markup_is_balanced() {
        assert_eq!(
            sanitize("1 < 2 > 0 & \"q\""),
            "1 &lt; 2 &gt; 0 &amp; &quot;q&quot;"
        );
        assert_eq!(
            sanitize("&lt;script&gt; &amp; &#60; &nope"),
            "&lt;script&gt; &amp; &#60; &amp;nope"
        );
        assert_eq!(sanitize("<b><i>x</b>y</i>"), "<b><i>x</i></b>y");
        assert_eq!(sanitize("<p><b>open"), "<p><b>open</b></p>");
        assert_eq!(sanitize("</p>stray</a>"), "stray");
        assert_eq!(
            sanitize("<!-- <script>x</script> -->ok<!doctype html>"),
            "ok"
        );
        assert_eq!(sanitize("<b title=\"never closed>x"), "");
        assert_eq!(sanitize("<3 and < b>"), "&lt;3 and &lt; b&gt;");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = "<b>".repeat(1000) + "x";
        let out = sanitize(&deep);
        assert_eq!(out.matches("<b>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</b>").count(), MAX_DEPTH);
    }

    #[test]
    fn plain_text_strips_markup_and_reads_entities() {
        assert_eq!(
            plain_text("E-mail <b>для чека</b><img src=x onerror=\"x\"> &amp; &lt;x&gt;"),
            "E-mail для чека & <x>"
        );
    }

    #[test]
    fn non_ascii_text_survives() {
        assert_eq!(
            sanitize("Переведите <b>5 000 ₽</b> — «сейчас»"),
            "Переведите <b>5 000 ₽</b> — «сейчас»"
        );
        assert_eq!(sanitize("<b>ü</b><ü>"), "<b>ü</b>&lt;ü&gt;");
    }

    #[test]
    fn bidi_controls_never_reach_the_markup() {
        assert_eq!(
            sanitize("1 BTC\u{202e} = 61206 RUB &#x202E;x&#8207;y&rlm;z&LRM;w&#x2066;v&amp;rlm;"),
            "1 BTC = 61206 RUB xyzwv&amp;rlm;"
        );
        assert_eq!(escape("BTC\u{202e}\u{200f}\u{61c}\u{2069}"), "BTC");
        assert_eq!(plain_text("a&#x202e;b\u{202d}c"), "abc");
        // Other references and non-Latin text are kept.
        assert_eq!(sanitize("&eacute; &#233; שלום"), "&eacute; &#233; שלום");
    }

    #[test]
    fn payment_text_is_trimmed_and_refused_with_hidden_characters() {
        assert_eq!(payment_text("  bc1q xy \n"), Some("bc1q xy"));
        assert_eq!(payment_text(""), Some(""));
        for hidden in [
            '\u{202e}',
            '\u{200b}',
            '\u{200d}',
            '\u{feff}',
            '\u{ad}',
            '\u{2028}',
            '\u{fe0f}',
            '\u{e0041}',
            '\u{0}',
            '\n',
            '\u{61c}',
        ] {
            assert_eq!(payment_text(&format!("bc1q{hidden}xy")), None, "{hidden:?}");
        }
        assert_eq!(payment_text("4276 0000 ₽ Сбер"), Some("4276 0000 ₽ Сбер"));
    }

    #[test]
    fn a_megabyte_of_markup_is_sanitized_in_linear_time() {
        for input in [
            "<".repeat(1 << 20),
            "<a".repeat(1 << 19),
            "&a".repeat(1 << 19),
            "<b></x>".repeat(1 << 17),
            "<script></scrip".repeat(1 << 16),
            "<p>text &amp; <a href=\"https://x\">l</a></p>".repeat(1 << 15),
        ] {
            let start = std::time::Instant::now();
            sanitize(&input);
            plain_text(&input);
            // Far above the linear cost (tens of ms in a debug build), far below a quadratic one.
            assert!(start.elapsed().as_secs() < 10, "{:?}", &input[..10]);
        }
    }
}
