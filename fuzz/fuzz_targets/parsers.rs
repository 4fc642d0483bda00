//! libFuzzer target for every parser of untrusted input but the callback's: the first byte
//! picks the parser (`parsers::Parser::of`), the rest is its input; `parsers::check` holds
//! the invariants.
#![no_main]

#[path = "../src/parsers.rs"]
mod parsers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| parsers::check(data));
