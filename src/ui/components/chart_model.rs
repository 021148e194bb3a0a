//! Chart geometry without a DOM: what the SVG charts draw, as plain numbers and strings, so
//! scales, decimation, ticks and summaries are unit-tested natively.
//!
//! x is virtual seconds since t=0; y is the metric. The log-y option is a symmetric log
//! (`sign(v)·log10(1+|v|)`), so zeros and the bucket's negative balance stay drawable.

use std::time::Duration;

use crate::sim::{format_bytes, format_duration};

/// How a chart's values read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Plain counts ("5 214").
    Count,
    /// Bytes ("3.2 MiB").
    Bytes,
    /// Events per virtual second.
    PerSecond,
    /// Token-bucket balance (may be negative).
    Tokens,
    /// Durations in seconds, written as Go prints them ("640ms", "16m40s").
    Seconds,
}

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Legend name, e.g. `len(failures)`.
    pub name: &'static str,
    /// State class that picks its colour (`st-failed`, ...).
    pub class: &'static str,
    /// Dashed, so lines differ by more than colour.
    pub dashed: bool,
    /// (seconds, value), in time order.
    pub points: Vec<(f64, f64)>,
}

/// Everything one chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    /// DOM id suffix and test handle.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// Value format.
    pub unit: Unit,
    /// The lines.
    pub lines: Vec<Line>,
    /// Vertical event marks (seconds, label), e.g. OOM kills.
    pub marks: Vec<(f64, String)>,
    /// A horizontal reference (value, label), e.g. the memory limit.
    pub limit: Option<(f64, String)>,
    /// The chart in one or two sentences, for everyone and for screen readers.
    pub summary: String,
    /// The y axis reaches at least this value, so charts set side by side (the split view)
    /// share one scale and a small line is not drawn as tall as a big one.
    pub min_top: Option<f64>,
}

/// SVG viewBox width.
pub const WIDTH: f64 = 640.0;
/// SVG viewBox height.
pub const HEIGHT: f64 = 190.0;
/// Plot margins: left (y labels), right, top, bottom (x labels).
pub const MARGIN: (f64, f64, f64, f64) = (62.0, 10.0, 10.0, 24.0);
/// Points kept per line: two per bucket (min and max), about one bucket per two pixels.
pub const BUCKETS: usize = 280;

/// The y transform of the log option.
pub fn symlog(v: f64) -> f64 {
    v.signum() * (1.0 + v.abs()).log10()
}

/// Maps data to viewBox coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Time range, seconds.
    pub x0: f64,
    /// End of the time range.
    pub x1: f64,
    /// Value range (already transformed when `log`).
    pub y0: f64,
    /// Top of the value range.
    pub y1: f64,
    /// Log-y.
    pub log: bool,
}

impl Scale {
    /// A scale covering `t_end` seconds and every value of `data` (and its limit), from 0.
    pub fn fit(data: &ChartData, t_end: f64, log: bool) -> Scale {
        let tf = |v: f64| if log { symlog(v) } else { v };
        let mut lo: f64 = 0.0;
        let mut hi: f64 = 0.0;
        for l in &data.lines {
            for &(_, v) in &l.points {
                if v.is_finite() {
                    lo = lo.min(tf(v));
                    hi = hi.max(tf(v));
                }
            }
        }
        if let Some((v, _)) = data.limit {
            hi = hi.max(tf(v));
        }
        if let Some(v) = data.min_top {
            hi = hi.max(tf(v));
        }
        if data.unit == Unit::Bytes && !log {
            // Memory sits on a large base footprint: start the axis just under the lowest
            // running value (0 means the pod was down) so the sawtooth is visible.
            let floor = data
                .lines
                .iter()
                .flat_map(|l| l.points.iter().map(|p| p.1))
                .filter(|v| *v > 0.0)
                .fold(f64::INFINITY, f64::min);
            if floor.is_finite() && floor < hi {
                lo = floor - (hi - floor) * 0.1;
                lo = lo.max(0.0);
            }
        }
        if hi - lo < 1e-9 {
            hi = lo + 1.0;
        }
        Scale {
            x0: 0.0,
            x1: t_end.max(1.0),
            y0: lo,
            y1: hi + (hi - lo) * 0.05,
            log,
        }
    }

    /// Horizontal viewBox coordinate of `t` seconds.
    pub fn x(&self, t: f64) -> f64 {
        let w = WIDTH - MARGIN.0 - MARGIN.1;
        MARGIN.0 + (t - self.x0) / (self.x1 - self.x0) * w
    }

    /// Vertical viewBox coordinate of value `v`.
    pub fn y(&self, v: f64) -> f64 {
        let v = if self.log { symlog(v) } else { v };
        let h = HEIGHT - MARGIN.2 - MARGIN.3;
        let f = ((v - self.y0) / (self.y1 - self.y0)).clamp(0.0, 1.0);
        MARGIN.2 + (1.0 - f) * h
    }

    /// The time at horizontal viewBox coordinate `px`, if it lies on the plot.
    pub fn invert_x(&self, px: f64) -> Option<f64> {
        let w = WIDTH - MARGIN.0 - MARGIN.1;
        let f = (px - MARGIN.0) / w;
        (-0.01..=1.01)
            .contains(&f)
            .then(|| (self.x0 + f.clamp(0.0, 1.0) * (self.x1 - self.x0)).max(0.0))
    }
}

/// At most `2 × buckets` points keeping each time bucket's minimum and maximum in their
/// order, so spikes (an OOM peak) survive decimation; the last point is always kept.
pub fn decimate(points: &[(f64, f64)], buckets: usize) -> Vec<(f64, f64)> {
    if points.len() <= buckets.saturating_mul(2) || buckets == 0 {
        return points.to_vec();
    }
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let span = (last.0 - first.0).max(f64::MIN_POSITIVE);
    let mut out = Vec::with_capacity(buckets * 2 + 1);
    let mut i = 0;
    for b in 0..buckets {
        let end = first.0 + span * (b + 1) as f64 / buckets as f64;
        let start = i;
        while i < points.len() && (points[i].0 <= end || b + 1 == buckets) {
            i += 1;
        }
        let Some(chunk) = points.get(start..i).filter(|c| !c.is_empty()) else {
            continue;
        };
        let (mut lo, mut hi) = (0, 0);
        for (j, p) in chunk.iter().enumerate() {
            if p.1 < chunk[lo].1 {
                lo = j;
            }
            if p.1 > chunk[hi].1 {
                hi = j;
            }
        }
        let (a, b) = (lo.min(hi), lo.max(hi));
        out.push(chunk[a]);
        if b != a {
            out.push(chunk[b]);
        }
    }
    if out.last() != Some(last) {
        out.push(*last);
    }
    out
}

/// An SVG path ("M x y L x y ...") as a step line: a value holds until the next sample.
pub fn path(points: &[(f64, f64)], s: &Scale) -> String {
    let mut d = String::with_capacity(points.len() * 24);
    let mut buf = [0; TENTHS_LEN];
    let mut prev_y = None;
    for (i, &(t, v)) in points.iter().enumerate() {
        let (x, y) = (s.x(t), s.y(v));
        let mut point = |command: &str, y: f64| {
            d.push_str(command);
            d.push_str(tenths(x, &mut buf));
            d.push(' ');
            d.push_str(tenths(y, &mut buf));
        };
        if i == 0 {
            point("M", y);
        } else {
            if let Some(py) = prev_y {
                point("L", py);
            }
            point("L", y);
        }
        prev_y = Some(y);
    }
    d
}

/// The longest text [`tenths`] writes: a sign, 19 digits, the point and one decimal.
const TENTHS_LEN: usize = 24;

/// `v` to one decimal place, as `{:.1}` writes it (but never `-0.0`), through integer digits
/// into `buf`: a chart redraw writes thousands of coordinates, and `core::fmt` costs several
/// times more per number in wasm. Non-finite values (never produced by [`Scale`]) are 0.
fn tenths(v: f64, buf: &mut [u8; TENTHS_LEN]) -> &str {
    let scaled = if v.is_finite() {
        (v * 10.0).round() as i64
    } else {
        0
    };
    let mut n = scaled.unsigned_abs();
    let mut i = TENTHS_LEN - 2;
    buf[TENTHS_LEN - 1] = b'0' + (n % 10) as u8;
    buf[i] = b'.';
    n /= 10;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if scaled < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0.0")
}

/// A viewBox coordinate written as [`path`] writes its points (one decimal place, through
/// integer digits), for the rest of a chart's markup.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coord(pub f64);

impl std::fmt::Display for Coord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(tenths(self.0, &mut [0; TENTHS_LEN]))
    }
}

/// About `n` round tick values between `lo` and `hi` (linear), or powers of ten (log).
pub fn y_ticks(s: &Scale, n: usize) -> Vec<f64> {
    if s.log {
        let top = 10f64.powf(s.y1) - 1.0;
        let mut out = vec![0.0];
        let mut p = 1.0;
        while p <= top && out.len() < 12 {
            out.push(p);
            p *= 10.0;
        }
        return out;
    }
    nice_ticks(s.y0, s.y1, n)
}

/// Round ticks (1, 2, 5 × 10^k steps) covering `[lo, hi]`.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 || n == 0 {
        return vec![lo];
    }
    let raw = span / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut v = (lo / step).ceil() * step;
    while v <= hi + step * 1e-9 && out.len() < 50 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// Time ticks on round durations (1 s, 10 s, 1 m, 10 m, 1 h ...).
pub fn x_ticks(s: &Scale, n: usize) -> Vec<f64> {
    let raw = (s.x1 - s.x0) / n.max(1) as f64;
    const STEPS: [f64; 16] = [
        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
        7200.0,
    ];
    let step = STEPS
        .iter()
        .copied()
        .find(|st| *st >= raw)
        .unwrap_or_else(|| (raw / 3600.0).ceil() * 3600.0);
    let mut out = Vec::new();
    let mut t = (s.x0 / step).ceil() * step;
    while t <= s.x1 + 1e-9 && out.len() < 50 {
        out.push(t);
        t += step;
    }
    out
}

/// A time axis label in Go's notation ("1m30s").
pub fn time_label(secs: f64) -> String {
    format_duration(Duration::from_secs_f64(secs.max(0.0)))
}

/// A value in the chart's unit.
pub fn value_label(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Bytes => format_bytes(v.max(0.0).round() as u64),
        Unit::PerSecond => {
            if v.abs() >= 100.0 {
                format!("{v:.0}/s")
            } else {
                format!("{v:.1}/s")
            }
        }
        Unit::Tokens => format!("{v:.1}"),
        Unit::Seconds => {
            // Three significant digits are plenty on an axis.
            if v.is_nan() || v <= 0.0 {
                return "0s".to_string();
            }
            let mag = 10f64.powf(v.log10().floor() - 2.0);
            format_duration(Duration::from_secs_f64(((v / mag).round() * mag).min(1e9)))
        }
        Unit::Count => {
            if v.abs() >= 1e6 {
                format!("{:.1}M", v / 1e6)
            } else if v.abs() >= 1e4 {
                format!("{:.0}k", v / 1e3)
            } else {
                format!("{v:.0}")
            }
        }
    }
}

/// The value of `line` in force at time `t` (the last point at or before it).
pub fn value_at(line: &Line, t: f64) -> Option<f64> {
    let i = line.points.partition_point(|p| p.0 <= t);
    i.checked_sub(1)
        .and_then(|i| line.points.get(i))
        .map(|p| p.1)
}

/// Per-second rates from a counter that restarts at 0 when the controller restarts (a drop
/// is a reset: the new value counts from 0, as Prometheus' `rate()` treats it).
pub fn rates(counter: &[(f64, f64)]) -> Vec<(f64, f64)> {
    counter
        .windows(2)
        .filter_map(|w| {
            let [(t0, v0), (t1, v1)] = w else {
                return None;
            };
            let dt = t1 - t0;
            if dt <= 0.0 {
                return None;
            }
            let dv = if v1 >= v0 { v1 - v0 } else { *v1 };
            Some((*t1, dv / dt))
        })
        .collect()
}
