//! Numbers as people type them, read without `str::parse::<f64>` (below the layers, like
//! [`crate::stable_sort`]).
//!
//! `str::parse::<f64>` brings core's Eisel-Lemire parser into the wasm, with its 10 KB table of
//! 128-bit powers of five that gzip cannot shrink: 13 KB of the gzipped build, for four form
//! fields. [`parse`] hands the text to serde_json's number parser instead, which the program
//! carries anyway for scenarios and links, so a typed `0.1` is also the very `f64` a scenario's
//! `0.1` is: correctly rounded (serde_json's `float_roundtrip`), as Go's `strconv.ParseFloat`
//! and `str::parse` read it. (Writing floats keeps `core::fmt`: serde's error messages link it
//! in regardless.)

/// A number as people type it, what `str::parse::<f64>` reads for finite numbers: an optional
/// sign, digits with an optional point (`5`, `0.5`, `.5`, `5.`), an optional exponent (`1e3`,
/// `2.5E-2`). `None` for anything else, including `inf` and `NaN` (no field takes them) and a
/// magnitude beyond `f64` (which `str::parse` would make infinite).
pub fn parse(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    // The same number in JSON's grammar: no `+`, no leading zeros, digits on both sides of a
    // point, an exponent with at least one digit.
    let mut json = String::with_capacity(text.len() + 2);
    if negative {
        json.push('-');
    }
    match int.trim_start_matches('0') {
        "" => json.push('0'),
        significant => json.push_str(significant),
    }
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(e) = exponent {
        let unsigned = e.strip_prefix(['+', '-']).unwrap_or(e);
        if unsigned.is_empty() || !digits(unsigned) {
            return None;
        }
        json.push('e');
        json.push_str(e);
    }
    serde_json::from_str(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_what_str_parse_reads_for_typed_numbers() {
        for text in [
            "0",
            "5",
            "-5",
            "+5",
            "0.5",
            ".5",
            "5.",
            "-.5",
            "007",
            "0.1",
            "1e3",
            "1E3",
            "2.5e-2",
            "1e+2",
            "1000",
            "0.01",
            "3.16",
            "123456789.123456789",
            "0.30000000000000004",
        ] {
            assert_eq!(parse(text), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn parse_agrees_with_str_parse_on_a_sweep_of_typed_numbers() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut differ = Vec::new();
        for _ in 0..50_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = 1 + (state >> 60) as usize; // 1..=16 significant digits
            let mantissa = (state >> 8) % 10u64.pow(digits as u32);
            let point = ((state >> 4) & 0xf) as usize % (digits + 1);
            let text = format!("{mantissa:0digits$}");
            let text = format!("{}.{}", &text[..digits - point], &text[digits - point..]);
            let text = if (state & 1) == 1 {
                format!("{text}e{}", (state >> 1) % 40)
            } else {
                text
            };
            if parse(&text) != text.parse::<f64>().ok() {
                differ.push(text);
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ, e.g. {:?}",
            differ.len(),
            &differ[..differ.len().min(5)]
        );
    }

    #[test]
    fn parse_refuses_what_is_not_a_finite_number() {
        for text in [
            "", "-", "+", ".", "e3", "1e", "1e+", "1.2.3", "1,5", "abc", "5x", " 5", "inf", "NaN",
            "infinity", "--5", "1e400", "0x10",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
