//! Decimal text to the nearest `f64`, rounded as Go's `strconv.ParseFloat` and Rust's
//! `str::parse` round it (to nearest, ties to even), with no tables (below the layers, like
//! [`crate::stable_sort`]).
//!
//! Why not one of those parsers: `str::parse::<f64>` links core's Eisel-Lemire parser and its
//! 10 KB table of 128-bit powers of five, and serde_json's correctly rounded parser (its
//! `float_roundtrip` feature) carries tables of its own; gzip shrinks neither, and together they
//! were about 20 KB of the gzipped page. serde_json's default parser is small but can land one
//! ulp away on a number of 16 or more digits. So every float the program reads goes through
//! [`parse`]: the form's fields directly, and scenario files, links and traces through
//! [`crate::sim::json_f64`].
//!
//! How: a short number with a small exponent (at most 15 digits, |exponent| ≤ 22) is one exact
//! integer times or over an exact power of ten, so one IEEE rounding gives the answer. Anything
//! else is scaled by powers of two in decimal (`Digits`: the digits kept exactly, up to 800,
//! which covers every halfway point between two doubles), then rounded once. This is the
//! algorithm Go falls back to (`strconv/decimal.go`), written here from its description; the
//! tests hold it to `str::parse` on sweeps of hard cases.

/// Significant digits kept. Past them only whether any was non-zero matters, and that is kept
/// (`Digits::truncated`): the exact decimal of a point halfway between two doubles has at most
/// 767 significant digits, so a tie is always seen as one.
const MAX_DIGITS: usize = 800;

/// The largest shift applied at once: 9 · 2⁶⁰ plus a carry still fits in a `u64`.
const MAX_SHIFT: u32 = 60;

/// The value 0.d₀d₁d₂… × 10^`point`, in decimal digits.
struct Digits {
    /// Digit values, most significant first; no leading zeros, trailing zeros trimmed.
    digits: Vec<u8>,
    /// Where the decimal point sits, counted in digits from the first.
    point: i32,
    /// A non-zero digit beyond `MAX_DIGITS` was dropped: the value is a little larger.
    truncated: bool,
}

/// A number as people type it, what `str::parse::<f64>` reads for finite numbers: an optional
/// sign, digits with an optional point (`5`, `0.5`, `.5`, `5.`), an optional exponent (`1e3`,
/// `2.5E-2`). `None` for anything else, including `inf` and `NaN` (no field takes them) and a
/// magnitude beyond `f64` (which `str::parse` would make infinite). A JSON number is one of
/// these.
pub fn parse(text: &str) -> Option<f64> {
    let (negative, rest) = split_sign(text)?;
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let exponent = match exponent {
        None => 0,
        Some(e) => exponent_of(e)?,
    };
    let magnitude = Digits::read(int, frac, exponent).into_f64();
    if magnitude.is_infinite() {
        return None;
    }
    Some(if negative { -magnitude } else { magnitude })
}

/// An exponent's digits with an optional sign, clamped far beyond any `f64` (the digits of a
/// huge exponent cannot overflow the count).
fn exponent_of(text: &str) -> Option<i32> {
    let (negative, digits) = split_sign(text)?;
    if digits.is_empty() || !all_digits(digits) {
        return None;
    }
    let magnitude = digits
        .bytes()
        .fold(0i32, |e, b| (e * 10 + i32::from(b - b'0')).min(1_000_000));
    Some(if negative { -magnitude } else { magnitude })
}

/// Whether `text` starts with `-`, and the text after an optional `-` or `+` (`None` if empty).
fn split_sign(text: &str) -> Option<(bool, &str)> {
    Some(match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    })
}

/// Whether every byte is an ASCII digit (true for "").
fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

impl Digits {
    /// The digits of `int`.`frac` × 10^`exponent` (both strings of ASCII digits).
    fn read(int: &str, frac: &str, exponent: i32) -> Digits {
        let mut d = Digits {
            digits: Vec::new(),
            point: 0,
            truncated: false,
        };
        for b in int.bytes() {
            if d.digits.is_empty() && b == b'0' {
                continue;
            }
            d.push(b - b'0');
            d.point += 1;
        }
        for b in frac.bytes() {
            if d.digits.is_empty() && b == b'0' {
                d.point -= 1;
                continue;
            }
            d.push(b - b'0');
        }
        d.trim();
        d.point = d.point.saturating_add(exponent);
        d
    }

    /// Appends a digit, or notes it as dropped past `MAX_DIGITS`.
    fn push(&mut self, digit: u8) {
        if self.digits.len() < MAX_DIGITS {
            self.digits.push(digit);
        } else if digit != 0 {
            self.truncated = true;
        }
    }

    /// Drops trailing zeros (they change nothing, and a tie is found by the last digit).
    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    /// The nearest `f64` (non-negative; infinite past `f64::MAX`).
    fn into_f64(mut self) -> f64 {
        if self.digits.is_empty() {
            return 0.0;
        }
        if let Some(exact) = self.short() {
            return exact;
        }
        if self.point > 310 {
            return f64::INFINITY;
        }
        if self.point < -330 {
            return 0.0;
        }
        // Scale into [0.5, 1) by powers of two, counting them in `exponent`. POWERS[n] is the
        // largest shift that keeps a number of n integer digits at or above 1 (⌊n·log₂10⌋).
        const POWERS: [u32; 9] = [1, 3, 6, 9, 13, 16, 19, 23, 26];
        let step = |digits: i32| POWERS.get(digits as usize).copied().unwrap_or(27);
        let mut exponent: i32 = 0;
        while self.point > 0 {
            let n = step(self.point);
            self.shift_right(n);
            exponent += n as i32;
        }
        while self.point < 0 || (self.point == 0 && self.digits[0] < 5) {
            let n = step(-self.point);
            self.shift_left(n);
            exponent -= n as i32;
        }
        // From [0.5, 1) to a double's [1, 2).
        exponent -= 1;
        const BIAS: i32 = -1023;
        const MANTISSA_BITS: u32 = 52;
        if exponent < BIAS + 1 {
            // Below the normal range: a subnormal, with fewer significant bits.
            let n = BIAS + 1 - exponent;
            self.shift(-n);
            exponent += n;
        }
        if exponent - BIAS >= 0x7ff {
            return f64::INFINITY;
        }
        self.shift(MANTISSA_BITS as i32 + 1);
        let mut mantissa = self.rounded_integer();
        if mantissa == 2 << MANTISSA_BITS {
            // Rounding carried into a new bit.
            mantissa >>= 1;
            exponent += 1;
            if exponent - BIAS >= 0x7ff {
                return f64::INFINITY;
            }
        }
        if mantissa & (1 << MANTISSA_BITS) == 0 {
            exponent = BIAS;
        }
        let biased = ((exponent - BIAS) as u64 & 0x7ff) << MANTISSA_BITS;
        f64::from_bits(biased | (mantissa & ((1 << MANTISSA_BITS) - 1)))
    }

    /// At most 15 digits and a power of ten within 10²²: both are exact doubles, so one
    /// multiplication or division rounds once, correctly.
    fn short(&self) -> Option<f64> {
        if self.truncated || self.digits.len() > 15 {
            return None;
        }
        let power = self.point - self.digits.len() as i32;
        if !(-22..=22).contains(&power) {
            return None;
        }
        let integer = self.digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d)) as f64;
        let ten_to = (0..power.unsigned_abs()).fold(1.0f64, |p, _| p * 10.0);
        Some(if power < 0 {
            integer / ten_to
        } else {
            integer * ten_to
        })
    }

    /// Multiplies by 2^`bits` (divides for a negative count), in steps of at most `MAX_SHIFT`.
    fn shift(&mut self, bits: i32) {
        let mut left = bits.unsigned_abs();
        while left > 0 {
            let n = left.min(MAX_SHIFT);
            if bits > 0 {
                self.shift_left(n);
            } else {
                self.shift_right(n);
            }
            left -= n;
        }
    }

    /// Multiplies by 2^`bits` (at most `MAX_SHIFT`), from the last digit up.
    fn shift_left(&mut self, bits: u32) {
        let mut reversed = Vec::with_capacity(self.digits.len() + 19);
        let mut carry: u64 = 0;
        for &d in self.digits.iter().rev() {
            carry += u64::from(d) << bits;
            reversed.push((carry % 10) as u8);
            carry /= 10;
        }
        while carry > 0 {
            reversed.push((carry % 10) as u8);
            carry /= 10;
        }
        self.point += (reversed.len() - self.digits.len()) as i32;
        self.digits.clear();
        for &d in reversed.iter().rev() {
            self.push(d);
        }
        self.trim();
    }

    /// Divides by 2^`bits` (at most `MAX_SHIFT`): long division from the first digit.
    fn shift_right(&mut self, bits: u32) {
        let mask = (1u64 << bits) - 1;
        let mut read = 0;
        let mut n: u64 = 0;
        // Take digits until the dividend reaches the divisor (past the last digit, zeros).
        while n >> bits == 0 {
            n = n * 10 + u64::from(self.digits.get(read).copied().unwrap_or(0));
            read += 1;
        }
        self.point -= read as i32 - 1;
        let mut write = 0;
        // One digit out for each digit in: `write` stays behind `read`.
        while let Some(&d) = self.digits.get(read) {
            self.digits[write] = (n >> bits) as u8;
            write += 1;
            n = (n & mask) * 10 + u64::from(d);
            read += 1;
        }
        self.digits.truncate(write);
        // The remainder's digits.
        while n > 0 {
            self.push((n >> bits) as u8);
            n = (n & mask) * 10;
        }
        self.trim();
    }

    /// The integer part, rounded to nearest, ties to even (a truncated tail breaks a tie
    /// upwards). Called with at most 54 bits of integer part.
    fn rounded_integer(&self) -> u64 {
        let whole = self.point.max(0) as usize;
        let mut n = (0..whole).fold(0u64, |n, i| {
            n * 10 + u64::from(self.digits.get(i).copied().unwrap_or(0))
        });
        if self.rounds_up(whole) {
            n += 1;
        }
        n
    }

    /// Whether the digits from `at` on are more than half a unit of the digit before them.
    fn rounds_up(&self, at: usize) -> bool {
        if self.point < 0 {
            return false;
        }
        match self.digits.get(at) {
            None => false,
            Some(5) if at + 1 == self.digits.len() => {
                self.truncated || (at > 0 && self.digits[at - 1] % 2 == 1)
            }
            Some(&d) => d >= 5,
        }
    }
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
        let mut next = sequence(0x2545_F491_4F6C_DD1D);
        assert_agrees((0..50_000).map(|_| {
            let r = next();
            let digits = 1 + (r >> 60) as usize; // 1..=16 significant digits
            let mantissa = (r >> 8) % 10u64.pow(digits as u32);
            let point = ((r >> 4) & 0xf) as usize % (digits + 1);
            let text = format!("{mantissa:0digits$}");
            let text = format!("{}.{}", &text[..digits - point], &text[digits - point..]);
            if (r & 1) == 1 {
                format!("{text}e{}", (r >> 1) % 40)
            } else {
                text
            }
        }));
    }

    /// A 64-bit linear congruential sequence: the same cases on every run.
    fn sequence(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state ^ (state >> 29)
        }
    }

    /// What `str::parse` reads, with an infinite result as `None` (as `parse` says it).
    fn reference(text: &str) -> Option<f64> {
        text.parse::<f64>().ok().filter(|v| v.is_finite())
    }

    /// Runs `parse` against `str::parse` on every text, listing the first few that differ.
    fn assert_agrees(texts: impl IntoIterator<Item = String>) {
        let mut differ = Vec::new();
        let mut count = 0;
        for text in texts {
            count += 1;
            let (ours, theirs) = (parse(&text), reference(&text));
            if ours.map(f64::to_bits) != theirs.map(f64::to_bits) {
                differ.push(format!("{text}: {ours:?} vs {theirs:?}"));
            }
        }
        assert!(count > 0);
        assert!(
            differ.is_empty(),
            "{} of {count} differ, e.g. {:?}",
            differ.len(),
            &differ[..differ.len().min(3)]
        );
    }

    #[test]
    fn long_digits_and_far_exponents_round_as_str_parse_rounds_them() {
        let mut next = sequence(7);
        assert_agrees((0..20_000).map(|_| {
            let r = next();
            let digits = 1 + (r % 40) as usize;
            let mut text: String = (0..digits)
                .map(|i| char::from(b'0' + ((next() >> (i % 7)) % 10) as u8))
                .collect();
            text.insert(1, '.');
            let exponent = (next() % 680) as i64 - 360;
            format!("{text}e{exponent}")
        }));
    }

    #[test]
    fn every_double_written_out_reads_back_as_itself() {
        let mut next = sequence(11);
        let doubles: Vec<f64> = (0..3_000)
            .map(|_| f64::from_bits(next() & !(1 << 63)))
            .filter(|v| v.is_finite())
            .chain([f64::MAX, f64::MIN_POSITIVE, 5e-324, 1.0, 0.1])
            .collect();
        // Shortest, 17 digits, 25 digits, and exact (every digit of the binary value).
        assert_agrees(doubles.iter().flat_map(|v| {
            [
                format!("{v:e}"),
                format!("{v:.16e}"),
                format!("{v:.24e}"),
                format!("{v:.1100e}"),
            ]
        }));
    }

    /// The exact decimal halfway between two adjacent doubles, from their exact expansions.
    fn halfway(low: f64, high: f64) -> String {
        // Both as integers of 1200 digits after the point (`{:.1200}` is exact for doubles).
        let digits = |v: f64| -> Vec<u8> {
            format!("{v:.1200}")
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect()
        };
        let (a, b) = (digits(low), digits(high));
        let width = a.len().max(b.len());
        let pad = |d: Vec<u8>| [vec![0; width - d.len()], d].concat();
        let (a, b) = (pad(a), pad(b));
        let mut sum = vec![0u8; width + 1];
        let mut carry = 0;
        for i in (0..width).rev() {
            let s = a[i] + b[i] + carry;
            sum[i + 1] = s % 10;
            carry = s / 10;
        }
        sum[0] = carry;
        // Halve, digit by digit from the top; the last remainder becomes a final 5.
        let mut half = Vec::with_capacity(sum.len() + 1);
        let mut rest = 0;
        for d in sum {
            let n = rest * 10 + d;
            half.push(n / 2);
            rest = n % 2;
        }
        half.push(rest * 5);
        // `half` holds the value times 10^1201, one more digit than the inputs had.
        let text: String = half.iter().map(|d| char::from(b'0' + d)).collect();
        format!("{text}e-1201")
    }

    #[test]
    fn ties_and_their_neighbours_round_as_str_parse_rounds_them() {
        let mut next = sequence(13);
        let mut texts = Vec::new();
        for i in 0..600 {
            // Small, normal, subnormal and near-overflow doubles, and the first double past 2^53.
            let bits = match i % 4 {
                0 => next() % (1 << 63),
                1 => next() % (1 << 52),
                2 => 0x7fe0_0000_0000_0000 + next() % (1 << 52) - 1,
                _ => (9007199254740992f64).to_bits() + next() % 8,
            };
            let low = f64::from_bits(bits);
            let high = f64::from_bits(bits + 1);
            if !high.is_finite() {
                continue;
            }
            let tie = halfway(low, high);
            let (digits, exponent) = tie.split_once('e').unwrap();
            texts.push(tie.clone());
            // A hair above and below the tie.
            texts.push(format!("{digits}1e{exponent}"));
            let trimmed = digits.trim_end_matches('0');
            let below: String = trimmed[..trimmed.len() - 1].to_owned() + "4999";
            let shift = trimmed.len() as i64 + 3 - digits.len() as i64;
            let exponent: i64 = exponent.parse().unwrap();
            texts.push(format!("{below}e{}", exponent - shift));
        }
        assert_agrees(texts);
    }

    #[test]
    fn the_edges_of_the_range_round_as_str_parse_rounds_them() {
        assert_agrees(
            [
                "2.4703282292062327e-324",
                "2.4703282292062328e-324",
                "4.9406564584124654e-324",
                "2.2250738585072011e-308",
                "2.2250738585072014e-308",
                "1.7976931348623157e308",
                "1.7976931348623158e308",
                "1.7976931348623159e308",
                "179769313486231580793728971405301e276",
                "1e-400",
                "1e400",
                "9007199254740993",
                "9007199254740995",
                "1.00000000000000011102230246251565404236316680908203125",
                "1.00000000000000011102230246251565404236316680908203124",
                "1.00000000000000011102230246251565404236316680908203126",
                "0.000000000000000000000000000000000000000000001e-280",
                "100000000000000000000000",
                "123456789012345678901234567890",
            ]
            .map(String::from),
        );
        // Past the digits kept, only whether a digit is non-zero counts.
        let tie = "1.00000000000000011102230246251565404236316680908203125";
        let long_zeros = format!("{tie}{}", "0".repeat(2000));
        let long_tail = format!("{long_zeros}1");
        assert_agrees([long_zeros, long_tail, format!("0.{}1", "0".repeat(5000))]);
    }

    #[test]
    fn reads_as_go_reads_the_hard_cases() {
        // The bits Go 1.26's strconv.ParseFloat(s, 64) returned for each text (run on
        // 2026-12-07; Python's float() gave the same).
        let tie = "1.00000000000000011102230246251565404236316680908203125";
        let zeros = "0".repeat(2000);
        for (text, go_bits) in [
            ("0.92030920993190389".to_owned(), 0x3fed732c4cdbaf1c),
            ("2.4703282292062327e-324".to_owned(), 0),
            ("2.4703282292062328e-324".to_owned(), 1),
            ("2.2250738585072011e-308".to_owned(), 0xfffffffffffff),
            ("1.7976931348623157e308".to_owned(), 0x7fefffffffffffff),
            ("9007199254740993".to_owned(), 0x4340000000000000),
            (tie.to_owned(), 0x3ff0000000000000),
            (format!("{tie}{zeros}"), 0x3ff0000000000000),
            (format!("{tie}{zeros}1"), 0x3ff0000000000001),
            (
                "123456789012345678901234567890".to_owned(),
                0x45f8ee90ff6c373e,
            ),
            ("7.024007475477615e109".to_owned(), 0x56bde86edecbe4cb),
        ] {
            assert_eq!(
                parse(&text).map(f64::to_bits),
                Some(go_bits),
                "{}",
                &text[..30.min(text.len())]
            );
        }
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
