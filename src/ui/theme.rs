//! Light and dark themes: the Okabe-Ito palette adjusted per background so every graphical
//! object keeps at least 3:1 contrast (WCAG 1.4.11), and the person's choice saved locally.
//!
//! The palettes live here, not in the stylesheet, so the contrast test checks the very colours
//! the page paints: [`css_variables`] turns them into CSS custom properties.

use std::fmt::Write as _;

/// Which theme the page shows. `System` follows `prefers-color-scheme`, the default, so a
/// person who never touches the toggle gets what their OS asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the operating system's light/dark preference.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The value stored in `localStorage` and in the `data-theme` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads a stored value back; anything unknown means "follow the system".
    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The toggle's next state: system → light → dark → system.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

/// One theme's colours as `#RRGGBB`. State colours mark an item's state together with a shape
/// and a text label, never alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// Page background.
    pub bg: &'static str,
    /// Panel (card) background; graphics sit on both `bg` and `panel`.
    pub panel: &'static str,
    /// Body text and outlines.
    pub fg: &'static str,
    /// Secondary text.
    pub muted: &'static str,
    /// Focus ring and links.
    pub accent: &'static str,
    /// Waiting in the delaying heap (Okabe-Ito orange).
    pub waiting: &'static str,
    /// Queued in the FIFO (sky blue).
    pub queued: &'static str,
    /// Being processed by a worker (blue).
    pub processing: &'static str,
    /// Done / succeeded (bluish green).
    pub done: &'static str,
    /// Failed (vermillion).
    pub failed: &'static str,
    /// Orphan failures-map entry of a deleted object (reddish purple).
    pub orphan: &'static str,
    /// Informer events and neutral marks (grey).
    pub neutral: &'static str,
    /// Rate limiter / token bucket (yellow).
    pub limiter: &'static str,
}

impl Palette {
    /// Every graphical colour with its CSS variable name, for [`css_variables`] and the tests.
    pub fn graphics(&self) -> [(&'static str, &'static str); 9] {
        [
            ("accent", self.accent),
            ("waiting", self.waiting),
            ("queued", self.queued),
            ("processing", self.processing),
            ("done", self.done),
            ("failed", self.failed),
            ("orphan", self.orphan),
            ("neutral", self.neutral),
            ("limiter", self.limiter),
        ]
    }

    /// Surfaces and text, with their CSS variable names.
    pub fn surfaces(&self) -> [(&'static str, &'static str); 4] {
        [
            ("bg", self.bg),
            ("panel", self.panel),
            ("fg", self.fg),
            ("muted", self.muted),
        ]
    }
}

/// Okabe-Ito darkened just enough to reach 3:1 on white and on the light panel grey.
pub const LIGHT: Palette = Palette {
    bg: "#FFFFFF",
    panel: "#F3F4F6",
    fg: "#16181D",
    muted: "#4B5060",
    accent: "#0072B2",
    waiting: "#B37C00",
    queued: "#3F87B0",
    processing: "#0072B2",
    done: "#00966C",
    failed: "#D55E00",
    orphan: "#B26694",
    neutral: "#7F7F7F",
    limiter: "#8A8326",
};

/// Okabe-Ito as published (it is already light enough on a dark page), blue lightened.
pub const DARK: Palette = Palette {
    bg: "#111418",
    panel: "#1C2128",
    fg: "#E8EAED",
    muted: "#A9B0BC",
    accent: "#56B4E9",
    waiting: "#E69F00",
    queued: "#56B4E9",
    processing: "#4C9AD0",
    done: "#009E73",
    failed: "#E0681A",
    orphan: "#CC79A7",
    neutral: "#999999",
    limiter: "#F0E442",
};

/// WCAG 2.1 relative luminance of a `#RRGGBB` colour; `None` if the string is not one.
pub fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?;
        let c = f64::from(v) / 255.0;
        Some(if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// WCAG 2.1 contrast ratio between two `#RRGGBB` colours (1.0 … 21.0); `None` on a bad colour.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

fn declarations(p: &Palette, out: &mut String) {
    for (name, value) in p.surfaces().iter().chain(p.graphics().iter()) {
        let _ = write!(out, "--{name}:{value};");
    }
}

/// The stylesheet rules that set each theme's colours: light by default, dark when the system
/// asks for it and the person has not chosen light, and the explicit choices via `data-theme`.
pub fn css_variables() -> String {
    let mut css = String::from(":root{color-scheme:light;");
    declarations(&LIGHT, &mut css);
    css.push_str(
        "}@media (prefers-color-scheme: dark){:root:not([data-theme=light]){color-scheme:dark;",
    );
    declarations(&DARK, &mut css);
    css.push_str("}}:root[data-theme=dark]{color-scheme:dark;");
    declarations(&DARK, &mut css);
    css.push('}');
    css
}

const STORAGE_KEY: &str = "wqp.theme";

/// The theme saved by the toggle, or `System` when nothing (or no storage) is available.
pub fn load() -> Theme {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|v| Theme::parse(&v))
        .unwrap_or_default()
}

/// Saves the choice and applies it to `<html data-theme>`; storage failures (private mode,
/// quota) are ignored because the theme still applies for this visit.
pub fn apply_and_save(theme: Theme) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if let Some(storage) = window.local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, theme.as_str());
    }
}

/// Whether the system asks for reduced motion (`prefers-reduced-motion: reduce`).
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}
