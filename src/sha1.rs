//! SHA-1 (FIPS 180-4), the hash the api2 signature uses. The `sha1` crate's portable code
//! emulates 4-lane vectors that compile to slow scalar wasm; these unrolled rounds ran
//! faster in the `.wasm` at `opt-level = "s"`. Not for anything but the
//! gateway's signature, which is SHA-1 by the gateway's choice.

/// The digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 20] {
    let mut state = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        if let Some(block) = block.first_chunk() {
            compress(&mut state, block);
        }
    }
    // The tail, the 0x80 marker, zeros, and the length in bits: one or two more blocks.
    let tail = blocks.remainder();
    let mut last = [0u8; 128];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    // Fixed-size stores throughout: in wasm a slice copy is a `memory.copy`, which V8 runs
    // as a call into C (about 7 ns).
    let bits = ((data.len() as u64) * 8).to_be_bytes();
    let len = if tail.len() < 56 {
        last[56..64].copy_from_slice(&bits);
        64
    } else {
        last[120..128].copy_from_slice(&bits);
        128
    };
    for block in last[..len].chunks_exact(64) {
        if let Some(block) = block.first_chunk() {
            compress(&mut state, block);
        }
    }
    let [a, b, c, d, e] = state.map(u32::to_be_bytes);
    [
        a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], d[0], d[1], d[2],
        d[3], e[0], e[1], e[2], e[3],
    ]
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
    }
}
