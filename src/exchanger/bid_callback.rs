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
/// `bid_info` calls the handler makes at once: a flood of forged callbacks must not become a
/// flood of calls that gets the merchant's key rate-limited or its IP blocked.
pub const MAX_RUNNING: usize = 8;
/// Callbacks waiting for a call; past this the handler answers 503 and drops the callback.
pub const MAX_WAITING: usize = 1000;

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

/// What became of a callback given to [`Queue::push`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    /// It waits for its own `bid_info` call.
    Waiting,
    /// A callback for the same bid was already waiting: that one call serves both.
    Joined,
    /// [`MAX_WAITING`] callbacks wait already: this one is dropped.
    Full,
}

/// The callbacks to confirm, so that each bid has at most one `bid_info` call running and one
/// waiting, and at most [`MAX_RUNNING`] run at once: copies of a callback, honest or forged,
/// cost at most one more call, however many arrive. A callback for a bid being read waits
/// for that read to end, since the answer may predate the change it reports.
#[derive(Debug, Default)]
pub struct Queue {
    waiting: VecDeque<BidCallback>,
    running: Vec<String>,
}

impl Queue {
    /// Takes a callback: it joins one waiting for the same bid (whose claim becomes this later
    /// one), else waits, unless the queue is full.
    pub fn push(&mut self, callback: BidCallback) -> Queued {
        if let Some(waiting) = self
            .waiting
            .iter_mut()
            .find(|w| w.bid_id == callback.bid_id)
        {
            waiting.status = callback.status;
            return Queued::Joined;
        }
        if self.waiting.len() >= MAX_WAITING {
            return Queued::Full;
        }
        self.waiting.push_back(callback);
        Queued::Waiting
    }

    /// The callback to confirm next, when a call may start: the oldest waiting whose bid is
    /// not being read. It counts as running until [`Queue::done`].
    pub fn start_next(&mut self) -> Option<BidCallback> {
        if self.running.len() >= MAX_RUNNING {
            return None;
        }
        let at = self
            .waiting
            .iter()
            .position(|w| !self.running.contains(&w.bid_id))?;
        let callback = self.waiting.remove(at)?;
        self.running.push(callback.bid_id.clone());
        Some(callback)
    }

    /// The call for `bid_id` ended.
    pub fn done(&mut self, bid_id: &str) {
        if let Some(at) = self.running.iter().position(|b| b == bid_id) {
            self.running.swap_remove(at);
        }
    }

    /// Nothing runs or waits.
    pub fn is_idle(&self) -> bool {
        self.running.is_empty() && self.waiting.is_empty()
    }
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

    fn claim(bid_id: &str, status: &str) -> BidCallback {
        BidCallback {
            bid_id: bid_id.into(),
            status: status.into(),
        }
    }

    #[test]
    fn queue_reads_each_bid_once_at_a_time_and_bounds_the_rest() {
        let mut queue = Queue::default();
        assert_eq!(queue.push(claim("1", "new")), Queued::Waiting);
        assert_eq!(queue.start_next(), Some(claim("1", "new")));
        // Copies while bid 1 is read: one waits, the rest join it with the latest claim.
        assert_eq!(queue.push(claim("1", "payed")), Queued::Waiting);
        assert_eq!(queue.push(claim("1", "payed")), Queued::Joined);
        assert_eq!(queue.push(claim("1", "success")), Queued::Joined);
        assert_eq!(queue.start_next(), None, "bid 1 is being read");
        queue.done("1");
        assert_eq!(queue.start_next(), Some(claim("1", "success")));
        queue.done("1");
        assert!(queue.is_idle());
        for i in 0..MAX_RUNNING + MAX_WAITING {
            let id = (i + 10).to_string();
            assert_eq!(queue.push(claim(&id, "new")), Queued::Waiting);
            if i < MAX_RUNNING {
                assert!(queue.start_next().is_some());
            }
        }
        assert_eq!(queue.start_next(), None, "{MAX_RUNNING} run at most");
        assert_eq!(queue.push(claim("5", "new")), Queued::Full);
        queue.done("10");
        assert_eq!(
            queue.start_next().map(|c| c.bid_id),
            Some((MAX_RUNNING + 10).to_string())
        );
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
