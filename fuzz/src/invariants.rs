//! What must hold for every callback body, whatever its bytes: the checks the fuzz target
//! (`fuzz/fuzz_targets/callback.rs`) runs on each input and the regression test
//! (`tests/fuzz_regressions.rs`) replays on every saved one.
//!
//! Only std and obmennik are used, so the main crate's integration test includes this file
//! by path. A broken invariant panics with a message that starts with its id in brackets.

use obmennik::callback::{self, CallbackError, VerifyOptions, DEFAULT_VERSION_KEY};
use obmennik::float;
use obmennik::json::{self, Value};
use obmennik::php::PhpValue;
use obmennik::sign::{self, SIGN_FIELD};

/// The fixed secret every fuzzed body is verified and re-signed with.
pub const SECRET: &str = "fuzz-Secret-0bmenn1k-7Qx2";

/// Invariant ids that are known to break on src/ as it is and are reported, not failed on,
/// so a fuzz run can look past them. Each has a reproducer in fuzz/regressions/; delete the
/// id here once src/ is fixed (the regression test says when it no longer reproduces).
pub const KNOWN_OPEN: &[&str] = &[];

/// Which invariants an input broke that are listed in `KNOWN_OPEN` (the others panic).
#[derive(Debug, Default)]
pub struct Report {
    pub known: Vec<String>,
}

impl Report {
    fn broke(&mut self, id: &str, detail: String) {
        if KNOWN_OPEN.contains(&id) {
            if !self.known.iter().any(|k| k == id) {
                self.known.push(id.to_owned());
            }
        } else {
            panic!("[{id}] {detail}");
        }
    }
}

/// Runs every check on one input; panics on a broken invariant that is not known-open.
pub fn check(data: &[u8]) -> Report {
    let mut report = Report::default();
    match std::str::from_utf8(data) {
        Ok(text) => check_json(text, &mut report),
        // decode takes text: still read what the bytes say once made valid.
        Err(_) => check_json(&String::from_utf8_lossy(data), &mut report),
    }
    check_numbers(data, &mut report);
    check_verify(data, &mut report);
    if let Ok(text) = std::str::from_utf8(data) {
        for variant in signed_variants(text) {
            check_verify(variant.as_bytes(), &mut report);
        }
    }
    report
}

// ---------------------------------------------------------------------------------------
// Numbers: obmennik::float reads and prints exactly as core does (core's code is what it
// replaces in the .wasm; here it is the reference).

fn check_numbers(data: &[u8], report: &mut Report) {
    // The input as a numeric literal, and each run of number-like bytes in it.
    let mut literals = vec![data];
    literals.extend(
        data.split(|b| !matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
            .filter(|run| !run.is_empty() && run.len() <= 900),
    );
    for literal in literals {
        let ours = float::parse(literal);
        let core = std::str::from_utf8(literal)
            .ok()
            .and_then(|t| t.parse::<f64>().ok());
        // core also reads inf, nan and infinity; float::parse never does.
        let spelled = literal
            .iter()
            .any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E'));
        if ours.map(f64::to_bits) != core.filter(|_| !spelled).map(f64::to_bits) {
            report.broke(
                "float-parse",
                format!(
                    "float::parse({:?}) = {ours:?}, core reads {core:?}",
                    String::from_utf8_lossy(literal)
                ),
            );
        }
        if let Some(x) = ours {
            check_float_text(x, report);
        }
    }
}

/// PHP's `(string)` of a float and the `{:?}` form `json::encode` writes, against core.
fn check_float_text(x: f64, report: &mut Report) {
    if x.is_finite() && x != 0.0 {
        let (digits, exp) = float::round_to_digits(x.abs(), 14);
        let reference = format!("{:.13e}", x.abs());
        let (mantissa, e) = reference.split_once('e').unwrap_or_default();
        let want = (
            mantissa.replace('.', "").parse::<u64>().unwrap_or_default(),
            e.parse::<i32>().unwrap_or_default(),
        );
        if (digits, exp) != want {
            report.broke(
                "float-round-14",
                format!(
                    "round_to_digits({x:e}, 14) = {:?}, core {want:?}",
                    (digits, exp)
                ),
            );
        }
    }
    let mut debug = String::new();
    float::push_debug(x, &mut debug);
    if debug != format!("{x:?}") {
        report.broke(
            "float-debug",
            format!("push_debug({x:e}) = {debug:?}, core {:?}", format!("{x:?}")),
        );
    }
}

// ---------------------------------------------------------------------------------------
// JSON: decode never panics, and what it reads is written back to a text it reads the same.

fn check_json(text: &str, report: &mut Report) {
    let decoded = json::decode(text);
    // PHP's JSON whitespace around the value changes nothing.
    let padded = json::decode(&format!(" \t\n{text}\r\n "));
    match (&decoded, &padded) {
        (Ok(a), Ok(b)) if same_value(a, b, false) => {}
        (Err(_), Err(_)) => {}
        _ => report.broke(
            "json-whitespace",
            format!("decode({text:?}) = {decoded:?} but with whitespace around it {padded:?}"),
        ),
    }
    let value = match decoded {
        Ok(value) => value,
        Err(e) => {
            if e.offset > text.len() {
                report.broke(
                    "json-error-offset",
                    format!("error offset {} past the end of {text:?}", e.offset),
                );
            }
            return;
        }
    };
    if let PhpValue::Array(fields) = &value {
        check_object(fields, report);
    }
    check_read(text, &value, report);
    let encoded = json::encode_to_string(&value);
    let again = match json::decode(&encoded) {
        Ok(v) => v,
        Err(e) => {
            report.broke(
                "json-roundtrip-decode",
                format!("decode(encode(v)) failed ({e}) for input {text:?}, encoded {encoded:?}"),
            );
            return;
        }
    };
    let reencoded = json::encode_to_string(&again);
    if reencoded != encoded {
        report.broke(
            "json-roundtrip-text",
            format!("encode(decode(encode(v))) != encode(v) for input {text:?}: {encoded:?} then {reencoded:?}"),
        );
    }
    // Non-finite floats (1e400) have no JSON form and are written as null.
    if !same_value(&value, &again, true) {
        report.broke(
            "json-roundtrip-value",
            format!("decode(encode(v)) != v for input {text:?}: {value:?} then {again:?}"),
        );
    }
}

/// `json::read` (what sign and verify use, borrowing from the text) holds what `decode`
/// returns, signs it the same, and only claims `same_in_js` when no value JSON.parse would
/// read differently is in it.
fn check_read(text: &str, decoded: &PhpValue, report: &mut Report) {
    let Ok(read) = json::read(text) else {
        report.broke(
            "json-read",
            format!("read fails where decode succeeds on {text:?}"),
        );
        return;
    };
    fn floats_are_printed_exactly(value: &Value, report: &mut Report) {
        match value {
            Value::Float(x) => check_float_text(*x, report),
            Value::Object(members) => members
                .iter()
                .for_each(|(_, v)| floats_are_printed_exactly(v, report)),
            Value::List(items) => items
                .iter()
                .for_each(|v| floats_are_printed_exactly(v, report)),
            _ => {}
        }
    }
    floats_are_printed_exactly(&read.value, report);
    if read.same_in_js && !js_reads_the_same(text) {
        report.broke(
            "json-same-in-js",
            format!(
                "same_in_js claimed for {text:?}, which holds a value JSON.parse reads differently"
            ),
        );
    }
    if let (Value::Object(members), PhpValue::Array(fields)) = (&read.value, decoded) {
        let ours = sign::members_signing_string(members, SECRET);
        let theirs = sign::signing_string(fields, SECRET);
        if ours != theirs {
            report.broke(
                "sign-members",
                format!("members_signing_string {ours:?} but signing_string of decode {theirs:?} for {text:?}"),
            );
        }
    }
    let owned = read.value.into_php();
    if !same_value(&owned, decoded, false) {
        report.broke(
            "json-read",
            format!("read gives {owned:?}, decode {decoded:?} for {text:?}"),
        );
    }
}

/// An independent check of `same_in_js`: no integer literal beyond 2^53 - 1 or spelled `-0`,
/// no number literal with more than 20 digits.
fn js_reads_the_same(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < b.len() {
        if in_string {
            match b[i] {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b[i] {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let literal = &text[start..i];
                let mantissa = literal.split(['e', 'E']).next().unwrap_or_default();
                if mantissa.bytes().filter(u8::is_ascii_digit).count() > 20 {
                    return false;
                }
                if !literal.contains(['.', 'e', 'E']) {
                    if literal == "-0" {
                        return false;
                    }
                    if let Ok(n) = literal.parse::<i64>() {
                        if n.unsigned_abs() > (1 << 53) - 1 {
                            return false;
                        }
                    }
                }
            }
            _ => i += 1,
        }
    }
    true
}

/// A decoded object is a PHP array (each key once) and signs as the seed's formula says.
fn check_object(fields: &[(String, PhpValue)], report: &mut Report) {
    let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        report.broke(
            "json-duplicate-key",
            format!("decoded object repeats a key: {fields:?}"),
        );
    }
    // sha1(implode(':', array_values($data)) . ':' . $key), after unset(sign) and ksort(SORT_STRING).
    let mut kept: Vec<&(String, PhpValue)> =
        fields.iter().filter(|(k, _)| k != SIGN_FIELD).collect();
    kept.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let values: Vec<String> = kept
        .iter()
        .map(|(_, v)| {
            let mut s = String::new();
            v.to_php_string(&mut s);
            s
        })
        .collect();
    let reference = format!("{}:{SECRET}", values.join(":"));
    let ours = sign::signing_string(fields, SECRET);
    if ours != reference {
        // implode over no values is "", so the string is ":" . $key.
        let id = if kept.is_empty() {
            "sign-empty-params"
        } else {
            "sign-reference"
        };
        report.broke(
            id,
            format!(
                "signing_string gives {ours:?}, the seed's formula {reference:?}, for {fields:?}"
            ),
        );
    }
}

/// Structural equality with floats compared by bits (so -0.0 differs from 0.0); with
/// `inf_is_null`, a non-finite float on the left matches a null on the right.
pub fn same_value(a: &PhpValue, b: &PhpValue, inf_is_null: bool) -> bool {
    match (a, b) {
        (PhpValue::Float(x), PhpValue::Null) => inf_is_null && !x.is_finite(),
        (PhpValue::Float(x), PhpValue::Float(y)) => x.to_bits() == y.to_bits(),
        (PhpValue::Array(x), PhpValue::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb, inf_is_null))
        }
        (PhpValue::List(x), PhpValue::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(va, vb)| same_value(va, vb, inf_is_null))
        }
        _ => a == b,
    }
}

// ---------------------------------------------------------------------------------------
// verify: agrees with a step-by-step model of the documented receiver, for one secret,
// several, the wrong one and none, and at the size limit.

/// What `verify` must answer: the fields, or the error's `code()`.
pub type Outcome = Result<Vec<(String, PhpValue)>, &'static str>;

/// The model: the seed's PHP receiver made strict where it is fail-open, step by step.
pub fn expected(raw: &[u8], secrets: &[String], options: &VerifyOptions) -> Outcome {
    if raw.len() > options.max_bytes {
        return Err("body_too_large");
    }
    let Ok(text) = std::str::from_utf8(raw) else {
        return Err("body_not_json");
    };
    let fields = match json::decode(text) {
        Err(_) => return Err("body_not_json"),
        Ok(PhpValue::Array(fields)) => fields,
        Ok(_) => return Err("body_not_object"),
    };
    match field(&fields, &options.version_key) {
        None | Some(PhpValue::Null) => return Err("version_missing"),
        Some(v) if !version_at_least(v, options.min_version) => return Err("version_too_old"),
        Some(_) => {}
    }
    let given = match field(&fields, SIGN_FIELD) {
        None | Some(PhpValue::Null) => return Err("sign_missing"),
        Some(PhpValue::Str(s)) if s.is_empty() => return Err("sign_missing"),
        Some(PhpValue::Str(s)) => s.clone(),
        Some(_) => return Err("sign_mismatch"),
    };
    if secrets.iter().any(|s| sign::sign(&fields, s) == given) {
        Ok(fields)
    } else {
        Err("sign_mismatch")
    }
}

fn field<'a>(fields: &'a [(String, PhpValue)], name: &str) -> Option<&'a PhpValue> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Whether a version value is a number at least `min`: an integer, a float, or a string
/// PHP 8 calls numeric (and finite).
pub fn version_at_least(value: &PhpValue, min: f64) -> bool {
    match value {
        PhpValue::Int(i) => *i as f64 >= min,
        PhpValue::Float(f) => *f >= min,
        PhpValue::Str(s) => php_numeric(s).is_some_and(|f| f.is_finite() && f >= min),
        _ => false,
    }
}

/// PHP 8's numeric strings (`is_numeric`): whitespace from " \t\n\r\v\f" around an optional
/// sign, digits with an optional fraction (or a fraction alone) and an optional exponent.
pub fn php_numeric(s: &str) -> Option<f64> {
    let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let b = s.as_bytes();
    let start = b.iter().position(|&c| !ws(c))?;
    let end = b.iter().rposition(|&c| !ws(c))? + 1;
    let core = &b[start..end];
    let mut i = usize::from(matches!(core.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let from = *i;
        while core.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if core.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = digits(&mut i);
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(core.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(core.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if digits(&mut j) > 0 {
            i = j;
        }
    }
    if i != core.len() {
        return None;
    }
    std::str::from_utf8(core).ok()?.parse::<f64>().ok()
}

fn code(result: &Result<Vec<(String, PhpValue)>, CallbackError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

fn outcome_code(outcome: &Outcome) -> &'static str {
    match outcome {
        Ok(_) => "ok",
        Err(c) => c,
    }
}

fn same_fields(a: &[(String, PhpValue)], b: &[(String, PhpValue)]) -> bool {
    same_value(
        &PhpValue::Array(a.to_vec()),
        &PhpValue::Array(b.to_vec()),
        false,
    )
}

/// A second secret that differs from `SECRET`, drawn from the input.
pub fn other_secret(raw: &[u8]) -> String {
    format!("other-{:016x}", fnv1a(raw))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len().max(1))
        .any(|w| w == needle.as_bytes())
}

fn check_verify(raw: &[u8], report: &mut Report) {
    let options = VerifyOptions::default();
    let secret = vec![SECRET.to_owned()];
    let other = other_secret(raw);
    let shown = String::from_utf8_lossy(&raw[..raw.len().min(600)]).into_owned();

    let got = callback::verify(raw, &secret, &options);
    let want = expected(raw, &secret, &options);
    let agree = match (&got, &want) {
        (Ok(a), Ok(b)) => same_fields(a, b),
        (Err(e), Err(c)) => e.code() == *c,
        _ => false,
    };
    if !agree {
        let id = if code(&got) == "version_too_old" || outcome_code(&want) == "version_too_old" {
            // Only the version step tells these apart: what counts as a number >= 2.
            "verify-version-numeric"
        } else if got.is_ok() {
            // The serious direction: accepting what the model rejects.
            "verify-accepts-invalid"
        } else if want.is_ok() {
            "verify-rejects-valid"
        } else {
            "verify-wrong-reason"
        };
        report.broke(
            id,
            format!(
                "verify gave {} where the model gives {} for {shown:?}",
                code(&got),
                outcome_code(&want)
            ),
        );
    }
    if let Ok(fields) = &got {
        // Ok means: a string sign equal to sign(fields, secret) and a version >= 2.
        let sign_ok = matches!(field(fields, SIGN_FIELD), Some(PhpValue::Str(s)) if *s == sign::sign(fields, SECRET));
        let version_ok = field(fields, DEFAULT_VERSION_KEY)
            .is_some_and(|v| version_at_least(v, callback::DEFAULT_MIN_VERSION));
        if !sign_ok {
            report.broke(
                "verify-ok-unsigned",
                format!(
                    "verify accepted {shown:?} without a string sign equal to sign(fields, SECRET)"
                ),
            );
        }
        if !version_ok {
            report.broke(
                "verify-version-numeric",
                format!("verify accepted {shown:?} whose version is not a PHP number >= 2"),
            );
        }
    }

    // Any other secret: never accepted; alongside the right one (key rotation): same answer.
    let wrong = callback::verify(raw, std::slice::from_ref(&other), &options);
    if wrong.is_ok() {
        report.broke(
            "verify-other-secret",
            format!("{shown:?} verified under {other:?} too"),
        );
    }
    for secrets in [
        vec![other.clone(), SECRET.to_owned()],
        vec![SECRET.to_owned(), other.clone()],
    ] {
        let rotated = callback::verify(raw, &secrets, &options);
        let same = match (&rotated, &got) {
            (Ok(a), Ok(b)) => same_fields(a, b),
            (Err(a), Err(b)) => a.code() == b.code(),
            _ => false,
        };
        if !same {
            report.broke(
                "verify-rotation",
                format!(
                    "{shown:?}: {} with {secrets:?} but {} with the secret alone",
                    code(&rotated),
                    code(&got)
                ),
            );
        }
    }
    let none = callback::verify(raw, &[], &options);
    let want_none = if got.is_ok() {
        "sign_mismatch"
    } else {
        code(&got)
    };
    if code(&none) != want_none {
        report.broke(
            "verify-no-secret",
            format!(
                "{shown:?}: {} with no secret, want {want_none}",
                code(&none)
            ),
        );
    }

    // The size limit, exactly at the body's length and one byte under it.
    if raw.len() <= options.max_bytes {
        let at = VerifyOptions {
            max_bytes: raw.len(),
            ..options.clone()
        };
        let at_limit = callback::verify(raw, &secret, &at);
        if code(&at_limit) != code(&got) {
            report.broke(
                "verify-size-limit",
                format!(
                    "{shown:?}: {} with max_bytes = its length, {} by default",
                    code(&at_limit),
                    code(&got)
                ),
            );
        }
    }
    if !raw.is_empty() {
        let under = VerifyOptions {
            max_bytes: raw.len() - 1,
            ..options.clone()
        };
        match callback::verify(raw, &secret, &under) {
            Err(CallbackError::BodyTooLarge { size, max })
                if size == raw.len() && max == raw.len() - 1 => {}
            r => report.broke(
                "verify-size-limit",
                format!(
                    "{shown:?}: {} with max_bytes one under its length",
                    code(&r)
                ),
            ),
        }
    }

    // The replay window only ever turns an accepted callback into a timestamp_* refusal:
    // every other outcome, and every accepted callback's fields, stay as they were.
    for (now, tolerance) in [(1_720_206_230.0, 300.0), (0.0, 0.0), (f64::MAX, 1e300)] {
        let windowed = VerifyOptions {
            freshness: Some(callback::Freshness { tolerance, now }),
            ..options.clone()
        };
        let timed = callback::verify(raw, &secret, &windowed);
        let kept = match (&timed, &got) {
            (Ok(a), Ok(b)) => same_fields(a, b),
            (
                Err(
                    CallbackError::TimestampMissing
                    | CallbackError::TimestampOutsideTolerance { .. },
                ),
                Ok(_),
            ) => true,
            (Err(a), Err(b)) => a.code() == b.code(),
            _ => false,
        };
        if !kept {
            report.broke(
                "verify-tolerance",
                format!(
                    "{shown:?}: {} with a tolerance of {tolerance} s at {now}, {} without",
                    code(&timed),
                    code(&got)
                ),
            );
        }
    }

    // Messages never carry a secret or the signature it makes, unless the body itself did.
    let mut forbidden = vec![SECRET.to_owned(), other.clone()];
    if let Ok(PhpValue::Array(fields)) = std::str::from_utf8(raw)
        .map_err(|_| ())
        .and_then(|t| json::decode(t).map_err(|_| ()))
    {
        forbidden.push(sign::sign(&fields, SECRET));
        forbidden.push(sign::sign(&fields, &other));
        forbidden.push(sign::signing_string(&fields, SECRET));
    }
    for result in [&got, &wrong, &none] {
        if let Err(e) = result {
            let message = format!("{e} {e:?}");
            for f in &forbidden {
                if !f.is_empty() && message.contains(f.as_str()) && !contains(raw, f) {
                    report.broke(
                        "error-leaks-secret",
                        format!("error {message:?} holds {f:?} for {shown:?}"),
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Re-signing: a random body almost never carries a valid signature, so each object is also
// checked with `sign` set to what `SECRET` makes, and once more with a version put first.

/// `text` with `"sign":"<sign(text, SECRET)>"` added as its last member, and the same with
/// `"mychanger.icu":"2.3"` also added as its first member. Empty unless `text` is an object.
pub fn signed_variants(text: &str) -> Vec<String> {
    let Ok(PhpValue::Array(fields)) = json::decode(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(signed) = add_sign(text, !fields.is_empty()) {
        out.push(signed);
    }
    let open = text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len();
    // The object's first byte is '{'; a member after it needs a comma unless it is empty.
    let sep = if fields.is_empty() { "" } else { "," };
    let versioned = format!(
        "{}{{\"{DEFAULT_VERSION_KEY}\":\"2.3\"{sep}{}",
        &text[..open],
        &text[open + 1..]
    );
    if let Some(signed) = add_sign(&versioned, true) {
        out.push(signed);
    }
    out
}

fn add_sign(text: &str, has_members: bool) -> Option<String> {
    let Ok(PhpValue::Array(fields)) = json::decode(text) else {
        return None;
    };
    let close = text.trim_end_matches([' ', '\t', '\n', '\r']).len() - 1;
    let sep = if has_members { "," } else { "" };
    let signature = sign::sign(&fields, SECRET);
    Some(format!(
        "{}{sep}\"{SIGN_FIELD}\":\"{signature}\"{}",
        &text[..close],
        &text[close..]
    ))
}
