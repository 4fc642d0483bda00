//! Per-client rate limiting: a token bucket per key (the client's IP, or one shared bucket),
//! refilled continuously, so bursts up to `per_minute` pass and the rest wait. Memory stays
//! bounded whatever the number of distinct keys. Buckets sit in a vector sorted by key
//! (binary search): a hash map cost the `.wasm` its hashing and table code.

/// Keys tracked at most; beyond, buckets that are full again are dropped first.
const MAX_KEYS: usize = 10_000;

/// Token buckets by key.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: f64,
    /// Sorted by key.
    buckets: Vec<(String, Bucket)>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: f64,
}

impl RateLimiter {
    /// Allows `per_minute` requests per key per minute, in bursts of up to as many.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Vec::new(),
        }
    }

    fn per_ms(&self) -> f64 {
        self.per_minute / 60_000.0
    }

    /// Takes a token for `key` at `now_ms`: `Ok(())`, or `Err(seconds)` to wait before the
    /// next one (for `Retry-After`).
    pub fn take(&mut self, key: &str, now_ms: f64) -> Result<(), u32> {
        let (capacity, per_ms) = (self.per_minute, self.per_ms());
        let find =
            |buckets: &[(String, Bucket)]| buckets.binary_search_by(|(k, _)| k.as_str().cmp(key));
        let mut at = find(&self.buckets);
        if at.is_err() && self.buckets.len() >= MAX_KEYS {
            self.prune(now_ms);
            at = find(&self.buckets);
        }
        let at = at.unwrap_or_else(|free| {
            let fresh = Bucket {
                tokens: capacity,
                at_ms: now_ms,
            };
            self.buckets.insert(free, (key.to_owned(), fresh));
            free
        });
        let bucket = &mut self.buckets[at].1;
        let elapsed = (now_ms - bucket.at_ms).max(0.0);
        bucket.tokens = (bucket.tokens + elapsed * per_ms).min(capacity);
        bucket.at_ms = now_ms;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait_ms = (1.0 - bucket.tokens) / per_ms;
            Err((wait_ms / 1000.0).ceil().max(1.0) as u32)
        }
    }

    /// Drops buckets that have refilled (forgetting them changes nothing); if none has, the
    /// least recently used half.
    fn prune(&mut self, now_ms: f64) {
        let (capacity, per_ms) = (self.per_minute, self.per_ms());
        self.buckets
            .retain(|(_, b)| b.tokens + (now_ms - b.at_ms).max(0.0) * per_ms < capacity);
        let mut ages: Vec<f64> = self.buckets.iter().map(|(_, b)| b.at_ms).collect();
        ages.sort_unstable_by(f64::total_cmp);
        // Still full: the newer half stays, everything last seen at or after the median time.
        if let (true, Some(&cut)) = (ages.len() >= MAX_KEYS, ages.get(MAX_KEYS / 2)) {
            // Buckets seen exactly at `cut` go too, until half are gone.
            let mut ties = MAX_KEYS / 2 - ages.iter().filter(|&&t| t < cut).count();
            self.buckets.retain(|(_, b)| {
                let tie = b.at_ms == cut && ties > 0;
                ties -= usize::from(tie);
                !(b.at_ms < cut || tie)
            });
        }
    }

    /// How many keys are tracked.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// True when no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_waits_then_refills() {
        let mut rl = RateLimiter::new(60); // one per second
        for _ in 0..60 {
            assert_eq!(rl.take("a", 0.0), Ok(()));
        }
        assert_eq!(rl.take("a", 0.0), Err(1));
        assert_eq!(rl.take("b", 0.0), Ok(())); // other keys are unaffected
        assert_eq!(rl.take("a", 999.0), Err(1));
        assert_eq!(rl.take("a", 1000.0), Ok(()));
        let mut slow = RateLimiter::new(2);
        slow.take("x", 0.0).unwrap();
        slow.take("x", 0.0).unwrap();
        assert_eq!(slow.take("x", 0.0), Err(30));
    }

    #[test]
    fn memory_is_bounded() {
        let mut rl = RateLimiter::new(10);
        for i in 0..(MAX_KEYS * 3) {
            let _ = rl.take(&format!("k{i}"), i as f64);
        }
        assert!(rl.len() <= MAX_KEYS, "{}", rl.len());
        // Keys all seen at once cannot refill: the older half goes.
        let mut burst = RateLimiter::new(10);
        for i in 0..(MAX_KEYS * 3) {
            let _ = burst.take(&format!("k{i}"), 0.0);
        }
        assert!(
            burst.len() <= MAX_KEYS && burst.len() > MAX_KEYS / 4,
            "{}",
            burst.len()
        );
    }
}
