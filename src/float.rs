//! Exact conversions between `f64` and decimal text, small enough for the wasm core.
//!
//! PHP prints a float with 14 significant digits correctly rounded from its exact binary
//! value (half to even on exact ties) and reads a literal correctly rounded. core's
//! `format!("{:.13e}")` and `str::parse::<f64>` do the same, but bring ~30 KB of code and
//! tables (Grisu/Dragon4, Eisel-Lemire's 10 KB table of powers of five) into the `.wasm`
//! and take half a microsecond each. Here the common cases run on `u128` arithmetic and the
//! rest on a small big integer, with no tables: every answer is exact, none approximated.

use std::cmp::Ordering;

/// Big integers up to 3200 bits: the largest ones are a 2670-bit comparison when reading a
/// literal of 800 digits near the smallest subnormal (see `parse`), and 1100 bits when
/// printing (`m · 5^340`).
const LIMBS: usize = 100;

/// An unsigned big integer, little-endian 32-bit limbs, `len` without leading zero limbs.
#[derive(Clone)]
struct Big {
    limbs: [u32; LIMBS],
    len: usize,
}

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big {
            limbs: [0; LIMBS],
            len: 2,
        };
        b.limbs[0] = v as u32;
        b.limbs[1] = (v >> 32) as u32;
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.len > 0 && self.limbs[self.len - 1] == 0 {
            self.len -= 1;
        }
    }

    fn is_zero(&self) -> bool {
        self.len == 0
    }

    fn bit_len(&self) -> u32 {
        match self.len {
            0 => 0,
            n => 32 * n as u32 - self.limbs[n - 1].leading_zeros(),
        }
    }

    /// `self * m + add`.
    fn mul_add(&mut self, m: u64, add: u64) {
        let mut carry = add as u128;
        for limb in &mut self.limbs[..self.len] {
            let t = *limb as u128 * m as u128 + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        while carry != 0 {
            self.limbs[self.len] = carry as u32;
            self.len += 1;
            carry >>= 32;
        }
    }

    fn mul_pow5(&mut self, mut n: u32) {
        while n >= 27 {
            self.mul_add(POW5[27], 0);
            n -= 27;
        }
        if n > 0 {
            self.mul_add(POW5[n as usize], 0);
        }
    }

    fn shl(&mut self, bits: u32) {
        if self.is_zero() {
            return;
        }
        let words = (bits / 32) as usize;
        let bits = bits % 32;
        let old = self.len;
        self.limbs[old + words] = 0;
        if bits > 0 {
            for i in (0..old).rev() {
                let v = self.limbs[i];
                self.limbs[i + words + 1] |= v >> (32 - bits);
                self.limbs[i + words] = v << bits;
            }
        } else {
            for i in (0..old).rev() {
                self.limbs[i + words] = self.limbs[i];
            }
        }
        self.limbs[..words].fill(0);
        self.len = old + words + 1;
        self.trim();
    }

    /// Shifts right by `bits` and says how the lost bits compare with half of the last kept one.
    fn shr(&mut self, bits: u32) -> Rest {
        let half_bit = bits.checked_sub(1).map(|b| self.bit(b));
        let below_half = (0..bits.saturating_sub(1)).any(|b| self.bit(b));
        let words = (bits / 32) as usize;
        let bits = bits % 32;
        if words >= self.len {
            self.len = 0;
        } else {
            let n = self.len - words;
            for i in 0..n {
                let lo = self.limbs[i + words] >> bits;
                let hi = match (bits, self.limbs.get(i + words + 1)) {
                    (0, _) | (_, None) => 0,
                    (_, Some(&next)) => next << (32 - bits),
                };
                self.limbs[i] = lo | hi;
            }
            self.limbs[n..self.len].fill(0);
            self.len = n;
            self.trim();
        }
        Rest::of(half_bit == Some(true), below_half)
    }

    fn bit(&self, i: u32) -> bool {
        let word = (i / 32) as usize;
        word < self.len && self.limbs[word] >> (i % 32) & 1 == 1
    }

    /// Divides by `d` (nonzero), returning the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.limbs[..self.len].iter_mut().rev() {
            let cur = rem << 32 | *limb as u64;
            *limb = (cur / d as u64) as u32;
            rem = cur % d as u64;
        }
        self.trim();
        rem as u32
    }

    fn to_u64(&self) -> Option<u64> {
        match self.len {
            0 => Some(0),
            1 => Some(self.limbs[0] as u64),
            2 => Some(self.limbs[0] as u64 | (self.limbs[1] as u64) << 32),
            _ => None,
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.len.cmp(&other.len).then_with(|| {
            self.limbs[..self.len]
                .iter()
                .rev()
                .cmp(other.limbs[..other.len].iter().rev())
        })
    }
}

/// `a · 2^ea` against `b · 2^eb`, both nonzero.
fn cmp_scaled(a: &Big, ea: i32, b: &Big, eb: i32) -> Ordering {
    let top_a = a.bit_len() as i32 + ea;
    let top_b = b.bit_len() as i32 + eb;
    if top_a != top_b {
        return top_a.cmp(&top_b);
    }
    // Same top bit: aligning shifts by at most the longer one's length, so it fits.
    if ea >= eb {
        let mut a = a.clone();
        a.shl((ea - eb) as u32);
        a.cmp(b)
    } else {
        let mut b = b.clone();
        b.shl((eb - ea) as u32);
        a.cmp(&b)
    }
}

/// What a division or shift dropped, measured against half of the last kept unit.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Debug)]
enum Rest {
    Zero,
    BelowHalf,
    Half,
    AboveHalf,
}

impl Rest {
    fn of(half: bool, below: bool) -> Rest {
        match (half, below) {
            (false, false) => Rest::Zero,
            (false, true) => Rest::BelowHalf,
            (true, false) => Rest::Half,
            (true, true) => Rest::AboveHalf,
        }
    }

    /// Half to even: whether the truncated `q` rounds up.
    fn rounds_up(rest: Rest, q: u64) -> bool {
        rest == Rest::AboveHalf || (rest == Rest::Half && q % 2 == 1)
    }
}

/// `x = m · 2^e` for a finite `x > 0`, `m < 2^53`.
fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, exp - 1075)
    }
}

/// `[1, base, base², ...]`.
const fn powers<const N: usize>(base: u64) -> [u64; N] {
    let mut t = [1u64; N];
    let mut i = 1;
    while i < N {
        t[i] = t[i - 1] * base;
        i += 1;
    }
    t
}

/// 10^0..10^19, the powers of ten below 2^64.
const POW10: [u64; 20] = powers(10);

/// `x` (finite, > 0) rounded to `precision` (1..=17) significant digits, half to even on
/// exact ties: `(digits, exp)` with `x ≈ digits · 10^(exp - precision + 1)` and
/// `10^(precision-1) <= digits < 10^precision`, so `exp` is the decimal exponent of the
/// leading digit (`%e`'s exponent).
pub fn round_to_digits(x: f64, precision: u32) -> (u64, i32) {
    round_with(x, precision, Rest::rounds_up)
}

/// `round_to_digits` with the rounding rule given: `rounds_up(rest, truncated)`.
fn round_with(x: f64, precision: u32, rounds_up: fn(Rest, u64) -> bool) -> (u64, i32) {
    let precision = precision.clamp(1, 17);
    let (m, e) = decompose(x);
    let floor_log2 = e + 63 - m.leading_zeros() as i32;
    // floor(log10 x) is this or one more; a wrong guess shows in the quotient and is redone.
    let mut k = (floor_log2 * 78_913) >> 18;
    let low = POW10[precision as usize - 1];
    let high = POW10[precision as usize];
    for _ in 0..4 {
        let j = precision as i32 - 1 - k;
        match scaled(m, e, j) {
            Some((q, _)) if q >= high => k += 1,
            Some((q, _)) if q < low => k -= 1,
            Some((q, rest)) => {
                let q = q + rounds_up(rest, q) as u64;
                return if q == high { (low, k + 1) } else { (q, k) };
            }
            None => k += 1,
        }
    }
    // Unreachable: the first guess is off by at most one.
    (low, k)
}

/// `floor(m · 2^e · 10^j)` and what it dropped; `None` when it does not fit in 64 bits.
fn scaled(m: u64, e: i32, j: i32) -> Option<(u64, Rest)> {
    scaled_u128(m, e, j).or_else(|| scaled_big(m, e, j))
}

/// The common cases (about 1e-9 to 1e33) in 128-bit arithmetic, one multiply or divide.
fn scaled_u128(m: u64, e: i32, j: i32) -> Option<(u64, Rest)> {
    let (q, rest) = if j >= 0 {
        // m · 5^j · 2^(e + j); m < 2^53 and 5^j < 2^63, so the product fits.
        let t = m as u128 * *POW5.get(j as usize)? as u128;
        let a = e + j;
        if a >= 0 {
            if a >= t.leading_zeros() as i32 {
                return None;
            }
            (t << a, Rest::Zero)
        } else {
            let s = -a as u32;
            if s >= 127 {
                return None;
            }
            let rem = t & ((1u128 << s) - 1);
            let half = 1u128 << (s - 1);
            (t >> s, Rest::of(rem >= half, rem != 0 && rem != half))
        }
    } else {
        // m · 2^e / 10^t, in 64 bits: a 128-bit division is a slow library call in wasm.
        let p = *POW10.get((-j) as usize)?;
        let (num, den) = if e >= 0 {
            (m.checked_shl(e as u32).filter(|n| n >> e == m)?, p)
        } else {
            (m, p.checked_shl(-e as u32).filter(|d| d >> -e == p)?)
        };
        let rem = num % den;
        let rest = match rem.cmp(&(den - rem)) {
            Ordering::Less if rem == 0 => Rest::Zero,
            Ordering::Less => Rest::BelowHalf,
            Ordering::Equal => Rest::Half,
            Ordering::Greater => Rest::AboveHalf,
        };
        return Some((num / den, rest));
    };
    u64::try_from(q).ok().map(|q| (q, rest))
}

/// 5^0..5^27, the powers of five below 2^64.
const POW5: [u64; 28] = powers(5);

/// Every case, exactly, on big integers.
fn scaled_big(m: u64, e: i32, j: i32) -> Option<(u64, Rest)> {
    let mut b = Big::from_u64(m);
    let rest = if j >= 0 {
        b.mul_pow5(j as u32);
        let a = e + j;
        if a >= 0 {
            if b.bit_len() as i32 + a > 64 {
                return None;
            }
            b.shl(a as u32);
            Rest::Zero
        } else {
            b.shr(-a as u32)
        }
    } else {
        // The integer part, then whole decimal digits off it; the binary fraction is below
        // every decimal digit dropped, so it only decides between Zero and BelowHalf.
        let fraction = if e >= 0 {
            b.shl(e as u32);
            false
        } else {
            b.shr(-e as u32) != Rest::Zero
        };
        let mut t = (-j) as u32;
        let mut dropped = false;
        while t > 1 {
            let step = (t - 1).min(9);
            dropped |= b.div_small(10u32.pow(step)) != 0;
            t -= step;
        }
        let last = b.div_small(10);
        match (last, dropped || fraction) {
            (0, false) => Rest::Zero,
            (0..=4, _) => Rest::BelowHalf,
            (5, false) => Rest::Half,
            _ => Rest::AboveHalf,
        }
    };
    b.to_u64().map(|q| (q, rest))
}

/// The shortest digits that read back as `x` (finite, > 0), the closest to `x` among
/// them, as core's `{}` and `{:?}` choose them: `(digits, exp)` with no trailing zeros in
/// `digits` and `exp` the decimal exponent of the leading digit.
pub fn shortest(x: f64) -> (u64, i32) {
    let reads_back = |digits: u64, exp: i32, precision: u32| {
        let mut buf = [0u8; 32];
        let text = scientific(digits, exp - precision as i32 + 1, &mut buf);
        parse(text) == Some(x)
    };
    // A normal double's 15-digit rounding is its only 15-digit neighbour within half a unit
    // in the last place, so when it reads back, nothing shorter exists that this misses.
    let first = if x >= f64::MIN_POSITIVE { 15 } else { 1 };
    for precision in first..=17 {
        // Among equally close candidates core's shortest form takes the upper one.
        let (digits, exp) = round_with(x, precision, |rest, _| rest >= Rest::Half);
        let found = if reads_back(digits, exp, precision) {
            Some((digits, exp))
        } else {
            // Below a power of two the interval is lopsided: the neighbour on x's other side
            // may read back where the nearest does not.
            let (m, e) = decompose(x);
            let rounded_up =
                scaled(m, e, precision as i32 - 1 - exp).is_some_and(|(q, _)| q < digits);
            let other = if rounded_up { digits - 1 } else { digits + 1 };
            reads_back(other, exp, precision).then_some((other, exp))
        };
        if let Some((mut digits, mut exp)) = found {
            if digits == POW10[precision as usize] {
                digits = 1;
                exp += 1;
            }
            while digits % 10 == 0 {
                digits /= 10;
            }
            return (digits, exp);
        }
    }
    // Unreachable: 17 significant digits always read back.
    let (digits, exp) = round_to_digits(x, 17);
    (digits, exp)
}

/// `digits · 10^exp` as ASCII (`123e-2`), written into `buf`.
fn scientific(digits: u64, exp: i32, buf: &mut [u8; 32]) -> &[u8] {
    let mut at = 0;
    let mut push = |b: u8| {
        buf[at] = b;
        at += 1;
    };
    let mut tmp = [0u8; 20];
    let d = digit_string(digits, &mut tmp);
    d.iter().for_each(|&b| push(b));
    push(b'e');
    if exp < 0 {
        push(b'-');
    }
    let mut tmp2 = [0u8; 20];
    digit_string(exp.unsigned_abs() as u64, &mut tmp2)
        .iter()
        .for_each(|&b| push(b));
    &buf[..at]
}

/// The decimal digits of `n`, at the end of `buf`, two at a time (a division is slow).
pub(crate) fn digit_string(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839404142434445464748495051525354555657585960\
        6162636465666768697071727374757677787980818283848586878889909192939495969798\
        99";
    let mut at = buf.len();
    while n >= 10 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        // Two single stores: a slice copy is a `memory.copy`, a call into C in V8.
        buf[at] = PAIRS[pair];
        buf[at + 1] = PAIRS[pair + 1];
    }
    if n > 0 || at == buf.len() {
        at -= 1;
        buf[at] = b'0' + n as u8;
    }
    &buf[at..]
}

/// Prints as core's `{}` does for an `f64`, without core's float formatting code.
pub struct Shortest(pub f64);

impl std::fmt::Display for Shortest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        push_display(self.0, &mut s);
        f.write_str(&s)
    }
}

/// `x` as core's `{}` prints it (shortest digits, never an exponent: `2`, `0.0001`, `inf`).
pub fn push_display(x: f64, out: &mut String) {
    push_rust(x, out, false);
}

/// `x` as core's `{:?}` prints it (`2.0`, `1e16`, `1.5e-7`): always a `.` or an exponent,
/// so PHP's json_decode reads a float back.
pub fn push_debug(x: f64, out: &mut String) {
    push_rust(x, out, true);
}

fn push_rust(x: f64, out: &mut String, debug: bool) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    let abs = x.abs();
    if abs.is_infinite() {
        out.push_str("inf");
        return;
    }
    let (digits, exp) = if abs == 0.0 { (0, 0) } else { shortest(abs) };
    let mut buf = [0u8; 20];
    let text = digit_string(digits, &mut buf);
    let push = |out: &mut String, bytes: &[u8]| bytes.iter().for_each(|&b| out.push(b as char));
    if debug && abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        push(out, &text[..1]);
        if text.len() > 1 {
            out.push('.');
            push(out, &text[1..]);
        }
        out.push('e');
        if exp < 0 {
            out.push('-');
        }
        push(out, digit_string(exp.unsigned_abs() as u64, &mut [0u8; 20]));
        return;
    }
    let decpt = exp + 1;
    if decpt <= 0 {
        out.push_str("0.");
        (decpt..0).for_each(|_| out.push('0'));
        push(out, text);
    } else if text.len() <= decpt as usize {
        push(out, text);
        (text.len()..decpt as usize).for_each(|_| out.push('0'));
        if debug {
            out.push_str(".0");
        }
    } else {
        push(out, &text[..decpt as usize]);
        out.push('.');
        push(out, &text[decpt as usize..]);
    }
}

/// Parses a decimal literal, `[+-]digits[.digits][(e|E)[+-]digits]` (digits on at least one
/// side of the point, an exponent with at least one digit), correctly rounded half to even
/// as zend_strtod and Rust's `str::parse` read it; `±inf` beyond the range. `None` for any
/// other text (no `inf`, `nan`, hex or blanks).
pub fn parse(text: &[u8]) -> Option<f64> {
    let (negative, rest) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let mantissa_end = rest
        .iter()
        .position(|b| matches!(b, b'e' | b'E'))
        .unwrap_or(rest.len());
    let (mantissa, exponent) = rest.split_at(mantissa_end);
    let (int_part, frac_part) = match mantissa.iter().position(|&b| b == b'.') {
        Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
        None => (mantissa, &[][..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
        return None;
    }
    let exp10 = match exponent.split_first() {
        None => 0,
        Some((_, e)) => {
            let (minus, digits) = match e.split_first() {
                Some((b'-', d)) => (true, d),
                Some((b'+', d)) => (false, d),
                _ => (false, e),
            };
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            // Saturates: any exponent this large already means 0 or infinity.
            let v = digits
                .iter()
                .fold(0i64, |v, &d| (v * 10 + (d - b'0') as i64).min(1 << 40));
            if minus {
                -v
            } else {
                v
            }
        }
    };
    let value = Decimal::new(int_part, frac_part, exp10).to_f64();
    Some(if negative { -value } else { value })
}

/// At most this many significant digits are kept; the rest only count as "more than zero".
/// A double's midpoints have at most 768 significant digits, so 800 decide every rounding.
const MAX_DIGITS: usize = 800;

/// `digits · 10^exp`, `digits` without leading or trailing zeros (all of them, across the
/// point), truncated to `MAX_DIGITS` with `sticky` set when a nonzero digit was cut.
struct Decimal<'a> {
    int_part: &'a [u8],
    frac_part: &'a [u8],
    /// Index of the first significant digit and one past the last, counting over
    /// `int_part` then `frac_part`.
    first: usize,
    end: usize,
    exp: i64,
    sticky: bool,
}

impl<'a> Decimal<'a> {
    fn new(int_part: &'a [u8], frac_part: &'a [u8], exp10: i64) -> Decimal<'a> {
        let all = int_part.len() + frac_part.len();
        let at = |i: usize| -> u8 {
            if i < int_part.len() {
                int_part[i]
            } else {
                frac_part[i - int_part.len()]
            }
        };
        let first = (0..all).find(|&i| at(i) != b'0').unwrap_or(all);
        let end = (first..all)
            .rfind(|&i| at(i) != b'0')
            .map_or(first, |i| i + 1);
        let kept_end = end.min(first + MAX_DIGITS);
        // The last kept digit's place: digit i has place int_part.len() - 1 - i.
        let exp = exp10 + int_part.len() as i64 - kept_end as i64;
        Decimal {
            int_part,
            frac_part,
            first,
            end: kept_end,
            exp,
            sticky: kept_end < end,
        }
    }

    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.int_part
            .iter()
            .chain(self.frac_part)
            .skip(self.first)
            .take(self.end - self.first)
            .map(|d| d - b'0')
    }

    fn to_f64(&self) -> f64 {
        let n = (self.end - self.first) as i64;
        if n == 0 {
            return 0.0;
        }
        // Decimal exponent of the leading digit: 10^lead <= value < 10^(lead + 1).
        let lead = self.exp + n - 1;
        if lead > 308 {
            return f64::INFINITY;
        }
        if lead < -325 {
            // Below 1e-325, under half the smallest subnormal (4.9e-324): rounds to 0.
            return 0.0;
        }
        let exp = self.exp as i32;
        if n <= 19 && !self.sticky {
            let w = self.digits().fold(0u64, |w, d| w * 10 + d as u64);
            if let Some(v) = clinger(w, exp) {
                return v;
            }
        }
        self.exact(exp)
    }

    /// Correct rounding by comparing the exact value with the midpoints next to a guess.
    fn exact(&self, exp: i32) -> f64 {
        // The guess: 19 leading digits in floating point, within a few units in the last place.
        let head = self.digits().take(19).fold(0u64, |w, d| w * 10 + d as u64);
        let head_len = (self.end - self.first).min(19) as i32;
        let head_exp = exp + (self.end - self.first) as i32 - head_len;
        let mut z = pow10_times(head as f64, head_exp);
        if !z.is_finite() {
            z = f64::MAX;
        }
        // value = D · 10^exp: as D · 5^exp · 2^exp, the power of five on the other side when
        // exp < 0 (so both sides stay integers).
        let mut d = Big::from_u64(0);
        for digit in self.digits() {
            d.mul_add(10, digit as u64);
        }
        let mut five = Big::from_u64(1);
        if exp >= 0 {
            d.mul_pow5(exp as u32);
        } else {
            five.mul_pow5(exp.unsigned_abs());
        }
        // Sign of value - mid(z, next(z)), with the cut digits counted as "a bit more".
        let above_mid = |z: f64| -> Ordering {
            let (m, e) = decompose_any(z);
            let mut h = five.clone();
            h.mul_add(2 * m + 1, 0);
            match cmp_scaled(&d, exp, &h, e - 1) {
                Ordering::Equal if self.sticky => Ordering::Greater,
                o => o,
            }
        };
        for _ in 0..64 {
            match above_mid(z) {
                Ordering::Greater => {
                    if z == f64::MAX {
                        return f64::INFINITY;
                    }
                    z = next_up(z);
                    continue;
                }
                Ordering::Equal if decompose_any(z).0 % 2 == 1 => {
                    return if z == f64::MAX {
                        f64::INFINITY
                    } else {
                        next_up(z)
                    };
                }
                _ => {}
            }
            if z == 0.0 {
                return z;
            }
            let below = next_down(z);
            match above_mid(below) {
                Ordering::Less => z = below,
                Ordering::Equal if decompose_any(z).0 % 2 == 1 => return below,
                _ => return z,
            }
        }
        z
    }
}

/// Clinger's fast path: `w` and the power of ten are both exact doubles, so one rounding.
fn clinger(w: u64, exp: i32) -> Option<f64> {
    const EXACT: u64 = 1 << 53;
    if w > EXACT {
        return None;
    }
    match exp {
        0..=22 => Some(w as f64 * POW10_F64[exp as usize]),
        -22..=-1 => Some(w as f64 / POW10_F64[-exp as usize]),
        // w · 10^(exp - 22) is still an exact integer: one rounding, in the product.
        23..=37 => {
            let w = w
                .checked_mul(POW10[(exp - 22) as usize])
                .filter(|&w| w <= EXACT)?;
            Some(w as f64 * 1e22)
        }
        _ => None,
    }
}

/// `x · 10^exp` in floating point, a guess within a few units in the last place.
fn pow10_times(mut x: f64, mut exp: i32) -> f64 {
    while exp > 0 {
        let step = exp.min(22);
        x *= POW10_F64[step as usize];
        exp -= step;
    }
    while exp < 0 {
        let step = (-exp).min(22);
        x /= POW10_F64[step as usize];
        exp += step;
    }
    x
}

/// 10^0..10^22, all exact doubles.
const POW10_F64: [f64; 23] = {
    let mut t = [1.0f64; 23];
    let mut i = 1;
    while i < 23 {
        t[i] = t[i - 1] * 10.0;
        i += 1;
    }
    t
};

/// `decompose` that also takes 0 (as `0 · 2^-1074`).
fn decompose_any(z: f64) -> (u64, i32) {
    if z == 0.0 {
        (0, -1074)
    } else {
        decompose(z)
    }
}

fn next_up(z: f64) -> f64 {
    f64::from_bits(z.to_bits() + 1)
}

fn next_down(z: f64) -> f64 {
    f64::from_bits(z.to_bits() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// core's exact formatting as the reference (test-only: it is what this module replaces).
    fn reference(x: f64, precision: u32) -> (u64, i32) {
        let s = format!("{:.*e}", precision as usize - 1, x);
        let (mantissa, exp) = s.split_once('e').unwrap();
        (
            mantissa.replace('.', "").parse().unwrap(),
            exp.parse().unwrap(),
        )
    }

    #[test]
    fn rounds_like_core_on_edges() {
        let edges = [
            5e-324,
            2.2250738585072014e-308,
            2.225_073_858_507_201e-308,
            1.7976931348623157e308,
            0.1,
            0.5,
            1.0,
            9.5,
            12345678901234.5,
            12345678901235.5,
            100000000000005.0,
            999999999999995.0,
            99999999999999.99,
            1e15,
            1e-5,
            2f64.powi(63),
            2f64.powi(-1022),
            1e22,
            1e23,
            1e-9,
            1e-10,
            3.4e38,
            3.5e38,
        ];
        for x in edges {
            for p in 1..=17 {
                assert_eq!(round_to_digits(x, p), reference(x, p), "{x:e} at {p}");
            }
        }
    }

    #[test]
    fn the_big_path_agrees_with_the_u128_path() {
        // Every (m, e, j) the u128 path takes must give the same answer on big integers.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state >> 2);
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            let (m, e) = decompose(x);
            for j in [-40, -20, -5, 0, 3, 15, 27, 40] {
                if let Some(fast) = scaled_u128(m, e, j) {
                    assert_eq!(Some(fast), scaled_big(m, e, j), "{x:e} j={j}");
                }
            }
        }
    }

    #[test]
    fn parses_like_core_on_edges() {
        for text in [
            "0",
            "-0",
            "0.0",
            "1",
            "1.0",
            "1e2",
            "1E-2",
            "2.5e-5",
            "500.52",
            "0.1",
            "1e400",
            "-1e400",
            "1e-400",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "9007199254740993",
            "9223372036854775808",
            "18446744073709551616",
            "0.30000000000000004",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "1234567890123456789012345678901234567890",
            "0.000000000000000000000000000000000001",
            "1.0000000000000000000000000001",
            "123456789012345678e-30",
            "7e22",
            "9e37",
            "1e23",
            ".5",
            "2.",
            "+2",
            "02",
            "8.98846567431158e307",
            "179769313486231580793728971405301e276",
        ] {
            let want: f64 = text.parse().unwrap();
            let got = parse(text.as_bytes()).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{text}");
        }
    }

    #[test]
    fn digit_strings() {
        let mut n = 1u64;
        for v in [0, 1, 9, 10, 99, 100, 101, 999, 1000, 1005, u64::MAX] {
            assert_eq!(digit_string(v, &mut [0; 20]), v.to_string().as_bytes());
        }
        while n < u64::MAX / 3 {
            for v in [n - 1, n, n + 1] {
                assert_eq!(digit_string(v, &mut [0; 20]), v.to_string().as_bytes());
            }
            n = n * 3 + 1;
        }
    }

    #[test]
    fn rejects_what_is_not_a_decimal_literal() {
        for text in [
            "", ".", "-", "+", "e5", "1e", "1e+", "1e-", "--1", "1.2.3", "0x1A", "inf", "NaN",
            " 1", "1 ", "1_0", "١",
        ] {
            assert_eq!(parse(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn long_literals_keep_their_last_digit() {
        // The exact midpoint between two doubles, then a nonzero digit 1000 places later.
        let mid = "9007199254740993";
        assert_eq!(parse(mid.as_bytes()), Some(9007199254740992.0));
        let above = format!("{mid}.{}1", "0".repeat(1000));
        assert_eq!(parse(above.as_bytes()), Some(9007199254740994.0));
        let below = format!("0.{}1e-330", "0".repeat(900));
        assert_eq!(parse(below.as_bytes()), Some(0.0));
        let many = format!("{}e-800", "9".repeat(1200));
        assert_eq!(
            parse(many.as_bytes()).map(f64::to_bits),
            many.parse::<f64>().ok().map(f64::to_bits)
        );
    }

    fn literal() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["", "-", "+"]),
            "[0-9]{0,25}",
            prop::option::of("[0-9]{0,25}"),
            prop::option::of(-350i32..350),
        )
            .prop_filter_map("a digit", |(sign, int, frac, exp)| {
                if int.is_empty() && frac.as_deref().unwrap_or("").is_empty() {
                    return None;
                }
                let mut s = format!("{sign}{int}");
                if let Some(f) = frac {
                    s.push('.');
                    s.push_str(&f);
                }
                if let Some(e) = exp {
                    s.push_str(&format!("e{e}"));
                }
                Some(s)
            })
    }

    fn rust_forms(x: f64) -> (String, String) {
        let (mut display, mut debug) = (String::new(), String::new());
        push_display(x, &mut display);
        push_debug(x, &mut debug);
        (display, debug)
    }

    #[test]
    fn prints_like_core_display_and_debug_on_edges() {
        for x in [
            0.0,
            -0.0,
            1.0,
            2.0,
            -2.5,
            0.1,
            0.30000000000000004,
            1e-4,
            9.9e-5,
            1e15,
            1e16,
            1e21,
            1e22,
            1e23,
            5e-324,
            1.7976931348623157e308,
            2f64.powi(-1022),
            2f64.powi(60),
            2f64.powi(-60),
            2f64.powi(1023),
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            123456.789,
        ] {
            assert_eq!(rust_forms(x), (format!("{x}"), format!("{x:?}")), "{x:e}");
        }
        // Every power of two: the lopsided intervals.
        for e in -1074..=1023 {
            let x = 2f64.powi(e);
            assert_eq!(rust_forms(x), (format!("{x}"), format!("{x:?}")), "2^{e}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn prints_every_double_like_core(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(rust_forms(x), (format!("{x}"), format!("{x:?}")));
        }

        #[test]
        fn reads_numeric_strings_like_core(text in "[-+0-9.eE]{1,12}") {
            let core = text.parse::<f64>().ok().filter(|f| f.is_finite());
            prop_assert_eq!(parse(text.as_bytes()).filter(|f| f.is_finite()).map(f64::to_bits), core.map(f64::to_bits));
        }

        #[test]
        fn formats_every_double_like_core(bits in any::<u64>(), p in 1u32..=17) {
            let x = f64::from_bits(bits).abs();
            prop_assume!(x.is_finite() && x > 0.0);
            prop_assert_eq!(round_to_digits(x, p), reference(x, p));
        }

        #[test]
        fn parses_every_literal_like_core(text in literal()) {
            let want = text.parse::<f64>().map(f64::to_bits).ok();
            prop_assert_eq!(parse(text.as_bytes()).map(f64::to_bits), want);
        }

        #[test]
        fn reads_back_every_double(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assume!(x.is_finite());
            for text in [format!("{x:e}"), format!("{x:?}"), format!("{x:.20e}"), format!("{x:.3e}")] {
                prop_assert_eq!(parse(text.as_bytes()).map(f64::to_bits), text.parse::<f64>().ok().map(f64::to_bits), "{}", text);
            }
        }
    }
}
