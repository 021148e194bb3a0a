//! The diagnosis pair: the leak detector beside the Go code panel. It owns which listing is
//! shown and which line a finding pointed at, so "Show line" in a finding switches the code
//! panel's tab. It renders values the app state computed from the sim ([`DiagnosisValues`]);
//! it never reads the sim.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::code_trace::{current_lines, CodeRef, CodeTab};
use crate::sim::leaks::{findings, Finding};
use crate::sim::{Policy, QueueKind, Sim};
use crate::ui::components::code_panel::{CodePanel, RunningLine};
use crate::ui::components::leak_detector::LeakDetector;
use crate::ui::format;

/// What the pair shows, computed from the sim by [`DiagnosisValues::of`] when the history
/// panels are rebuilt.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiagnosisValues {
    /// The listing to open first: controller-runtime's for the priority queue, the buggy
    /// controller for the buggy policy, else client-go's internals.
    pub start_tab: CodeTab,
    /// The leak detector's findings.
    pub findings: Rc<Vec<Finding>>,
    /// For each listing, the line the most recent event ran there.
    pub running: Rc<Vec<RunningLine>>,
}

impl DiagnosisValues {
    /// The values for the world as it is.
    pub fn of(sim: &Sim) -> DiagnosisValues {
        DiagnosisValues {
            start_tab: match (sim.queue_kind(), sim.policy()) {
                (QueueKind::ControllerRuntime, _) => CodeTab::ControllerRuntime,
                (_, Policy::Buggy) => CodeTab::Buggy,
                _ => CodeTab::Internals,
            },
            findings: Rc::new(findings(sim)),
            running: Rc::new(running_lines(sim)),
        }
    }
}

/// Props for [`Diagnosis`].
#[derive(Properties, PartialEq)]
pub struct DiagnosisProps {
    /// What to show.
    pub values: Rc<DiagnosisValues>,
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
    let start_tab = props.values.start_tab;
    let tab = use_state(move || start_tab);
    let focus = use_state(|| None::<CodeRef>);
    let (found, running) = (props.values.findings.clone(), props.values.running.clone());
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
