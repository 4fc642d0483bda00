//! The "Premium Exchanger" user API v1 (seeds 000/001, WIRE.md part A): 16 methods over a
//! form POST with `API-LOGIN`/`API-KEY` headers, answering `{"error", "error_text", "data"}`.
//!
//! Pure parts, usable by every build and tested natively: the method table ([`method`]),
//! request checking and form encoding ([`request`]), the request types ([`requests`]), what
//! each answer looks like ([`shape`], which turns any wire variant into the canonical form
//! of the answer types in [`types`]), text conversions ([`wire`]), and the envelope with
//! its error kinds ([`envelope`]).
//! The `sdk` build adds the HTTP client ([`client`]) and the `ExchangerClient` JS class.

pub mod bid_callback;
#[cfg(feature = "sdk")]
mod bid_callback_js;
#[cfg(feature = "sdk")]
pub mod client;
pub mod envelope;
#[cfg(feature = "sdk")]
mod js_api;
pub mod method;
pub mod request;
pub mod requests;
pub mod shape;
pub mod types;
pub mod wire;

#[cfg(test)]
mod tests;

pub use envelope::{ExchangerError, ExchangerErrorKind};
#[cfg(feature = "sdk")]
pub(crate) use js_api::call_method;
#[cfg(feature = "sdk")]
pub use js_api::ExchangerClient;
pub use method::Method;
