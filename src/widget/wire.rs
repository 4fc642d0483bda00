//! What the widget reads from the proxy (BRIEF 3.4): `{"data": ...}` on success,
//! `{"error": {kind, code, message, fields}}` on failure.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A failure as the proxy reports it, or as the widget classifies a transport failure.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProxyError {
    pub kind: String,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

impl ProxyError {
    pub fn new(kind: &str, message: &str) -> ProxyError {
        ProxyError {
            kind: kind.to_string(),
            code: 0,
            message: message.to_string(),
            fields: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    error: Option<ProxyError>,
}

/// Reads one proxy answer (`status` 0: the request never got an answer).
pub fn read<T: for<'de> Deserialize<'de>>(status: u16, body: &str) -> Result<T, ProxyError> {
    if status == 0 {
        return Err(ProxyError::new("network", "the proxy could not be reached"));
    }
    match serde_json::from_str::<Envelope<T>>(body) {
        Ok(Envelope {
            data: Some(data), ..
        }) if status == 200 => Ok(data),
        Ok(Envelope {
            error: Some(err), ..
        }) => Err(err),
        Ok(_) => Err(ProxyError::new(
            "bad_response",
            &format!("the proxy answered HTTP {status} without data"),
        )),
        Err(e) => Err(ProxyError::new(
            "bad_response",
            &format!("the proxy's answer (HTTP {status}) could not be read: {e}"),
        )),
    }
}

// The exchanger's data, in the canonical shapes the proxy sends (crate::exchanger's types).
pub use crate::exchanger::types::{
    ApiActions, Bid, CalcResult, DirectionField, DirectionFieldOption, DirectionSummary,
    DirectionTexts, ExchangeDirection,
};
