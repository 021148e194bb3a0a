//! Embed links: any share link plus the `embed` flag (`#embed&v=1&s=seed-oom`) opens the
//! compact layout meant for an `<iframe>` in a blog post, a course or the docs.
//!
//! The flag is a parameter of the fragment the share decoder ignores, so an embed link is
//! still a share link: dropping the flag gives the same run in the full playground, and a
//! malformed embed link fails exactly as the share link would. Pure text functions, tested
//! natively; the UI reads and writes the URL.

use crate::sim::share::SHARE_VERSION;

/// The fragment parameter that asks for the compact layout.
pub const EMBED_FLAG: &str = "embed";

/// Whether `fragment` (with or without its '#') asks for the compact layout.
pub fn is_embed(fragment: &str) -> bool {
    params(fragment).any(is_flag)
}

/// `fragment` without the embed flag and without a leading '#': the link of the same run in
/// the full playground.
pub fn without_embed(fragment: &str) -> String {
    params(fragment)
        .filter(|p| !is_flag(p))
        .collect::<Vec<_>>()
        .join("&")
}

/// The share link an embed link carries (flag dropped), for the share decoder. Embed links
/// are often written by hand (`#embed&s=seed-oom`), so one without a format version (`v=`)
/// is read as the current format; everything else is checked exactly as a share link is.
pub fn embedded_share(fragment: &str) -> String {
    let rest = without_embed(fragment);
    let versioned = params(&rest).any(|p| p.split_once('=').map_or(p, |(k, _)| k) == "v");
    if rest.is_empty() || versioned {
        rest
    } else {
        format!("v={SHARE_VERSION}&{rest}")
    }
}

/// `fragment` with the embed flag first (once), without a leading '#'.
pub fn with_embed(fragment: &str) -> String {
    let rest = without_embed(fragment);
    if rest.is_empty() {
        EMBED_FLAG.to_string()
    } else {
        format!("{EMBED_FLAG}&{rest}")
    }
}

/// The HTML snippet that embeds `src` in a page: an `<iframe>` with a `title` (screen
/// readers announce a frame by it), lazy loading and a height that fits the compact layout.
/// Both values are escaped for an HTML attribute, so any link and title are safe to paste.
pub fn iframe_snippet(src: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"640\" loading=\"lazy\" \
         style=\"border: 1px solid #8888; border-radius: 8px\"></iframe>",
        escape_attr(src),
        escape_attr(title)
    )
}

fn params(fragment: &str) -> impl Iterator<Item = &str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment.split('&').filter(|p| !p.is_empty())
}

/// The flag, written as `embed` or `embed=` / `embed=1` by hand.
fn is_flag(param: &str) -> bool {
    param.split_once('=').map_or(param, |(k, _)| k) == EMBED_FLAG
}

fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decode_share;

    #[test]
    fn the_flag_is_found_anywhere_and_only_as_a_whole_parameter() {
        assert!(is_embed("#embed&v=1&s=manual"));
        assert!(is_embed("v=1&s=manual&embed"));
        assert!(is_embed("embed=1"));
        assert!(!is_embed("v=1&s=embedded"));
        assert!(!is_embed(""));
    }

    #[test]
    fn dropping_the_flag_gives_the_share_link_back() {
        assert_eq!(
            without_embed("#embed&v=1&s=manual&seed=7"),
            "v=1&s=manual&seed=7"
        );
        assert_eq!(without_embed("embed"), "");
        assert_eq!(with_embed("v=1&s=manual"), "embed&v=1&s=manual");
        assert_eq!(with_embed("embed&v=1"), "embed&v=1");
        assert_eq!(with_embed(""), "embed");
    }

    #[test]
    fn an_embed_link_decodes_as_the_same_run() {
        let plain = decode_share("v=1&s=manual&seed=7");
        assert!(plain.is_ok());
        assert_eq!(decode_share(&with_embed("v=1&s=manual&seed=7")), plain);
    }

    #[test]
    fn a_hand_written_embed_link_may_leave_out_the_version() {
        assert_eq!(embedded_share("#embed&s=seed-oom"), "v=1&s=seed-oom");
        assert_eq!(embedded_share("embed&v=1&s=manual"), "v=1&s=manual");
        assert_eq!(embedded_share("embed"), "");
        assert_eq!(
            decode_share(&embedded_share("embed&s=manual&seed=7")),
            decode_share("v=1&s=manual&seed=7")
        );
        // Anything else is still refused as the share link would be.
        assert!(decode_share(&embedded_share("embed&v=9&s=manual")).is_err());
        assert!(decode_share(&embedded_share("embed&s=no-such-preset")).is_err());
    }

    #[test]
    fn the_snippet_escapes_its_attributes() {
        let s = iframe_snippet(
            "https://x.test/p/#embed&v=1&s=manual",
            "A \"quoted\" <title>",
        );
        assert!(s.starts_with("<iframe src=\"https://x.test/p/#embed&amp;v=1&amp;s=manual\""));
        assert!(s.contains("title=\"A &quot;quoted&quot; &lt;title&gt;\""));
        assert!(s.ends_with("></iframe>"));
    }
}
