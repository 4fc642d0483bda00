//! Replays every input in fuzz/regressions/ (each once broke an invariant) and in
//! fuzz/corpus-seed/ through the fuzz target's invariants (fuzz/src/invariants.rs), and,
//! where `php` is installed, checks decoding, signing and verifying against real PHP 8
//! running the seed's receiver (fuzz/php/oracle.php).
//!
//! `scripts/fuzz.sh` also runs the PHP check over the fuzzer's working corpus by setting
//! FUZZ_PHP_CORPUS (directories, `:`-separated) and FUZZ_PHP_SAVE=1, which saves each input
//! PHP disagrees on into fuzz/regressions/.

#[allow(dead_code)]
#[path = "../fuzz/src/invariants.rs"]
mod invariants;

use invariants::{Report, KNOWN_OPEN, SECRET};
use obmennik::callback::{self, VerifyOptions, DEFAULT_MIN_VERSION, DEFAULT_VERSION_KEY};
use obmennik::json;
use obmennik::php::PhpValue;
use obmennik::sign;
use std::io::{Read, Write};
mod common;
use common::{inputs, panic_message};
use std::panic;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed_inputs() -> Vec<(String, Vec<u8>)> {
    let mut all = inputs(&root().join("fuzz/corpus-seed"));
    all.extend(inputs(&root().join("fuzz/regressions")));
    all
}

#[test]
fn every_saved_input_holds_every_invariant() {
    let files = committed_inputs();
    assert!(
        files.len() >= 20,
        "fuzz/corpus-seed/ is missing: {} inputs",
        files.len()
    );
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for (name, bytes) in &files {
        match panic::catch_unwind(|| invariants::check(bytes)) {
            Ok(Report { known: ids }) => known.extend(ids.into_iter().map(|id| (name, id))),
            Err(payload) => failures.push(format!("{name}: {}", panic_message(&*payload))),
        }
    }
    panic::set_hook(hook);
    for (name, id) in &known {
        eprintln!("known-open [{id}] still reproduces: {name}");
    }
    for id in KNOWN_OPEN {
        if !known.iter().any(|(_, k)| k == id) {
            eprintln!("known-open [{id}] no longer reproduces: remove it from KNOWN_OPEN");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs broke an invariant:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn seeds_named_ok_verify_and_the_others_do_not() {
    let secrets = [SECRET.to_owned()];
    let seeds = inputs(&root().join("fuzz/corpus-seed"));
    for (name, bytes) in &seeds {
        let result = callback::verify(bytes, &secrets, &VerifyOptions::default());
        let base = Path::new(name).file_name().unwrap().to_string_lossy();
        if base.starts_with("ok-") {
            assert!(result.is_ok(), "{name}: {:?}", result.unwrap_err());
        } else {
            assert!(result.is_err(), "{name} verified");
        }
    }
    assert!(seeds.iter().filter(|(n, _)| n.contains("/ok-")).count() >= 10);
}

// ---------------------------------------------------------------------------------------
// Real PHP as the oracle.

/// The same typed form as oracle.php's `dump`.
fn dump(value: &PhpValue, out: &mut String) {
    fn hex(bytes: &[u8], out: &mut String) {
        for b in bytes {
            out.push_str(&format!("{b:02x}"));
        }
    }
    match value {
        PhpValue::Null => out.push('N'),
        PhpValue::Bool(true) => out.push('T'),
        PhpValue::Bool(false) => out.push('F'),
        PhpValue::Int(i) => out.push_str(&format!("i{i};")),
        PhpValue::Float(f) => out.push_str(&format!("d{:016x};", f.to_bits())),
        PhpValue::Str(s) => {
            out.push('s');
            hex(s.as_bytes(), out);
            out.push(';');
        }
        PhpValue::Array(entries) => {
            out.push_str(&format!("a{}{{", entries.len()));
            for (k, v) in entries {
                hex(k.as_bytes(), out);
                out.push('=');
                dump(v, out);
            }
            out.push('}');
        }
        PhpValue::List(items) => {
            out.push_str(&format!("a{}{{", items.len()));
            for (i, v) in items.iter().enumerate() {
                hex(i.to_string().as_bytes(), out);
                out.push('=');
                dump(v, out);
            }
            out.push('}');
        }
    }
}

/// Runs oracle.php over the records; None when there is no `php`.
fn php_lines(records: &[Vec<u8>]) -> Option<Vec<String>> {
    let script = root().join("fuzz/php/oracle.php");
    let mut child = match Command::new("php")
        .arg(&script)
        .arg(SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("php: {e}"),
    };
    let mut stdin = child.stdin.take().unwrap();
    let input: Vec<u8> = records
        .iter()
        .flat_map(|r| {
            let mut rec = format!("{}\n", r.len()).into_bytes();
            rec.extend_from_slice(r);
            rec
        })
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    writer.join().unwrap().expect("writing to php");
    assert!(
        child.wait().unwrap().success(),
        "php fuzz/php/oracle.php failed"
    );
    Some(out.lines().map(str::to_owned).collect())
}

/// Where PHP and the crate disagree on one record: (invariant id, detail).
fn disagreement(raw: &[u8], php: &str) -> Option<(&'static str, String)> {
    let mut parts = php.split(' ');
    let (php_dump, php_sign, php_receiver) = (parts.next()?, parts.next()?, parts.next()?);
    let decoded = std::str::from_utf8(raw)
        .ok()
        .and_then(|t| json::decode(t).ok());
    let mut ours = String::new();
    match &decoded {
        Some(v) => dump(v, &mut ours),
        None => ours.push('E'),
    }
    if ours != php_dump {
        return Some((
            "php-decode",
            format!("json_decode gives {php_dump}, decode gives {ours}"),
        ));
    }
    if let Some(PhpValue::Array(fields)) = &decoded {
        let ours = sign::sign(fields, SECRET);
        if ours != php_sign {
            let empty = fields.iter().all(|(k, _)| k == "sign");
            return Some((
                if empty {
                    "sign-empty-params"
                } else {
                    "php-sign"
                },
                format!(
                    "PHP signs {php_sign}, sign gives {ours} over {:?}",
                    sign::signing_string(fields, "KEY")
                ),
            ));
        }
    }
    let verified = callback::verify(raw, &[SECRET.to_owned()], &VerifyOptions::default());
    match (&verified, php_receiver) {
        (Ok(_), "OK") => None,
        (Ok(fields), other) => {
            let version_numeric = fields
                .iter()
                .find(|(k, _)| k == DEFAULT_VERSION_KEY)
                .is_some_and(|(_, v)| invariants::version_at_least(v, DEFAULT_MIN_VERSION));
            let id = if version_numeric {
                "php-receiver-refuses"
            } else {
                // Accepted on a version PHP does not read as a number.
                "verify-version-numeric"
            };
            Some((
                id,
                format!("verify accepts what the PHP receiver answers {other} to"),
            ))
        }
        (Err(e), "OK") => {
            let version_ok = match &decoded {
                Some(PhpValue::Array(fields)) => fields
                    .iter()
                    .find(|(k, _)| k == DEFAULT_VERSION_KEY)
                    .is_some_and(|(_, v)| invariants::version_at_least(v, DEFAULT_MIN_VERSION)),
                _ => false,
            };
            // Stricter than PHP only about the version: missing or not a number >= 2.
            let stricter = matches!(e.code(), "version_missing" | "version_too_old") && !version_ok;
            (!stricter).then(|| {
                (
                    "php-receiver-accepts",
                    format!("the PHP receiver accepts what verify rejects: {e}"),
                )
            })
        }
        (Err(_), _) => None,
    }
}

/// Bodies whose number literals probe PHP's reading and `(string)` of floats, which random
/// mutation reaches rarely: any bit pattern, 15- to 17-digit decimals, long mantissas, and
/// whole numbers around 10^14..10^16 whose 15th digit is a rounding tie. Fixed seed.
fn float_bodies(n: usize) -> Vec<(String, Vec<u8>)> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let r = next();
            let literal = match i % 5 {
                0 => {
                    let f = f64::from_bits(r);
                    if f.is_finite() {
                        format!("{f:e}")
                    } else {
                        "1e400".to_owned()
                    }
                }
                1 => format!(
                    "{}.0",
                    100_000_000_000_000 + (r % 9_900_000_000_000_000) / 10 * 10 + 5
                ),
                2 => {
                    let digits = 15 + (r % 3) as usize;
                    let mantissa = format!("{:020}", next());
                    let exp = (next() % 60) as i64 - 30;
                    format!(
                        "{}.{}e{exp}",
                        &mantissa[..1].replace('0', "1"),
                        &mantissa[1..digits]
                    )
                }
                3 => format!("0.{:020}{:020}", next(), next()),
                _ => format!(
                    "{}{}.{}",
                    next() % 1_000_000_000,
                    next() % 1_000_000,
                    next() % 1000
                ),
            };
            let body =
                format!("{{\"{DEFAULT_VERSION_KEY}\":\"2.3\",\"amount\":{literal},\"id\":{i}}}");
            (format!("float literal #{i} {literal}"), body.into_bytes())
        })
        .collect()
}

#[test]
fn php_reference_agrees() {
    let mut files = committed_inputs();
    let extra = std::env::var("FUZZ_PHP_CORPUS").unwrap_or_default();
    for dir in extra.split(':').filter(|d| !d.is_empty()) {
        files.extend(inputs(Path::new(dir)));
    }
    files.extend(float_bodies(2000));
    // Each input, what encode writes back for it, and its re-signed variants.
    let mut records: Vec<(usize, Vec<u8>)> = Vec::new();
    for (i, (_, bytes)) in files.iter().enumerate() {
        records.push((i, bytes.clone()));
        if let Ok(text) = std::str::from_utf8(bytes) {
            if let Ok(v) = json::decode(text) {
                records.push((i, json::encode_to_string(&v).into_bytes()));
            }
            for variant in invariants::signed_variants(text) {
                records.push((i, variant.into_bytes()));
            }
        }
    }
    let raw: Vec<Vec<u8>> = records.iter().map(|(_, r)| r.clone()).collect();
    let Some(lines) = php_lines(&raw) else {
        // In CI a missing tool is a failure, never a silent pass.
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "php_reference_agrees: no `php` on PATH and CI=true (apt-get install php-cli)"
        );
        eprintln!("php_reference_agrees: skipped, no `php` on PATH (apt-get install php-cli)");
        return;
    };
    assert_eq!(lines.len(), records.len(), "oracle.php answered short");
    let save = std::env::var("FUZZ_PHP_SAVE").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut to_save: Vec<(&'static str, &[u8])> = Vec::new();
    for ((i, record), line) in records.iter().zip(&lines) {
        let Some((id, detail)) = disagreement(record, line) else {
            continue;
        };
        let (name, original) = &files[*i];
        let shown = String::from_utf8_lossy(&record[..record.len().min(400)]);
        if KNOWN_OPEN.contains(&id) {
            eprintln!("known-open [{id}] {name}: {detail}");
            continue;
        }
        failures.push(format!("[{id}] {name}: {detail}\n    record {shown:?}"));
        if !name.contains("/fuzz/regressions/") {
            to_save.push((id, original));
        }
    }
    if save {
        // The three shortest inputs of each kind are enough to replay it.
        to_save.sort_by_key(|(id, bytes)| (*id, bytes.len()));
        to_save.dedup();
        let mut per_id = std::collections::HashMap::new();
        for (id, bytes) in to_save {
            let n = per_id.entry(id).or_insert(0);
            *n += 1;
            if *n > 3 {
                continue;
            }
            let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            let path = root().join(format!("fuzz/regressions/{id}-{hash:016x}"));
            std::fs::write(&path, bytes).unwrap();
            eprintln!("saved {}", path.display());
        }
    }
    eprintln!(
        "php_reference_agrees: {} records from {} inputs checked against PHP",
        records.len(),
        files.len()
    );
    assert!(
        failures.is_empty(),
        "PHP disagrees on {} records:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
