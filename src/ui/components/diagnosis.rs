//! The diagnosis pair: the leak detector beside the Go code panel. It owns which listing is
//! shown and which line a finding pointed at, so "Show line" in a finding switches the code
//! panel's tab; both read the sim only when its revision changes.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::sim::code_trace::{current_lines, CodeRef, CodeTab};
use crate::sim::leaks::findings;
use crate::sim::{Policy, QueueKind, Sim};
use crate::ui::components::code_panel::{CodePanel, RunningLine};
use crate::ui::components::leak_detector::LeakDetector;
use crate::ui::format;

/// Props for [`Diagnosis`].
#[derive(Properties)]
pub struct DiagnosisProps {
    /// The running world (read only).
    pub sim: Rc<RefCell<Sim>>,
    /// The app's revision counter: a new value means the sim changed.
    pub revision: u64,
}

impl PartialEq for DiagnosisProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim) && self.revision == other.revision
    }
}

/// For each listing, the line the most recent event ran there.
pub fn running_lines(sim: &Sim) -> Vec<RunningLine> {
    CodeTab::ALL
        .iter()
        .filter_map(|tab| {
            current_lines(sim.events().rev(), *tab).map(|(e, lines)| RunningLine {
                tab: *tab,
                lines,
                caption: Rc::from(format!("{} {}", format::at(e.at), e.call()).as_str()),
            })
        })
        .collect()
}

/// The leak detector and the code panel, side by side.
#[component]
pub fn Diagnosis(props: &DiagnosisProps) -> Html {
    let start_tab = {
        let sim = props.sim.borrow();
        match (sim.queue_kind(), sim.policy()) {
            (QueueKind::ControllerRuntime, _) => CodeTab::ControllerRuntime,
            (_, Policy::Buggy) => CodeTab::Buggy,
            _ => CodeTab::Internals,
        }
    };
    let tab = use_state(move || start_tab);
    let focus = use_state(|| None::<CodeRef>);
    let (found, running) = {
        let sim = props.sim.borrow();
        (Rc::new(findings(&sim)), Rc::new(running_lines(&sim)))
    };
    let on_show = {
        let (tab, focus) = (tab.clone(), focus.clone());
        Callback::from(move |r: CodeRef| {
            tab.set(r.tab);
            focus.set(Some(r));
        })
    };
    let on_tab = {
        let (tab, focus) = (tab.clone(), focus.clone());
        Callback::from(move |t: CodeTab| {
            tab.set(t);
            focus.set(None);
        })
    };
    html! {
        <>
            <LeakDetector findings={found} on_show={on_show} />
            <CodePanel tab={*tab} on_tab={on_tab} running={running} focus={*focus} />
        </>
    }
}
