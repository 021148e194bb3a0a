//! base64url without padding (RFC 4648 §5), the encoding of share links' `sc=` and `in=`.
//!
//! Written here rather than taken from the `base64` crate, which cost about 1 KB of the gzipped
//! page for these two functions; the tests hold both directions to that crate. Decoding is
//! strict as the crate's is: symbols of the URL-safe alphabet only, no padding inside, and the
//! unused low bits of the last symbol zero, so every text has one decoding and one encoding.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` as base64url, without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |g, (i, &b)| g | u32::from(b) << (16 - 8 * i));
        // 2, 3 or 4 symbols for 1, 2 or 3 bytes.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(group >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes `text` encodes (without padding), or what is wrong with it.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    if text.len() % 4 == 1 {
        return Err(format!(
            "{} symbols cannot end a group of bytes",
            text.len()
        ));
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for (n, chunk) in text.as_bytes().chunks(4).enumerate() {
        let mut group = 0u32;
        for (i, &symbol) in chunk.iter().enumerate() {
            let Some(value) = ALPHABET.iter().position(|&a| a == symbol) else {
                let offset = n * 4 + i;
                let shown = text[offset..].chars().next().unwrap_or('?');
                return Err(format!(
                    "{shown:?} at offset {offset} is not a base64url symbol"
                ));
            };
            group |= (value as u32) << (18 - 6 * i);
        }
        // 2, 3 or 4 symbols carry 1, 2 or 3 bytes; the bits past them must be zero.
        let bytes = chunk.len() - 1;
        if group & (0xff_ffff >> (8 * bytes)) != 0 {
            return Err(format!(
                "the last symbol, at offset {}, has bits past the data",
                n * 4 + bytes
            ));
        }
        out.extend((0..bytes).map(|i| (group >> (16 - 8 * i)) as u8));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    #[test]
    fn encodes_and_decodes_as_the_base64_crate_does() {
        let mut prng = crate::sim::Prng::new(0x9E37_79B9_7F4A_7C15);
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len).map(|_| (prng.next_u64() >> 56) as u8).collect();
            let text = encode(&bytes);
            assert_eq!(text, URL_SAFE_NO_PAD.encode(&bytes), "{bytes:?}");
            assert_eq!(decode(&text), Ok(bytes));
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn refuses_what_the_base64_crate_refuses() {
        for bad in [
            "A", "AAAAA", "%%%", "QR", "QUJD=", "ab+c", "ab/c", "a b", "é", "AA==AA",
        ] {
            assert!(URL_SAFE_NO_PAD.decode(bad).is_err(), "{bad}");
            assert!(decode(bad).is_err(), "{bad}");
        }
        assert_eq!(
            decode("ab%c"),
            Err("'%' at offset 2 is not a base64url symbol".to_owned())
        );
        assert_eq!(
            decode("QR"),
            Err("the last symbol, at offset 1, has bits past the data".to_owned())
        );
        assert_eq!(decode("QQ"), Ok(b"A".to_vec()));
        assert_eq!(decode(""), Ok(Vec::new()));
    }
}
