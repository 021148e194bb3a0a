//! What the page starts from: a link in the URL wins over the autosave; a bare embed link
//! starts from the defaults (never the reader's own autosave); a malformed or newer link or
//! saved session is refused with a message naming why, and the page keeps its defaults.
//!
//! The share bar reads the two texts (the URL fragment, the local-storage entry) once at
//! mount; this decision is pure, and the app state acts on it ([`Action::Startup`](crate::ui::state::Action::Startup)).

use crate::sim::embed::embedded_share;
use crate::sim::{decode_share, ShareState};

/// The texts the page may start from, as read at mount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartupSources {
    /// Whether the page was opened from an embed link.
    pub embed: bool,
    /// The URL fragment, without its '#'.
    pub fragment: String,
    /// The autosaved session, if any (never read for an embed).
    pub saved: Option<String>,
}

/// What to do at startup.
#[derive(Clone, Debug, PartialEq)]
pub enum Startup {
    /// Keep the defaults.
    Nothing,
    /// Rebuild this run.
    Restore(Box<ShareState>),
    /// Keep the defaults and say why the link or the saved session was refused.
    Refused(String),
}

/// Decides what the page starts from.
pub fn decide(sources: &StartupSources) -> Startup {
    let fragment = if sources.embed {
        embedded_share(&sources.fragment)
    } else {
        sources.fragment.clone()
    };
    if sources.embed && fragment.is_empty() {
        // A bare `#embed`: the defaults, never the autosave of whoever reads the page.
        return Startup::Nothing;
    }
    if !fragment.is_empty() {
        return match decode_share(&fragment) {
            Ok(s) => Startup::Restore(Box::new(s)),
            Err(e) => Startup::Refused(format!(
                "This link could not be opened ({}). The playground started with its defaults.",
                e.reason
            )),
        };
    }
    match sources.saved.as_deref().filter(|s| !s.is_empty()) {
        None => Startup::Nothing,
        Some(text) => match decode_share(text) {
            Ok(s) => Startup::Restore(Box::new(s)),
            Err(e) => Startup::Refused(format!(
                "The saved session could not be restored ({}). The playground started with \
                 its defaults.",
                e.reason
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{encode_share, preset};

    fn link(id: &str, cursor_ns: u64) -> String {
        encode_share(&ShareState {
            scenario: preset(id).expect("preset"),
            inputs: Vec::new(),
            cursor_ns,
        })
    }

    fn sources(embed: bool, fragment: &str, saved: Option<&str>) -> StartupSources {
        StartupSources {
            embed,
            fragment: fragment.to_string(),
            saved: saved.map(str::to_string),
        }
    }

    fn restored_cursor(s: &StartupSources) -> Option<u64> {
        match decide(s) {
            Startup::Restore(state) => Some(state.cursor_ns),
            _ => None,
        }
    }

    #[test]
    fn a_link_wins_over_the_autosave_and_the_autosave_over_nothing() {
        let (a, b) = (link("seed-oom", 5), link("herd", 7));
        assert_eq!(restored_cursor(&sources(false, &a, Some(&b))), Some(5));
        assert_eq!(restored_cursor(&sources(false, "", Some(&b))), Some(7));
        assert_eq!(decide(&sources(false, "", None)), Startup::Nothing);
        assert_eq!(decide(&sources(false, "", Some(""))), Startup::Nothing);
    }

    #[test]
    fn an_embed_never_reads_the_autosave() {
        let saved = link("herd", 7);
        assert_eq!(
            decide(&sources(true, "embed", Some(&saved))),
            Startup::Nothing
        );
        let frag = format!("embed&{}", link("seed-oom", 9));
        assert_eq!(
            restored_cursor(&sources(true, &frag, Some(&saved))),
            Some(9)
        );
    }

    #[test]
    fn a_bad_link_or_saved_session_is_refused_with_its_reason() {
        let Startup::Refused(text) = decide(&sources(false, "v=99&s=seed-oom", None)) else {
            panic!("a newer link is refused");
        };
        assert!(
            text.starts_with("This link could not be opened ("),
            "{text}"
        );
        let Startup::Refused(text) = decide(&sources(false, "", Some("v=1&s=nope"))) else {
            panic!("a bad autosave is refused");
        };
        assert!(text.contains("nope"), "{text}");
        assert!(
            text.starts_with("The saved session could not be restored"),
            "{text}"
        );
    }
}
