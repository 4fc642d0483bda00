//! Invariants of every parser of untrusted input other than the callback's (which
//! `invariants.rs` covers): the proxy's request handling, the exchanger's answer readers, the
//! bid status callback, the merchant gateway's answer reader, `Retry-After`, and the widget's
//! sanitizer, amounts and proxy-answer reader. std + obmennik + serde_json only, so
//! `tests/fuzz_parsers.rs` includes this file by path and replays saved inputs natively.
//!
//! An input's first byte picks the parser ([`Parser::of`]); the rest is that parser's input
//! (some take a second byte of options first). Every check panics with a message naming the
//! parser and the broken invariant; a panic inside the library is a finding too.

use obmennik::exchanger::envelope::{canonical, cut_short};
use obmennik::exchanger::method::Method;
use obmennik::exchanger::wire::{html_to_text, plain_decimal};
use obmennik::exchanger::{bid_callback, types};
use obmennik::http::{excerpt, retry_after_ms, HttpResponse, TransportFailure};
use obmennik::merchant::answer::{base64_decode, read_answer, receipt, Answer};
use obmennik::php::{after_diagnostics, PhpValue};
use obmennik::proxy::{self, rate, Config, Head, Route};
use obmennik::widget::amount::{self, Amount};
use obmennik::widget::i18n::Lang;
use obmennik::widget::{sanitize, wire};
use std::collections::BTreeMap;

/// Secrets the checks plant (the dictionary has them, so mutations insert them): no error
/// message may hold one unless the parser's input itself is the message's source by design.
pub const SECRETS: [&str; 2] = ["K3ySecretZq9", "l0ginSecretW7"];
/// The proxy's own values, which a browser must never see echoed unless it sent them.
const PARTNER_ID: &str = "PartnerSecret42";
const CALLBACK_URL: &str = "https://merchant.example/cb-Secret77";

/// Which parser an input is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parser {
    ProxyRoute,
    ProxyParams,
    AcceptLanguage,
    ExchangerAnswer,
    HtmlToText,
    PlainDecimal,
    BidCallback,
    MerchantAnswer,
    Base64,
    RetryAfter,
    Sanitize,
    Amount,
    WidgetWire,
    Excerpt,
}

impl Parser {
    pub const ALL: [Parser; 14] = [
        Parser::ProxyRoute,
        Parser::ProxyParams,
        Parser::AcceptLanguage,
        Parser::ExchangerAnswer,
        Parser::HtmlToText,
        Parser::PlainDecimal,
        Parser::BidCallback,
        Parser::MerchantAnswer,
        Parser::Base64,
        Parser::RetryAfter,
        Parser::Sanitize,
        Parser::Amount,
        Parser::WidgetWire,
        Parser::Excerpt,
    ];

    /// The parser for a selector byte (every byte picks one).
    pub fn of(selector: u8) -> Parser {
        Parser::ALL[usize::from(selector) % Parser::ALL.len()]
    }
}

/// Checks one input: `data[0]` picks the parser, the rest is its input.
pub fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match Parser::of(selector) {
        Parser::ProxyRoute => proxy_route(rest),
        Parser::ProxyParams => proxy_params(rest),
        Parser::AcceptLanguage => accept_language(&text(rest)),
        Parser::ExchangerAnswer => exchanger_answer(rest),
        Parser::HtmlToText => html(&text(rest)),
        Parser::PlainDecimal => decimal(rest),
        Parser::BidCallback => bid_callback_body(rest),
        Parser::MerchantAnswer => merchant_answer(rest),
        Parser::Base64 => base64(rest),
        Parser::RetryAfter => retry_after(rest),
        Parser::Sanitize => sanitizer(&text(rest)),
        Parser::Amount => amounts(&text(rest)),
        Parser::WidgetWire => widget_wire(rest),
        Parser::Excerpt => excerpts(rest),
    }
}

/// Most parsers take `&str` (the JS side hands them strings): invalid UTF-8 is read as JS
/// would decode it.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The first byte as options, and the rest.
fn options(bytes: &[u8]) -> (u8, &[u8]) {
    match bytes.split_first() {
        Some((&o, rest)) => (o, rest),
        None => (0, bytes),
    }
}

fn contains_secret(text: &str, input: &str) -> Option<&'static str> {
    SECRETS
        .into_iter()
        .find(|s| text.contains(s) && !input.contains(s))
}

/// A reply the proxy sends: its body is JSON (`{"data":..}` or `{"error":{..}}`), and it never
/// holds the host's partner id or callback URL unless the request did.
fn check_reply(what: &str, reply: &proxy::Reply, request: &str) {
    let body = obmennik::json::decode(&reply.body)
        .unwrap_or_else(|e| panic!("{what}: reply body is not JSON ({e:?}): {}", reply.body));
    let error = wire::member(&body, "error")
        .unwrap_or_else(|| panic!("{what}: a refusal without `error`: {}", reply.body));
    for key in ["kind", "code", "message", "fields"] {
        assert!(
            wire::member(error, key).is_some(),
            "{what}: error without {key}: {}",
            reply.body
        );
    }
    assert!(
        (400..600).contains(&reply.status),
        "{what}: refusal with status {}",
        reply.status
    );
    for secret in [PARTNER_ID, CALLBACK_URL] {
        assert!(
            !reply.body.contains(secret) || request.contains(secret),
            "{what}: the reply shows the host's {secret}: {}",
            reply.body
        );
    }
}

fn config(origins: Vec<String>, trust_proxy: bool) -> Config {
    Config {
        partner_id: Some(PARTNER_ID.to_owned()),
        callback_url: Some(CALLBACK_URL.to_owned()),
        origins,
        trust_proxy,
        ..Config::default()
    }
}

/// `Config::route` on a head made of the input's lines (method, URL, Host, Origin,
/// Content-Length, an allowed origin, X-Forwarded-For, the client IP), plus `rate_key`,
/// `address_key`, `split_url` and `canonical_origin`.
fn proxy_route(bytes: &[u8]) {
    let (o, rest) = options(bytes);
    let text = text(rest);
    let mut lines = text.split('\n');
    let mut next = || lines.next();
    let (method, url, host, origin, length, allowed, forwarded, client) = (
        next().unwrap_or(""),
        next().unwrap_or(""),
        next(),
        next(),
        next(),
        next(),
        next(),
        next(),
    );
    let origins: Vec<String> = allowed.map(|a| vec![a.to_owned()]).unwrap_or_default();
    let config = config(origins, o & 1 != 0);
    let head = Head {
        http_method: method,
        url,
        host,
        origin,
        content_length: length,
        credential_headers: o & 2 != 0,
    };
    match config.route(&head) {
        Ok(Route::Preflight { cors }) => {
            assert_eq!(method, "OPTIONS", "route: a preflight for {method:?}");
            assert!(
                cors.is_none() || cors.as_deref() == origin,
                "route: cors {cors:?}"
            );
        }
        Ok(Route::Call { method: m, cors }) => {
            assert_eq!(method, "POST", "route: a call for {method:?}");
            assert!(
                !head.credential_headers,
                "route: a call with API credentials"
            );
            assert!(config.allow.contains(&m), "route: {m:?} is not allowed");
            assert!(
                proxy::server_only(m).is_none(),
                "route: {m:?} is server-only"
            );
            assert!(
                cors.is_none() || cors.as_deref() == origin,
                "route: cors {cors:?}"
            );
            let (_, path) = proxy::split_url(url);
            assert!(path.contains(m.wire()), "route: {m:?} from path {path:?}");
            if let Some(n) = length.and_then(|l| l.trim().parse::<u64>().ok()) {
                assert!(n <= config.max_body as u64, "route: length {n} let through");
            }
        }
        Err(reply) => check_reply("route", &reply, &text),
    }
    let (authority, path) = proxy::split_url(url);
    assert!(
        url.contains(authority) && url.contains(path),
        "split_url({url:?})"
    );
    if let Some(canon) = proxy::canonical_origin(url) {
        assert_eq!(
            proxy::canonical_origin(&canon).as_deref(),
            Some(canon.as_str()),
            "canonical_origin is not idempotent on {url:?}"
        );
        assert!(
            canon.starts_with("http://") || canon.starts_with("https://"),
            "canonical_origin({url:?}) = {canon:?}"
        );
    }
    let key = config.rate_key(client, forwarded);
    assert!(!key.is_empty() && key.len() <= 64, "rate_key: {key:?}");
    for address in [url, method] {
        let key = rate::address_key(address);
        assert!(key.len() <= 64, "address_key({address:?}) = {key:?}");
        assert_eq!(
            key,
            rate::address_key(address),
            "address_key is not a function"
        );
    }
}

/// `Config::params` for a method and content type picked by the options byte.
fn proxy_params(bytes: &[u8]) {
    let (o, body) = options(bytes);
    let method = Method::ALL[usize::from(o & 15)];
    let content_type = match o >> 4 & 3 {
        0 => Some("application/json"),
        1 => Some("application/x-www-form-urlencoded; charset=UTF-8"),
        2 => Some("text/plain"),
        _ => None,
    };
    let config = config(Vec::new(), false);
    let request = String::from_utf8_lossy(body);
    match config.params(method, content_type, body) {
        Ok(params) => {
            for (i, (name, value)) in params.iter().enumerate() {
                assert!(
                    method.param(name).is_some(),
                    "params: {name} is not a param"
                );
                let injected = name == "partner_id" || name == "callback_url";
                if injected {
                    assert_eq!(method, Method::CreateBid, "params: {name} for {method:?}");
                    let own = if name == "partner_id" {
                        PARTNER_ID
                    } else {
                        CALLBACK_URL
                    };
                    assert_eq!(value, &PhpValue::Str(own.to_owned()), "params: {name}");
                    assert!(i + 2 >= params.len(), "params: {name} not last");
                }
                assert!(
                    !(name == "id" && method.addresses_bid()),
                    "params: an id for {method:?}"
                );
                if name == "api_id" {
                    assert!(
                        matches!(value, PhpValue::Str(s) if s.len() >= proxy::MIN_BROWSER_API_ID),
                        "params: api_id {value:?}"
                    );
                }
                assert!(
                    !matches!(value, PhpValue::Null | PhpValue::List(_)),
                    "params: {name} = {value:?}"
                );
            }
            if method.addresses_bid() {
                assert!(params.iter().any(|(n, _)| n == "hash"), "params: no hash");
            }
            // The only values the host adds: exactly one each for create_bid.
            let count = |n: &str| params.iter().filter(|(k, _)| k == n).count();
            if method == Method::CreateBid {
                assert_eq!((count("partner_id"), count("callback_url")), (1, 1));
            }
        }
        Err(reply) => check_reply("params", &reply, &request),
    }
}

/// `api_lang`: one of the two fixed values, only for a header naming that language.
fn accept_language(header: &str) {
    let lang = proxy::api_lang(header);
    let lower = header.to_ascii_lowercase();
    match lang {
        None => {}
        Some("ru_RU") => assert!(lower.contains("ru"), "api_lang({header:?}) = ru_RU"),
        Some("en_US") => assert!(lower.contains("en"), "api_lang({header:?}) = en_US"),
        Some(other) => panic!("api_lang({header:?}) = {other:?}"),
    }
    // Ranges after one with q=1 never change a choice already at the top.
    if lang.is_some() {
        let again = proxy::api_lang(&format!("{header}, xx;q=1"));
        assert_eq!(
            again, lang,
            "api_lang: an unknown language changed the choice"
        );
    }
}

/// The exchanger's answer readers: `canonical` for a method picked by the options byte,
/// `cut_short`, and the error's text with the client's secrets masked.
fn exchanger_answer(bytes: &[u8]) {
    let (o, body) = options(bytes);
    let method = Method::ALL[usize::from(o & 15)];
    let body = text(body);
    let _ = cut_short(&body);
    match canonical(method, &body) {
        Ok(json) => {
            let value = obmennik::json::decode(&json)
                .unwrap_or_else(|e| panic!("canonical: not JSON ({e:?}): {json}"));
            // The canonical form is a fixed point: read again, it stays the same.
            let again = canonical(method, &format!("{{\"error\":0,\"data\":{json}}}"));
            match again {
                Ok(same) => assert_eq!(same, json, "canonical is not idempotent ({method:?})"),
                // An empty list or object of a method whose data must not be nothing.
                Err(e) => assert!(
                    matches!(value, PhpValue::Null) || json == "[]" || json == "{}",
                    "canonical of its own output fails ({method:?}): {e}\n{json}"
                ),
            }
        }
        Err(e) => {
            let secrets: Vec<String> = SECRETS.iter().map(|s| s.to_string()).collect();
            let masked = e.masked(&secrets);
            let message = masked.to_string();
            if let Some(s) = contains_secret(&message, "") {
                panic!("exchanger error shows the secret {s}: {message}");
            }
            for (field, text) in &masked.fields {
                for s in SECRETS {
                    assert!(
                        !field.contains(s) && !text.contains(s),
                        "exchanger error field shows the secret {s}: {field}: {text}"
                    );
                }
            }
        }
    }
}

/// `html_to_text`: one space between words, none at the ends, no other whitespace.
fn html(input: &str) {
    let out = html_to_text(input);
    assert!(
        !out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "),
        "html_to_text({input:?}) = {out:?}: spaces"
    );
    assert!(
        !out.chars().any(|c| c.is_whitespace() && c != ' '),
        "html_to_text({input:?}) = {out:?}: whitespace other than a space"
    );
    assert!(
        out.len() <= input.len() * 3 + 3,
        "html_to_text grew: {out:?}"
    );
}

/// `plain_decimal` of a finite number: digits, a `-` and a `.` only, reading back as the same
/// number. (Callers pass finite numbers: JSON has no NaN, `request` checks; `1e400` in an
/// exchanger answer is read as INF and written `inf`, which PHP's `json_encode` never sends.)
fn decimal(bytes: &[u8]) {
    let mut raw = [0u8; 8];
    let n = bytes.len().min(8);
    raw[..n].copy_from_slice(&bytes[..n]);
    let candidates = [
        f64::from_le_bytes(raw),
        text(bytes).trim().parse().unwrap_or(0.0),
    ];
    for value in candidates.into_iter().filter(|v| v.is_finite()) {
        let out = plain_decimal(value);
        assert!(
            !out.is_empty()
                && out
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-')),
            "plain_decimal({value:?}) = {out:?}: not a plain decimal"
        );
        let back: f64 = out
            .parse()
            .unwrap_or_else(|_| panic!("plain_decimal({value:?}) = {out:?} does not read"));
        assert!(
            back == value || (value == 0.0 && back == 0.0),
            "plain_decimal({value:?}) = {out:?} reads back as {back:?}"
        );
    }
}

/// The bid status callback: what it accepts is a positive id and a status word; a form body
/// and the same fields as JSON read the same.
fn bid_callback_body(body: &[u8]) {
    let result = bid_callback::parse_body(body);
    match &result {
        Ok(cb) => {
            assert!(
                (1..=19).contains(&cb.bid_id.len())
                    && cb.bid_id.bytes().all(|b| b.is_ascii_digit())
                    && cb.bid_id.bytes().any(|b| b != b'0'),
                "bid callback: bid_id {:?}",
                cb.bid_id
            );
            assert!(
                (1..=32).contains(&cb.status.len())
                    && cb
                        .status
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "bid callback: status {:?}",
                cb.status
            );
            let json = format!(
                "{{\"bid_id\":\"{}\",\"status\":\"{}\"}}",
                cb.bid_id, cb.status
            );
            assert_eq!(
                bid_callback::parse_body(json.as_bytes()).as_ref(),
                Ok(cb),
                "bid callback: the JSON form reads differently"
            );
            let form = format!("bid_id={}&status={}", cb.bid_id, cb.status);
            assert_eq!(bid_callback::parse_body(form.as_bytes()).as_ref(), Ok(cb));
        }
        Err(e) => {
            assert!(
                !e.issues.is_empty(),
                "bid callback: an error without issues"
            );
            let _ = e.to_string();
        }
    }
}

/// The merchant gateway's answers: status from the options byte, the body; nothing a caller
/// sees holds a secret; `after_diagnostics` is a suffix and a fixed point; receipts decode.
fn merchant_answer(bytes: &[u8]) {
    let (o, body) = options(bytes);
    let status = match o & 3 {
        0 | 1 => 200,
        2 => 500,
        _ => 302,
    };
    let body = text(body);
    let after = after_diagnostics(&body);
    assert!(body.ends_with(after), "after_diagnostics is not a suffix");
    assert_eq!(
        after_diagnostics(after),
        after,
        "after_diagnostics is not idempotent"
    );
    let response = HttpResponse {
        status,
        body: body.clone(),
        retry_after_ms: None,
    };
    let secret_free = |what: &str, text: &str| {
        if let Some(s) = contains_secret(text, "") {
            panic!("merchant {what} shows the secret {s}: {text}");
        }
    };
    match read_answer(&response, &SECRETS) {
        Err(failure) => {
            secret_free("failure", &failure.to_string());
            match &failure {
                TransportFailure::Status { excerpt, .. }
                | TransportFailure::NotJson { excerpt, .. } => secret_free("excerpt", excerpt),
                _ => {}
            }
        }
        Ok(Answer::Error(error)) => {
            secret_free("error", &error.message());
            secret_free("error code", &error.code);
        }
        Ok(Answer::Value(value)) => {
            let _ = obmennik::merchant::answer::empty_lists_as_maps(value.clone());
            if let Ok((_, bytes)) = receipt(&value) {
                let PhpValue::Array(entries) = &value else {
                    panic!("receipt of a non-object");
                };
                let data = entries.iter().find(|(k, _)| k == "data");
                if let Some((_, PhpValue::Str(d))) = data {
                    assert_eq!(base64_decode(d), Some(bytes), "receipt: data");
                }
            }
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8], pad: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Base64: bytes encoded decode back (with and without padding); text that decodes is, without
/// whitespace and padding, the unpadded encoding of what it decoded to.
fn base64(bytes: &[u8]) {
    for pad in [true, false] {
        let encoded = base64_encode(bytes, pad);
        assert_eq!(
            base64_decode(&encoded).as_deref(),
            Some(bytes),
            "base64 of {bytes:?} ({encoded}) does not decode back"
        );
    }
    let input = text(bytes);
    if let Some(out) = base64_decode(&input) {
        let bare: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n' | '='))
            .collect();
        assert_eq!(
            bare,
            base64_encode(&out, false),
            "base64_decode({input:?}) accepted a non-canonical text"
        );
    }
}

/// Unix seconds as an IMF-fixdate.
fn imf_fixdate(secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// `Retry-After`: never a panic; delay-seconds read exactly (saturating); a date written from
/// a time reads back as that time.
fn retry_after(bytes: &[u8]) {
    let mut raw = [0u8; 8];
    let n = bytes.len().min(8);
    raw[..n].copy_from_slice(&bytes[..n]);
    let number = u64::from_le_bytes(raw);
    let now_ms = (number % 4_102_444_800_000) as f64; // up to 2100
    let value = text(bytes);
    let got = retry_after_ms(&value, now_ms);
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let want = trimmed.parse::<u64>().map_or(u32::MAX, |s| {
            u32::try_from(s.saturating_mul(1000)).unwrap_or(u32::MAX)
        });
        assert_eq!(got, Some(want), "Retry-After {value:?}");
    }
    // Years 1000..=9999, seconds exact.
    let secs = (number % 253_402_300_800) as i64 - 30_610_224_000 * i64::from(number & 1 == 1);
    let date = imf_fixdate(secs);
    let at = retry_after_ms(&date, 0.0);
    let want = (secs as f64 * 1000.0).clamp(0.0, f64::from(u32::MAX)) as u32;
    assert_eq!(at, Some(want), "Retry-After {date:?} (at {secs})");
    let later = retry_after_ms(&date, secs as f64 * 1000.0 + 1.0);
    assert_eq!(later, Some(0), "Retry-After {date:?} in the past");
}

/// Reads the sanitizer's output back: only the tags it writes, exactly as it writes them.
/// Returns the problem, if any.
fn well_formed(html: &str) -> Result<(), String> {
    const TAGS: &[&str] = &[
        "a", "b", "br", "code", "div", "em", "i", "li", "ol", "p", "s", "small", "span", "strong",
        "sub", "sup", "u", "ul",
    ];
    let lower = html.to_ascii_lowercase();
    // In text `javascript:` is harmless (every href is checked below); raw tags are not.
    for bad in [
        "<script",
        "<iframe",
        "<svg",
        "<style",
        "<img",
        "<math",
        "<template",
    ] {
        if lower.contains(bad) {
            return Err(format!("holds {bad}"));
        }
    }
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find(['<', '>', '"']) {
        let c = rest.as_bytes()[lt];
        if c != b'<' {
            return Err(format!("a bare {} in text", c as char));
        }
        rest = &rest[lt..];
        let gt = rest.find('>').ok_or("an unclosed tag")?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name) {
                return Err(format!("</{name}> closes nothing open"));
            }
        } else if tag == "br" {
        } else if let Some(attrs) = tag.strip_prefix("a href=\"") {
            let href = attrs
                .strip_suffix("\" target=\"_blank\" rel=\"noopener noreferrer\"")
                .ok_or_else(|| format!("a link with other attributes: <{tag}>"))?;
            if href.contains(['"', '<', '>', '\'']) {
                return Err(format!("an unescaped href: {href}"));
            }
            let url = sanitize::safe_href(href).ok_or_else(|| format!("an unsafe href {href}"))?;
            let url = url.to_ascii_lowercase();
            if !(url.starts_with("https://")
                || url.starts_with("http://")
                || url.starts_with("mailto:"))
            {
                return Err(format!("an href that is not http(s) or mailto: {href}"));
            }
            open.push("a");
        } else if let Some(&name) = TAGS.iter().find(|t| **t == tag && **t != "a") {
            open.push(name);
        } else {
            return Err(format!("a tag the sanitizer does not write: <{tag}>"));
        }
        if open.len() > 33 {
            return Err("nesting deeper than 32".to_owned());
        }
    }
    if !open.is_empty() {
        return Err(format!("unclosed {open:?}"));
    }
    Ok(())
}

/// The sanitizer: its output is markup it could have written (only allowed tags, no attribute
/// but a safe `href`, balanced, every `<`, `>`, `"` of text escaped), and a fixed point.
fn sanitizer(input: &str) {
    let once = sanitize::sanitize(input);
    if let Err(why) = well_formed(&once) {
        panic!("sanitize({input:?}) = {once:?}: {why}");
    }
    let twice = sanitize::sanitize(&once);
    assert_eq!(twice, once, "sanitize is not idempotent on {input:?}");
    let plain = sanitize::plain_text(input);
    assert!(plain.len() <= once.len() + 3, "plain_text grew: {plain:?}");
    let escaped = sanitize::escape(input);
    assert!(
        !escaped.contains(['<', '>', '"', '\'']),
        "escape({input:?}) = {escaped:?}"
    );
    assert_eq!(
        sanitize::sanitize(&escaped),
        escaped,
        "sanitize of escaped text"
    );
    if let Some(href) = sanitize::safe_href(input) {
        let lower = href.to_ascii_lowercase();
        assert!(
            lower.starts_with("https://")
                || lower.starts_with("http://")
                || lower.starts_with("mailto:"),
            "safe_href({input:?}) = {href:?}"
        );
        assert!(
            !href.chars().any(char::is_control),
            "safe_href({input:?}) = {href:?}"
        );
    }
}

/// Amounts: what reads writes back to itself in every written form that is meant to be
/// read again; comparison is a total order consistent with equality.
fn amounts(input: &str) {
    let (left, right) = input.split_once('|').unwrap_or((input, "1"));
    let parsed = [Amount::parse(left), Amount::parse(right)];
    for a in parsed.iter().flatten() {
        let wire = a.wire();
        assert_eq!(Amount::parse(&wire).as_ref(), Ok(a), "wire {wire:?}");
        assert_eq!(
            Amount::from_wire(&wire).as_ref(),
            Some(a),
            "from_wire {wire:?}"
        );
        for lang in [Lang::Ru, Lang::En] {
            let editable = a.editable(lang);
            assert_eq!(
                Amount::parse(&editable).as_ref(),
                Ok(a),
                "editable {editable:?}"
            );
        }
        let ru = a.display(Lang::Ru);
        assert_eq!(Amount::parse(&ru).as_ref(), Ok(a), "display(ru) {ru:?}");
        let _ = a.display(Lang::En);
        assert_eq!(
            a.is_zero(),
            Amount::parse_positive(&wire).is_err(),
            "zero {wire:?}"
        );
    }
    if let [Ok(a), Ok(b)] = &parsed {
        assert_eq!(a.cmp(b), b.cmp(a).reverse(), "cmp is not antisymmetric");
        assert_eq!(a.cmp(b).is_eq(), a == b, "cmp disagrees with ==");
        // The order is the numbers' order: compare the wire forms as decimals.
        let key = |x: &Amount| {
            let w = x.wire();
            let (i, f) = w.split_once('.').unwrap_or((&w, ""));
            (i.len(), i.to_owned(), format!("{f:0<12}"))
        };
        assert_eq!(a.cmp(b), key(a).cmp(&key(b)), "cmp of {a:?} and {b:?}");
    }
    for lang in [Lang::Ru, Lang::En] {
        let _ = amount::display_wire(input, lang);
        let _ = amount::editable_wire(input, lang);
    }
}

fn read_back<T>(status: u16, body: &str)
where
    T: wire::Read + serde::Serialize + PartialEq + std::fmt::Debug,
{
    match wire::read::<T>(status, body) {
        Ok(value) => {
            assert_eq!(status, 200, "widget wire: data from HTTP {status}");
            let json = serde_json::to_string(&value).expect("serialize");
            let again = wire::read::<T>(200, &format!("{{\"data\":{json}}}"));
            assert_eq!(
                again.as_ref(),
                Ok(&value),
                "widget wire: {json} reads differently"
            );
        }
        Err(e) => {
            if status == 0 {
                assert_eq!(e.kind, "network");
            }
        }
    }
}

/// The widget's reader of proxy answers, for a type and status from the options byte.
fn widget_wire(bytes: &[u8]) {
    let (o, body) = options(bytes);
    let status = match o >> 4 & 3 {
        0 | 1 => 200,
        2 => 422,
        _ => u16::from(o >> 6),
    };
    let body = text(body);
    match o & 7 {
        0 => read_back::<String>(status, &body),
        1 => read_back::<Vec<types::DirectionSummary>>(status, &body),
        2 => read_back::<types::ExchangeDirection>(status, &body),
        3 => read_back::<types::CalcResult>(status, &body),
        4 => read_back::<types::Bid>(status, &body),
        5 => read_back::<BTreeMap<String, String>>(status, &body),
        6 => read_back::<Option<bool>>(status, &body),
        _ => read_back::<i64>(status, &body),
    }
}

/// `excerpt`: never longer than its limit plus a mask, never a secret of four or more
/// characters (secrets here are the input's `\x01`-separated parts after the first, from a
/// key's alphabet).
fn excerpts(bytes: &[u8]) {
    let input = text(bytes);
    let mut parts = input.split('\u{1}');
    let body = parts.next().unwrap_or("");
    let secrets: Vec<&str> = parts
        .filter(|s| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
        .collect();
    let out = excerpt(body, &secrets);
    assert!(out.chars().count() <= 203, "excerpt too long: {out:?}");
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        assert!(!out.contains(s), "excerpt({body:?}) = {out:?} shows {s:?}");
    }
}
