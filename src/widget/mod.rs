//! The exchange widget's core (`<obmennik-widget>`): everything the element shows and does is
//! decided here, natively testable; the element in `pkg-template/widget/` only draws the markup
//! this renders and runs the effects it asks for (requests to the proxy, timers, storage).

pub mod amount;
pub mod i18n;
pub mod qr;
pub mod sanitize;
