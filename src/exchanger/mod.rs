//! The "Premium Exchanger" user API v1 (seeds 000/001, WIRE.md part A): 16 methods over a
//! form POST with `API-LOGIN`/`API-KEY` headers, answering `{"error", "error_text", "data"}`.
//!
//! Pure parts, usable by every build and tested natively: the method table ([`method`]),
//! request checking and form encoding ([`request`]), the answer types ([`types`]) with their
//! tolerant readers ([`wire`]), and the envelope with its error kinds ([`envelope`]).

pub mod envelope;
pub mod method;
pub mod request;
pub mod types;
pub mod wire;

#[cfg(test)]
mod tests;

pub use envelope::{ExchangerError, ExchangerErrorKind};
pub use method::Method;
