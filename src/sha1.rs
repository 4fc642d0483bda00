//! SHA-1 (FIPS 180-4), the hash the api2 signature uses. The `sha1` crate's portable code
//! emulates 4-lane vectors that compile to slow scalar wasm; these unrolled rounds ran
//! faster in the `.wasm` at `opt-level = "s"`. Not for anything but the
//! gateway's signature, which is SHA-1 by the gateway's choice.

/// The digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(data);
    hasher.finish()
}

/// SHA-1 fed piece by piece: a signing string is hashed as it is produced, so it never has
/// to be assembled (and then wiped: it ends with the key) in a buffer of its own.
pub struct Sha1 {
    state: [u32; 5],
    /// The block being filled; whole blocks of a long piece are compressed in place.
    block: [u8; 64],
    fill: usize,
    len: u64,
}

impl Default for Sha1 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha1 {
    pub const fn new() -> Self {
        Sha1 {
            state: [
                0x6745_2301,
                0xEFCD_AB89,
                0x98BA_DCFE,
                0x1032_5476,
                0xC3D2_E1F0,
            ],
            block: [0; 64],
            fill: 0,
            len: 0,
        }
    }

    /// Hashes `data` next.
    pub fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        loop {
            let room = 64 - self.fill;
            if data.len() < room {
                copy_into(&mut self.block, self.fill, data);
                self.fill += data.len();
                return;
            }
            let (now, rest) = data.split_at(room);
            if self.fill == 0 {
                if let Some(block) = now.first_chunk() {
                    compress(&mut self.state, block);
                }
            } else {
                copy_into(&mut self.block, self.fill, now);
                compress(&mut self.state, &self.block);
                self.fill = 0;
            }
            data = rest;
        }
    }

    /// Hashes one byte next (the signing string's `:`).
    pub fn push(&mut self, byte: u8) {
        self.len = self.len.wrapping_add(1);
        if let Some(slot) = self.block.get_mut(self.fill) {
            *slot = byte;
        }
        self.fill += 1;
        if self.fill == 64 {
            compress(&mut self.state, &self.block);
            self.fill = 0;
        }
    }

    /// The digest; the block, which may hold the end of a key, is overwritten.
    pub fn finish(mut self) -> [u8; 20] {
        // The 0x80 marker, zeros, and the length in bits: one or two more blocks.
        let bits = self.len.wrapping_mul(8).to_be_bytes();
        let fill = self.fill;
        if let Some(rest) = self.block.get_mut(fill..) {
            rest.fill(0);
        }
        if let Some(slot) = self.block.get_mut(fill) {
            *slot = 0x80;
        }
        if fill >= 56 {
            compress(&mut self.state, &self.block);
            self.block = [0; 64];
        }
        if let Some(tail) = self.block.last_chunk_mut::<8>() {
            *tail = bits;
        }
        compress(&mut self.state, &self.block);
        self.block = [0; 64];
        // The wipe must happen even though nothing reads the block again.
        std::hint::black_box(&mut self.block);
        let [a, b, c, d, e] = self.state.map(u32::to_be_bytes);
        [
            a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], d[0], d[1],
            d[2], d[3], e[0], e[1], e[2], e[3],
        ]
    }
}

/// `block[at..at + src.len()] = src` (it fits), 8 bytes at a time. The checked stores keep
/// LLVM from turning the loop into `memcpy`, which in wasm is a `memory.copy`: V8 runs it as a
/// call into C, about 7 ns, several times what a piece of a signing string takes this way.
fn copy_into(block: &mut [u8; 64], at: usize, src: &[u8]) {
    let mut to = at;
    let mut words = src.chunks_exact(8);
    for word in &mut words {
        let slot = block.get_mut(to..).and_then(<[u8]>::first_chunk_mut::<8>);
        if let (Some(slot), Some(word)) = (slot, word.first_chunk::<8>()) {
            *slot = *word;
        }
        to += 8;
    }
    for &byte in words.remainder() {
        if let Some(slot) = block.get_mut(to) {
            *slot = byte;
        }
        to += 1;
    }
}

fn compress(state: &mut [u32; 5], block: &[u8; 64]) {
    // Constant indices into a fixed-size block: no bounds checks, no iterator calls.
    let mut w = [0u32; 16];
    for (i, word) in w.iter_mut().enumerate() {
        *word = u32::from_be_bytes([
            block[4 * i],
            block[4 * i + 1],
            block[4 * i + 2],
            block[4 * i + 3],
        ]);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    // Fully unrolled with constant indices, so the schedule and the state live in wasm
    // locals: a rolled loop kept them in memory and ran at half the speed.
    macro_rules! f0 {
        ($b:ident, $c:ident, $d:ident) => {
            ($d ^ ($b & ($c ^ $d))).wrapping_add(0x5A82_7999)
        };
    }
    macro_rules! f1 {
        ($b:ident, $c:ident, $d:ident) => {
            ($b ^ $c ^ $d).wrapping_add(0x6ED9_EBA1)
        };
    }
    macro_rules! f2 {
        ($b:ident, $c:ident, $d:ident) => {
            (($b & $c) | ($d & ($b | $c))).wrapping_add(0x8F1B_BCDC)
        };
    }
    macro_rules! f3 {
        ($b:ident, $c:ident, $d:ident) => {
            ($b ^ $c ^ $d).wrapping_add(0xCA62_C1D6)
        };
    }
    // Round i: the roles of a..e rotate by one each round instead of moving the values.
    macro_rules! round {
        ($f:ident, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $i:expr) => {
            if $i >= 16 {
                w[$i & 15] = (w[($i + 13) & 15] ^ w[($i + 8) & 15] ^ w[($i + 2) & 15] ^ w[$i & 15])
                    .rotate_left(1);
            }
            $e = $e
                .wrapping_add($a.rotate_left(5))
                .wrapping_add($f!($b, $c, $d))
                .wrapping_add(w[$i & 15]);
            $b = $b.rotate_left(30);
        };
    }
    round!(f0, a, b, c, d, e, 0);
    round!(f0, e, a, b, c, d, 1);
    round!(f0, d, e, a, b, c, 2);
    round!(f0, c, d, e, a, b, 3);
    round!(f0, b, c, d, e, a, 4);
    round!(f0, a, b, c, d, e, 5);
    round!(f0, e, a, b, c, d, 6);
    round!(f0, d, e, a, b, c, 7);
    round!(f0, c, d, e, a, b, 8);
    round!(f0, b, c, d, e, a, 9);
    round!(f0, a, b, c, d, e, 10);
    round!(f0, e, a, b, c, d, 11);
    round!(f0, d, e, a, b, c, 12);
    round!(f0, c, d, e, a, b, 13);
    round!(f0, b, c, d, e, a, 14);
    round!(f0, a, b, c, d, e, 15);
    round!(f0, e, a, b, c, d, 16);
    round!(f0, d, e, a, b, c, 17);
    round!(f0, c, d, e, a, b, 18);
    round!(f0, b, c, d, e, a, 19);
    round!(f1, a, b, c, d, e, 20);
    round!(f1, e, a, b, c, d, 21);
    round!(f1, d, e, a, b, c, 22);
    round!(f1, c, d, e, a, b, 23);
    round!(f1, b, c, d, e, a, 24);
    round!(f1, a, b, c, d, e, 25);
    round!(f1, e, a, b, c, d, 26);
    round!(f1, d, e, a, b, c, 27);
    round!(f1, c, d, e, a, b, 28);
    round!(f1, b, c, d, e, a, 29);
    round!(f1, a, b, c, d, e, 30);
    round!(f1, e, a, b, c, d, 31);
    round!(f1, d, e, a, b, c, 32);
    round!(f1, c, d, e, a, b, 33);
    round!(f1, b, c, d, e, a, 34);
    round!(f1, a, b, c, d, e, 35);
    round!(f1, e, a, b, c, d, 36);
    round!(f1, d, e, a, b, c, 37);
    round!(f1, c, d, e, a, b, 38);
    round!(f1, b, c, d, e, a, 39);
    round!(f2, a, b, c, d, e, 40);
    round!(f2, e, a, b, c, d, 41);
    round!(f2, d, e, a, b, c, 42);
    round!(f2, c, d, e, a, b, 43);
    round!(f2, b, c, d, e, a, 44);
    round!(f2, a, b, c, d, e, 45);
    round!(f2, e, a, b, c, d, 46);
    round!(f2, d, e, a, b, c, 47);
    round!(f2, c, d, e, a, b, 48);
    round!(f2, b, c, d, e, a, 49);
    round!(f2, a, b, c, d, e, 50);
    round!(f2, e, a, b, c, d, 51);
    round!(f2, d, e, a, b, c, 52);
    round!(f2, c, d, e, a, b, 53);
    round!(f2, b, c, d, e, a, 54);
    round!(f2, a, b, c, d, e, 55);
    round!(f2, e, a, b, c, d, 56);
    round!(f2, d, e, a, b, c, 57);
    round!(f2, c, d, e, a, b, 58);
    round!(f2, b, c, d, e, a, 59);
    round!(f3, a, b, c, d, e, 60);
    round!(f3, e, a, b, c, d, 61);
    round!(f3, d, e, a, b, c, 62);
    round!(f3, c, d, e, a, b, 63);
    round!(f3, b, c, d, e, a, 64);
    round!(f3, a, b, c, d, e, 65);
    round!(f3, e, a, b, c, d, 66);
    round!(f3, d, e, a, b, c, 67);
    round!(f3, c, d, e, a, b, 68);
    round!(f3, b, c, d, e, a, 69);
    round!(f3, a, b, c, d, e, 70);
    round!(f3, e, a, b, c, d, 71);
    round!(f3, d, e, a, b, c, 72);
    round!(f3, c, d, e, a, b, 73);
    round!(f3, b, c, d, e, a, 74);
    round!(f3, a, b, c, d, e, 75);
    round!(f3, e, a, b, c, d, 76);
    round!(f3, d, e, a, b, c, 77);
    round!(f3, c, d, e, a, b, 78);
    round!(f3, b, c, d, e, a, 79);
    for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sha1::Digest;

    fn hex(d: [u8; 20]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn fips_vectors() {
        assert_eq!(hex(digest(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(digest(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(digest(&vec![b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    proptest! {
        /// Every length around the block and padding edges, against the `sha1` crate.
        #[test]
        fn agrees_with_the_sha1_crate(data in prop::collection::vec(any::<u8>(), 0..300)) {
            let want: [u8; 20] = sha1::Sha1::digest(&data).into();
            prop_assert_eq!(digest(&data), want);
        }

        /// The same bytes fed in arbitrary pieces and single bytes give the same digest.
        #[test]
        fn pieces_hash_as_one(data in prop::collection::vec(any::<u8>(), 0..400), cuts in prop::collection::vec(0usize..80, 0..20)) {
            let mut hasher = Sha1::new();
            let mut rest = &data[..];
            for (i, cut) in cuts.iter().enumerate() {
                let (piece, tail) = rest.split_at((*cut).min(rest.len()));
                if i % 3 == 2 {
                    piece.iter().for_each(|&b| hasher.push(b));
                } else {
                    hasher.update(piece);
                }
                rest = tail;
            }
            hasher.update(rest);
            prop_assert_eq!(hasher.finish(), digest(&data));
        }
    }
}
