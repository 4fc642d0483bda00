//! obmennik: clients for the Premium Exchanger user API v1 and the api2 payment gateway,
//! with PHP-exact request signing and callback verification, compiled to WebAssembly.

pub mod callback;
pub mod exchanger;
pub mod float;
pub mod http;
pub mod js;
pub mod json;
pub mod merchant;
pub mod php;
pub mod proxy;
pub mod sha1;
pub mod sign;
pub mod validate;
pub mod widget;
