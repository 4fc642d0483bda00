//! Replays every input in fuzz/regressions-parsers/ (each once broke an invariant of the
//! `parsers` fuzz target) and in fuzz/corpus-seed-parsers/ through that target's checks
//! (fuzz/src/parsers.rs), and holds the parsers to linear time on inputs built to make a
//! quadratic scan show.

#[allow(dead_code)]
#[path = "../fuzz/src/parsers.rs"]
mod parsers;

mod common;
use common::{inputs, panic_message};
use std::panic;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[test]
fn every_saved_parser_input_holds_every_invariant() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let seeds = inputs(&root.join("fuzz/corpus-seed-parsers"));
    assert!(
        seeds.len() >= 40,
        "fuzz/corpus-seed-parsers/ is missing: {} inputs",
        seeds.len()
    );
    let mut files = seeds;
    files.extend(inputs(&root.join("fuzz/regressions-parsers")));
    // Every parser has a seed.
    for parser in parsers::Parser::ALL {
        assert!(
            files
                .iter()
                .any(|(_, b)| b.first().map(|&s| parsers::Parser::of(s)) == Some(parser)),
            "no seed for {parser:?}"
        );
    }
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let failures: Vec<String> = files
        .iter()
        .filter_map(|(name, bytes)| {
            panic::catch_unwind(|| parsers::check(bytes))
                .err()
                .map(|payload| format!("{name}: {}", panic_message(&*payload)))
        })
        .collect();
    panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Runs `f` on `input` and fails when it takes over `limit` (generous: a debug build on a
/// loaded machine; a quadratic scan of these inputs takes minutes).
fn linear(what: &str, input: &str, limit: Duration, f: impl Fn(&str)) {
    let start = Instant::now();
    f(input);
    let took = start.elapsed();
    assert!(
        took < limit,
        "{what} took {took:?} on {} bytes: super-linear?",
        input.len()
    );
}

#[test]
fn parsers_take_linear_time_on_adversarial_input() {
    use obmennik::exchanger::{envelope, method::Method, wire};
    let limit = Duration::from_secs(3);
    let big = |piece: &str| piece.repeat((1 << 20) / piece.len());
    // Tags that open and never close: each '<' must not rescan the rest for a '>'.
    linear("html_to_text", &big("<a"), limit, |s| {
        wire::html_to_text(s);
    });
    linear("html_to_text entities", &big("&#"), limit, |s| {
        wire::html_to_text(s);
    });
    let answer = format!("{{\"error\":3,\"error_text\":\"{}\"}}", big("<a"));
    linear("canonical", &answer, limit, |s| {
        let _ = envelope::canonical(Method::CreateBid, s);
    });
    for piece in [
        "<a",
        "<a ",
        "</",
        "<!",
        "&#",
        "<b>",
        "<script></scrip",
        "<a href='",
    ] {
        linear(&format!("sanitize {piece:?}"), &big(piece), limit, |s| {
            obmennik::widget::sanitize::sanitize(s);
        });
    }
    linear("plain_text", &big("<b>&amp;"), limit, |s| {
        obmennik::widget::sanitize::plain_text(s);
    });
    linear(
        "after_diagnostics",
        &big("Warning: x on line 1\n"),
        limit,
        |s| {
            obmennik::php::after_diagnostics(s);
        },
    );
    linear("after_diagnostics", &big("Warning: on line "), limit, |s| {
        obmennik::php::after_diagnostics(s);
    });
    linear("cut_short", &big("{\"error\""), limit, |s| {
        envelope::cut_short(s);
    });
    linear("api_lang", &big("en;q=0.5,"), limit, |s| {
        obmennik::proxy::api_lang(s);
    });
    linear("parse_body", &big("bid_id=1&"), limit, |s| {
        let _ = obmennik::exchanger::bid_callback::parse_body(s.as_bytes());
    });
    let config = obmennik::proxy::Config::default();
    linear("params (form)", &big("a=1&"), limit, |s| {
        let _ = config.params(
            Method::CreateBid,
            Some("application/x-www-form-urlencoded"),
            s.as_bytes(),
        );
    });
    linear("amount", &big("1,"), limit, |s| {
        let _ = obmennik::widget::amount::Amount::parse(s);
    });
    linear("base64", &big("QUJD"), limit, |s| {
        let _ = obmennik::merchant::answer::base64_decode(s);
    });
    linear("retry_after", &big("1 "), limit, |s| {
        let _ = obmennik::http::retry_after_ms(s, 0.0);
    });
    linear("excerpt", &big("K3ySecretZq"), limit, |s| {
        let _ = obmennik::http::excerpt(s, &parsers::SECRETS);
    });
    linear("address_key", &big("1"), limit, |s| {
        let _ = obmennik::proxy::rate::address_key(s);
    });
}
