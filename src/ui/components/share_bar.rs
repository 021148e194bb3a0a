//! Sharing and keeping: the URL fragment always holds the scenario, seed, inputs and time
//! cursor (inputs, not state), with a copy-link button; the same text is autosaved to local
//! storage and restored on reload; "Reset to defaults" forgets both. A malformed or newer link
//! (or saved session) gives a clear message and the page keeps working with the defaults.
//!
//! An embedded page (`#embed&…`, see [`crate::sim::embed`]) keeps the flag in its URL, never
//! reads or writes the autosave (a blog's embed must not overwrite the reader's own session),
//! and shows only the link to the same run in the full playground (and a refusal, if any).
//!
//! Writes are throttled while the clock runs (browsers rate-limit `history.replaceState`):
//! at most once per [`SAVE_EVERY_MS`], and at once after an input or a pause.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::embed::{embedded_share, iframe_snippet, is_embed, with_embed};
use crate::sim::share::SHARE_WARN_BYTES;
use crate::sim::{encode_share, RecordedInput, Scenario, ShareState, Time};
use crate::ui::startup::StartupSources;

/// The local-storage key of the autosaved session (a share fragment).
pub const AUTOSAVE_KEY: &str = "wqplay.autosave.v1";

/// While playing, the URL and the autosave are refreshed at most this often (wall ms).
pub const SAVE_EVERY_MS: f64 = 1_000.0;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window().and_then(|w| w.local_storage().ok().flatten())
}

/// The current fragment without its '#'.
fn read_fragment() -> String {
    let hash = window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.trim_start_matches('#').to_string()
}

/// Whether this page was opened from an embed link: the compact layout for an `<iframe>`.
pub fn embedded_page() -> bool {
    is_embed(&read_fragment())
}

/// Replaces the URL's fragment without adding a history entry or scrolling.
fn write_fragment(fragment: &str) {
    let Some(w) = window() else {
        return;
    };
    let (Ok(path), Ok(search)) = (w.location().pathname(), w.location().search()) else {
        return;
    };
    let url = if fragment.is_empty() {
        format!("{path}{search}")
    } else {
        format!("{path}{search}#{fragment}")
    };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The full link for a fragment.
fn link_for(fragment: &str) -> String {
    let Some(w) = window() else {
        return format!("#{fragment}");
    };
    let loc = w.location();
    format!(
        "{}{}{}#{fragment}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// The texts the page may start from (the URL fragment; the autosave, except in an embed),
/// read once at mount; [`crate::ui::startup::decide`] says what to do with them.
pub fn startup_sources(embed: bool) -> StartupSources {
    StartupSources {
        embed,
        fragment: read_fragment(),
        saved: if embed {
            None
        } else {
            storage().and_then(|s| s.get_item(AUTOSAVE_KEY).ok().flatten())
        },
    }
}

/// The share state of a run of `scenario` with `inputs` applied, at `cursor`.
pub fn share_state(scenario: &Scenario, inputs: &[RecordedInput], cursor: Time) -> ShareState {
    ShareState {
        scenario: scenario.clone(),
        inputs: inputs.to_vec(),
        cursor_ns: cursor.as_nanos(),
    }
}

/// Props for [`ShareBar`].
#[derive(Properties)]
pub struct ShareBarProps {
    /// The scenario the run was built from.
    pub scenario: Rc<Scenario>,
    /// Every recorded input (the history's list).
    pub inputs: Rc<Vec<RecordedInput>>,
    /// How many of `inputs` the world at the cursor has applied: those are what a link or
    /// a trace carries.
    pub applied: usize,
    /// The run's cursor, as the history panels last showed it.
    pub cursor: Time,
    /// The trace hash at the cursor.
    pub trace_hash: u64,
    /// Whether the clock runs.
    pub playing: bool,
    /// The page's frame clock (wall ms the frames have reported, from the app state): what the
    /// writes are throttled by. Not compared: it only matters when something else changed.
    pub wall_ms: f64,
    /// Whether a shared or saved run is being replayed to its cursor: nothing is written
    /// meanwhile, or the half-replayed run would overwrite the link and the autosave.
    pub restoring: bool,
    /// Why the link or the saved session the page started from was refused, if it was.
    pub notice: Option<Rc<str>>,
    /// Dismiss the notice.
    pub on_dismiss: Callback<()>,
    /// Start over with the defaults.
    pub on_reset: Callback<()>,
    /// The page is an embed: keep the flag in the URL, leave the autosave alone, and show
    /// only the link to the full playground.
    #[prop_or_default]
    pub embed: bool,
    /// What the embed code's `title` says (screen readers announce a frame by it).
    #[prop_or_default]
    pub title: AttrValue,
}

impl PartialEq for ShareBarProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.scenario, &other.scenario)
            && Rc::ptr_eq(&self.inputs, &other.inputs)
            && self.applied == other.applied
            && self.cursor == other.cursor
            && self.trace_hash == other.trace_hash
            && self.playing == other.playing
            && self.restoring == other.restoring
            && self.notice == other.notice
            && self.embed == other.embed
            && self.title == other.title
    }
}

/// The share bar.
#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    // The link opened, until the first write replaces it with the running world's.
    let fragment = use_state(|| {
        if props.embed {
            embedded_share(&read_fragment())
        } else {
            read_fragment()
        }
    });
    let copied = use_state(|| None::<&'static str>);
    let embed = props.embed;
    // (armed: saving may begin, last write in wall ms, inputs applied at that write)
    let saver = use_mut_ref(|| (false, f64::NEG_INFINITY, usize::MAX));
    {
        let (scenario, cursor, wall_ms) = (props.scenario.clone(), props.cursor, props.wall_ms);
        let inputs = props.inputs.clone();
        let applied = props.applied.min(inputs.len());
        let (playing, restoring) = (props.playing, props.restoring);
        let fragment = fragment.clone();
        let saver = saver.clone();
        use_effect_with(
            (
                cursor,
                Rc::as_ptr(&props.scenario),
                applied,
                Rc::as_ptr(&inputs) as usize,
                playing,
                restoring,
            ),
            move |_| {
                if restoring {
                    return;
                }
                let mut s = saver.borrow_mut();
                if !s.0 {
                    // The first render shows the defaults while a link or autosave is restored:
                    // do not overwrite either with them.
                    s.0 = true;
                    return;
                }
                let t = wall_ms;
                let due = !playing || applied != s.2 || t - s.1 >= SAVE_EVERY_MS;
                if !due {
                    return;
                }
                let text = encode_share(&share_state(&scenario, &inputs[..applied], cursor));
                if embed {
                    write_fragment(&with_embed(&text));
                } else {
                    write_fragment(&text);
                    if let Some(st) = storage() {
                        let _ = st.set_item(AUTOSAVE_KEY, &text);
                    }
                }
                *s = (true, t, applied);
                fragment.set(text);
            },
        );
    }
    let link = link_for(&fragment);
    let copy = |text: String, done: &'static str| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = window() {
                let _ = w.navigator().clipboard().write_text(&text);
                copied.set(Some(done));
            }
        })
    };
    let on_copy = copy(link.clone(), "Link copied");
    let embed_code = iframe_snippet(&link_for(&with_embed(&fragment)), &props.title);
    let on_copy_embed = copy(embed_code.clone(), "Embed code copied");
    let on_reset = {
        let cb = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(st) = storage() {
                let _ = st.remove_item(AUTOSAVE_KEY);
            }
            write_fragment("");
            cb.emit(());
        })
    };
    let dismiss = {
        let cb = props.on_dismiss.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let notice = props.notice.as_ref().map(|text| {
        html! {
            <div class="notice" role="alert" id="share-message">
                <span>{ text.clone() }</span>
                <button type="button" class="mini" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        }
    });
    if embed {
        return html! {
            <div class="embed-footer">
                { notice }
                <a id="open-full" href={link} target="_blank" rel="noopener">
                    { "Open in the full playground" }
                </a>
            </div>
        };
    }
    let hash = props.trace_hash;
    html! {
        <section class="panel share-bar" aria-labelledby="share-h">
            <h2 id="share-h">{ "Share and keep" }</h2>
            { notice }
            <div class="field">
                <label for="share-link">{ "Link to this run" }
                    <span class="hint">{ " (scenario, seed, inputs and time; nothing leaves your browser)" }</span>
                </label>
                <input id="share-link" type="text" readonly=true value={link} />
            </div>
            <div class="buttons">
                <button type="button" onclick={on_copy}>{ "Copy link" }</button>
                <button type="button" onclick={on_copy_embed}>{ "Copy embed code" }</button>
                <button type="button" onclick={on_reset}>{ "Reset to defaults" }</button>
                <span class="small muted" role="status">{ copied.unwrap_or("") }</span>
            </div>
            <div class="field">
                <label for="embed-code">{ "Embed code" }
                    <span class="hint">{ " (an iframe with time controls, lanes, the failures map and a chart)" }</span>
                </label>
                <input id="embed-code" type="text" readonly=true value={embed_code} />
            </div>
            if fragment.len() > SHARE_WARN_BYTES {
                <p class="small field-error">
                    { format!("This link is {} KB long; some tools cut links above 8 KB.", fragment.len() / 1024) }
                </p>
            }
            <p class="small muted">
                { "Autosaved in this browser. Trace " }
                <code id="trace-hash">{ format!("{hash:016x}") }</code>
            </p>
        </section>
    }
}
