//! Bulk actions: add N keys, an update storm, an outage, and N simultaneous failures (the
//! shared-bucket demonstration).

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::components::field::Field;
use crate::ui::drafts::{Bulk, Drafts, FieldErrors, FieldId};

/// Props for [`BulkPanel`].
#[derive(Properties, PartialEq)]
pub struct BulkPanelProps {
    /// The form text.
    pub drafts: Rc<Drafts>,
    /// Refusals by field.
    pub errors: Rc<FieldErrors>,
    /// A field was edited.
    pub on_edit: Callback<(FieldId, String)>,
    /// A bulk button was pressed.
    pub on_bulk: Callback<Bulk>,
}

/// The bulk actions panel.
#[component]
pub fn BulkPanel(props: &BulkPanelProps) -> Html {
    let field = |f: FieldId| {
        let on_edit = props.on_edit.clone();
        html! {
            <Field id={f.id()} label={f.label()} value={props.drafts.get(f).to_string()}
                error={props.errors.get(&f).map(|e| AttrValue::from(e.clone()))}
                hint={f.hint().map(AttrValue::Static)} mode="text"
                on_input={Callback::from(move |v| on_edit.emit((f, v)))} />
        }
    };
    let button = |bulk: Bulk, text: &'static str, title: &'static str| {
        let cb = props.on_bulk.clone();
        html! { <button type="button" {title} onclick={Callback::from(move |_: MouseEvent| cb.emit(bulk))}>{ text }</button> }
    };
    html! {
        <section class="panel" aria-labelledby="bulk-h">
            <h2 id="bulk-h">{ "Bulk actions" }</h2>
            <div class="bulk-row">
                { field(FieldId::AddCount) }
                { button(Bulk::AddMany, "Add keys", "Create N objects: one informer add event each") }
            </div>
            <div class="bulk-row">
                { field(FieldId::StormKeys) }
                { field(FieldId::StormEvery) }
                { field(FieldId::StormFor) }
                { button(Bulk::UpdateStorm, "Start update storm", "Each object changes every T for the given length") }
            </div>
            <div class="bulk-row">
                { field(FieldId::OutageFor) }
                { button(Bulk::Outage, "Start outage", "Every reconcile fails for this long") }
            </div>
            <div class="bulk-row">
                { field(FieldId::HerdCount) }
                { button(Bulk::Herd, "Fail all at once", "N fresh keys call AddRateLimited at the same instant: the shared bucket spreads them out") }
            </div>
        </section>
    }
}
