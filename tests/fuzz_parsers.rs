//! Replays every input in fuzz/regressions-parsers/ (each once broke an invariant of the
//! `parsers` fuzz target) and in fuzz/corpus-seed-parsers/ through that target's checks
//! (fuzz/src/parsers.rs).

#[allow(dead_code)]
#[path = "../fuzz/src/parsers.rs"]
mod parsers;

use std::panic;
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with('.') && !name.starts_with("README")
        })
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), bytes)
        })
        .collect();
    files.sort();
    files
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".to_owned())
}

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
