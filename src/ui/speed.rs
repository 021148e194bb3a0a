//! The speed control's scale: how many virtual seconds pass per wall second, from 0.001× to
//! 10 000× on a log scale, so a 5 ms backoff can be watched slowly and a 1000 s cap in 0.1 s.

use crate::decimal;

/// Slowest speed: a 5 ms delay takes 5 wall seconds.
pub const MIN: f64 = 0.001;
/// Fastest speed: the 1000 s cap passes in a tenth of a wall second.
pub const MAX: f64 = 10_000.0;
/// The slider's detents (powers of ten), also the steps of the slower/faster shortcuts.
pub const DETENTS: [f64; 8] = [0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10_000.0];

/// Keeps a speed inside [`MIN`, `MAX`]; NaN becomes 1× so a bad value can never stop time
/// silently or run it backwards.
pub fn clamp(speed: f64) -> f64 {
    if speed.is_nan() {
        1.0
    } else {
        speed.clamp(MIN, MAX)
    }
}

/// The slider position for a speed: log₁₀, from −3 to 4.
pub fn to_slider(speed: f64) -> f64 {
    clamp(speed).log10()
}

/// The speed for a slider position, snapped to a detent when within 0.05 decades of one.
pub fn from_slider(position: f64) -> f64 {
    let rounded = position.round();
    let position = if (position - rounded).abs() < 0.05 {
        rounded
    } else {
        position
    };
    clamp(10f64.powf(position))
}

/// The next detent above the current speed (the `]` shortcut and the "faster" button).
pub fn faster(speed: f64) -> f64 {
    DETENTS
        .iter()
        .copied()
        .find(|d| *d > speed * 1.0001)
        .unwrap_or(MAX)
}

/// The next detent below the current speed (the `[` shortcut and the "slower" button).
pub fn slower(speed: f64) -> f64 {
    DETENTS
        .iter()
        .rev()
        .copied()
        .find(|d| *d < speed / 1.0001)
        .unwrap_or(MIN)
}

/// A short number for the speed: `1000`, `0.01`, `3.16`.
pub fn number(speed: f64) -> String {
    let s = clamp(speed);
    if s >= 100.0 {
        format!("{s:.0}")
    } else if s >= 1.0 {
        trim(format!("{s:.2}"))
    } else {
        // Three significant digits for slow speeds: 0.001, 0.0316, 0.5.
        let decimals = (-s.log10().floor()) as usize + 2;
        trim(format!("{s:.decimals$}"))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Says which way the control goes ("×1000 faster", "×0.01 (slower)", "real time"), the fix
/// RaftScope needed after people read its slider backwards.
pub fn label(speed: f64) -> String {
    let s = clamp(speed);
    if (s - 1.0).abs() < 1e-9 {
        "×1 (real time)".to_string()
    } else if s > 1.0 {
        format!("×{} faster", number(s))
    } else {
        format!("×{} (slower)", number(s))
    }
}

/// Parses the numeric speed field (`1000`, `0.01`, `1e3`, an optional leading `×` or trailing
/// `x`), refusing anything outside the range with the reason.
pub fn parse(input: &str) -> Result<f64, String> {
    let t = input
        .trim()
        .trim_start_matches('×')
        .trim_end_matches(['x', 'X', '×'])
        .trim();
    let v = decimal::parse(t).ok_or_else(|| format!("“{input}” is not a number"))?;
    if !(MIN..=MAX).contains(&v) {
        return Err(format!("speed must be between {MIN} and {}", number(MAX)));
    }
    Ok(v)
}
