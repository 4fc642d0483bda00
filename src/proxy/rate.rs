//! Per-client rate limiting: a token bucket per key (the client's IP, or one shared bucket),
//! refilled continuously, so bursts up to `per_minute` pass and the rest wait. Memory stays
//! bounded whatever the number of distinct keys. Buckets sit in a vector sorted by key
//! (binary search): a hash map cost the `.wasm` its hashing and table code.

use std::net::IpAddr;

/// Keys tracked at most; beyond, buckets that are full again are dropped first.
const MAX_KEYS: usize = 10_000;
/// The longest key kept: an IPv6 address in text is at most 45 bytes, so anything longer is
/// not an address, and 10,000 header-sized keys would otherwise hold megabytes for good.
const MAX_KEY_BYTES: usize = 64;

/// The bucket key for a client address. An IPv6 client gets its whole /64, the block one
/// subscriber is given: keyed per address, it would have 2^64 fresh buckets to rotate through.
/// IPv4-mapped addresses count as IPv4. Anything else is cut to [`MAX_KEY_BYTES`].
pub fn address_key(address: &str) -> String {
    let address = address.trim();
    // Octets and groups by hand: the address types' Display cost the `.wasm` 1 KiB more.
    match address.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V4(v4)) => {
            let [a, b, c, d] = v4.octets();
            format!("{a}.{b}.{c}.{d}")
        }
        Ok(IpAddr::V6(v6)) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
        Err(_) => {
            let mut end = address.len().min(MAX_KEY_BYTES);
            while !address.is_char_boundary(end) {
                end -= 1;
            }
            address[..end].to_owned()
        }
    }
}

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
        if self.buckets.len() < MAX_KEYS {
            return;
        }
        // Still full: the least recently used half goes. The cut is the time of the
        // (MAX_KEYS / 2)-th oldest bucket, found by bisection over the times (sorting them
        // cost the core `.wasm` 6.6 KiB, 2.7 KB gzipped); buckets seen exactly then go until
        // half are gone. The times are `Date.now()`s: the bisection ends on adjacent doubles
        // long before its 64 steps.
        let half = MAX_KEYS / 2;
        let times = || self.buckets.iter().map(|(_, b)| b.at_ms);
        let at_most = |t: f64| times().filter(|&a| a <= t).count();
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for t in times() {
            (lo, hi) = (lo.min(t), hi.max(t));
        }
        for _ in 0..64 {
            let mid = lo + (hi - lo) / 2.0;
            if mid <= lo || mid >= hi {
                break;
            }
            if at_most(mid) >= half {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let cut = if at_most(lo) >= half { lo } else { hi };
        let cut = times()
            .filter(|&t| t <= cut)
            .fold(f64::NEG_INFINITY, f64::max);
        let mut ties = half.saturating_sub(times().filter(|&t| t < cut).count());
        self.buckets.retain(|(_, b)| {
            let tie = b.at_ms == cut && ties > 0;
            ties -= usize::from(tie);
            !(b.at_ms < cut || tie)
        });
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
    fn addresses_key_by_ipv4_or_ipv6_slash_64_and_stay_short() {
        for (address, key) in [
            ("198.51.100.7", "198.51.100.7"),
            (" 198.51.100.7 ", "198.51.100.7"),
            ("::ffff:198.51.100.7", "198.51.100.7"),
            ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
            (
                "2001:0db8:0001:0002:ffff:ffff:ffff:ffff",
                "2001:db8:1:2::/64",
            ),
            ("::1", "0:0:0:0::/64"),
            ("::ffff:c000:0201", "192.0.2.1"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
            ("2001:db8::", "2001:db8:0:0::/64"),
            ("1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8:9"),
            ("1::2::3", "1::2::3"),
            ("256.1.1.1", "256.1.1.1"),
            ("010.1.1.1", "010.1.1.1"),
            ("fe80::1%eth0", "fe80::1%eth0"),
            ("unknown", "unknown"),
        ] {
            assert_eq!(address_key(address), key, "{address}");
        }
        let forged = "é".repeat(8000);
        assert_eq!(address_key(&forged).len(), MAX_KEY_BYTES);
    }

    proptest::proptest! {
        #[test]
        fn address_keys_never_panic_and_stay_short(text in "[0-9a-fA-F:.%]{0,48}|.{0,80}") {
            proptest::prop_assert!(address_key(&text).len() <= MAX_KEY_BYTES);
        }
    }

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

    #[test]
    fn a_full_table_forgets_its_least_recently_used_half() {
        let mut rl = RateLimiter::new(1); // refills in a minute: nothing refills here
        for i in 0..MAX_KEYS {
            rl.take(&format!("k{i}"), i as f64).unwrap();
        }
        rl.take("new", MAX_KEYS as f64).unwrap();
        assert_eq!(rl.len(), MAX_KEYS / 2 + 1);
        // The oldest are gone (a fresh bucket again), the newest still spent.
        assert_eq!(rl.take("k0", MAX_KEYS as f64), Ok(()));
        assert!(rl
            .take(&format!("k{}", MAX_KEYS - 1), MAX_KEYS as f64)
            .is_err());
    }

    #[test]
    fn a_full_table_seen_at_one_instant_still_loses_exactly_half() {
        let mut rl = RateLimiter::new(1);
        for i in 0..MAX_KEYS {
            rl.take(&format!("k{i}"), 5.0).unwrap();
        }
        rl.take("new", 5.0).unwrap();
        assert_eq!(rl.len(), MAX_KEYS / 2 + 1);
    }
}
