//! The exchanger's status callback: a form POST `bid_id=<id>&status=<status>`, unsigned, sent
//! once with no retry. Anyone can send one, so it is only a hint: the bid is read back with
//! `bid_info` and the server's answer is what counts.

use super::request::parse_form;
use super::types::Bid;
use crate::php::PhpValue;
use crate::validate::ValidationError;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use tsify::Tsify;

/// Callbacks are a few dozen bytes; anything near this is not the exchanger.
pub const MAX_CALLBACK_BYTES: usize = 4096;
/// (bid, status) pairs remembered to hand each to `onBid` once.
const REMEMBERED: usize = 10_000;

/// What a callback claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidCallback {
    pub bid_id: String,
    pub status: String,
}

/// A callback checked against the exchanger (what `confirmBidCallback` resolves with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BidCallbackConfirmation {
    /// The bid as `bid_info` returns it now: the truth.
    pub bid: Bid,
    /// The status the callback claimed (not to be trusted on its own).
    pub claimed_status: String,
    /// True when the bid's status is the claimed one. False for a forged or replayed
    /// callback, or when the bid has moved on since (act on `bid.status` either way).
    pub confirmed: bool,
}

/// Reads a callback from its fields (form pairs); every problem is reported.
pub fn parse(fields: &[(String, PhpValue)]) -> Result<BidCallback, ValidationError> {
    let text = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| super::shape::text_of(Some(super::shape::php_leaf(v))))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let (bid_id, status) = (text("bid_id"), text("status"));
    let mut errors = ValidationError::default();
    if !(1..=19).contains(&bid_id.len())
        || !bid_id.bytes().all(|b| b.is_ascii_digit())
        || bid_id.bytes().all(|b| b == b'0')
    {
        errors.push("bid_id", "must be a positive whole number");
    }
    if !(1..=32).contains(&status.len())
        || !status
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        errors.push("status", "must be a bid status (1 to 32 of a-z, 0-9, _)");
    }
    errors
        .into_result()
        .map(|()| BidCallback { bid_id, status })
}

/// Reads a raw callback body: the exchanger's form, or a JSON object from a relay.
pub fn parse_body(body: &[u8]) -> Result<BidCallback, ValidationError> {
    if body.len() > MAX_CALLBACK_BYTES {
        return Err(ValidationError::one(
            "body",
            format!("is over {MAX_CALLBACK_BYTES} bytes"),
        ));
    }
    let text =
        std::str::from_utf8(body).map_err(|_| ValidationError::one("body", "is not UTF-8"))?;
    let fields = if text.trim_start().starts_with('{') {
        match crate::json::decode(text) {
            Ok(PhpValue::Array(entries)) => entries,
            _ => return Err(ValidationError::one("body", "is not a JSON object")),
        }
    } else {
        parse_form(text)
            .ok_or_else(|| ValidationError::one("body", "is not a form body"))?
            .into_iter()
            .map(|(k, v)| (k, PhpValue::Str(v)))
            .collect()
    };
    parse(&fields)
}

/// The (bid, status) pairs already handed on, oldest first, bounded. A plain queue searched
/// in order: callbacks are rare, and a hash set cost the `.wasm` its hashing code.
#[derive(Debug, Default)]
pub struct Seen {
    order: VecDeque<(String, String)>,
}

impl Seen {
    fn position(&self, bid_id: &str, status: &str) -> Option<usize> {
        self.order
            .iter()
            .position(|(b, s)| b == bid_id && s == status)
    }

    /// Remembers the pair; false when it was already there.
    pub fn insert(&mut self, bid_id: &str, status: &str) -> bool {
        if self.position(bid_id, status).is_some() {
            return false;
        }
        self.order.push_back((bid_id.to_owned(), status.to_owned()));
        if self.order.len() > REMEMBERED {
            self.order.pop_front();
        }
        true
    }

    /// Forgets the pair (its handler failed: a later callback may try again).
    pub fn remove(&mut self, bid_id: &str, status: &str) {
        if let Some(at) = self.position(bid_id, status) {
            self.order.remove(at);
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_form_and_json_bodies() {
        let cb = parse_body(b"bid_id=1001&status=payed").unwrap();
        assert_eq!((cb.bid_id.as_str(), cb.status.as_str()), ("1001", "payed"));
        let cb = parse_body(br#"{"bid_id":1002,"status":"success"}"#).unwrap();
        assert_eq!(cb.bid_id, "1002");
    }

    #[test]
    fn refuses_malformed_callbacks() {
        let fields = |body: &[u8]| -> Vec<String> {
            parse_body(body)
                .unwrap_err()
                .issues
                .into_iter()
                .map(|i| i.field)
                .collect()
        };
        assert_eq!(fields(b""), ["bid_id", "status"]);
        assert_eq!(fields(b"bid_id=0&status=payed"), ["bid_id"]);
        assert_eq!(fields(b"bid_id=1%20OR%201&status=payed"), ["bid_id"]);
        assert_eq!(fields(b"bid_id=5&status=<script>"), ["status"]);
        assert_eq!(fields(b"bid_id=5&status=PAYED"), ["status"]);
        assert_eq!(fields(b"bid_id=5&status=%ff"), ["body"]);
        assert_eq!(fields(b"[1]"), ["bid_id", "status"]); // a form with one odd key
        assert_eq!(fields(b"{\"bid_id\":"), ["body"]);
        assert_eq!(fields(&[b'a'; MAX_CALLBACK_BYTES + 1]), ["body"]);
    }

    #[test]
    fn seen_is_once_per_pair_and_bounded() {
        let mut seen = Seen::default();
        assert!(seen.insert("1", "payed"));
        assert!(!seen.insert("1", "payed"));
        assert!(seen.insert("1", "success"));
        seen.remove("1", "payed");
        assert!(seen.insert("1", "payed"));
        for i in 0..REMEMBERED + 10 {
            seen.insert(&i.to_string(), "new");
        }
        assert_eq!(seen.len(), REMEMBERED);
    }
}
