//! The controller form: the queue it runs on (client-go's workqueue or controller-runtime's
//! priority queue), workers (0 = you are the worker), processing time, error rate, the policy
//! (buggy / fixed / custom, the whole difference between the seed bug and its fix) or, with
//! controller-runtime, what `Reconcile` returns, and the memory limit that turns the leak into
//! OOM kills.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::sim::{ChangeCall, ErrorCall, QueueKind};
use crate::ui::components::field::Field;
use crate::ui::drafts::{Drafts, FieldErrors, FieldId, PolicyEdit, PolicyKind};
use crate::ui::reconcile_choice::ReconcileChoice;

/// Props for [`ControllerPanel`].
#[derive(Properties, PartialEq)]
pub struct ControllerPanelProps {
    /// The form text.
    pub drafts: Rc<Drafts>,
    /// Refusals by field.
    pub errors: Rc<FieldErrors>,
    /// A text field was edited.
    pub on_edit: Callback<(FieldId, String)>,
    /// A policy picker or toggle changed.
    pub on_policy: Callback<PolicyEdit>,
    /// Apply the form.
    pub on_apply: Callback<()>,
    /// The queue the controller runs on now.
    pub queue: QueueKind,
    /// The Queue select changed: redeploy on that queue (applies at once).
    pub on_queue: Callback<QueueKind>,
    /// The Reconcile returns picker changed.
    pub on_reconcile: Callback<ReconcileChoice>,
}

fn select_value(e: &Event) -> String {
    let select: HtmlSelectElement = e.target_unchecked_into();
    select.value()
}

/// The controller panel.
#[component]
pub fn ControllerPanel(props: &ControllerPanelProps) -> Html {
    let d = &props.drafts;
    let field = |f: FieldId| {
        let on_edit = props.on_edit.clone();
        html! {
            <Field id={f.id()} label={f.label()} value={d.get(f).to_string()}
                error={props.errors.get(&f).map(|e| AttrValue::from(e.clone()))}
                hint={f.hint().map(AttrValue::Static)}
                on_input={Callback::from(move |v| on_edit.emit((f, v)))} />
        }
    };
    let on_kind = {
        let cb = props.on_policy.clone();
        Callback::from(move |e: Event| {
            if let Some(k) = PolicyKind::parse(&select_value(&e)) {
                cb.emit(PolicyEdit::Kind(k));
            }
        })
    };
    let on_change_call = {
        let cb = props.on_policy.clone();
        Callback::from(move |e: Event| {
            let call = if select_value(&e) == "add" {
                ChangeCall::Add
            } else {
                ChangeCall::AddRateLimited
            };
            cb.emit(PolicyEdit::OnChange(call));
        })
    };
    let on_error_call = {
        let cb = props.on_policy.clone();
        Callback::from(move |e: Event| {
            let call = match select_value(&e).as_str() {
                "add" => ErrorCall::Add,
                "nothing" => ErrorCall::Nothing,
                _ => ErrorCall::AddRateLimited,
            };
            cb.emit(PolicyEdit::OnError(call));
        })
    };
    let on_forget = {
        let cb = props.on_policy.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(PolicyEdit::ForgetOnSuccess(input.checked()));
        })
    };
    let on_queue = {
        let cb = props.on_queue.clone();
        Callback::from(move |e: Event| {
            if let Ok(q) = QueueKind::parse(&select_value(&e)) {
                cb.emit(q);
            }
        })
    };
    let on_reconcile = {
        let cb = props.on_reconcile.clone();
        Callback::from(move |e: Event| {
            if let Some(c) = ReconcileChoice::parse(&select_value(&e)) {
                cb.emit(c);
            }
        })
    };
    let controller_runtime = props.queue == QueueKind::ControllerRuntime;
    let onsubmit = {
        let cb = props.on_apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit(());
        })
    };
    html! {
        <section class="panel" aria-labelledby="controller-h">
            <h2 id="controller-h">{ "Controller" }</h2>
            <div class="field">
                <label for="cfg-queue">{ "Queue" }</label>
                <select id="cfg-queue" onchange={on_queue} aria-describedby="cfg-queue-hint">
                    { for QueueKind::ALL.into_iter().map(|q| html! {
                        <option value={q.as_str()} selected={q == props.queue}>{ q.title() }</option>
                    }) }
                </select>
                <span id="cfg-queue-hint" class="hint">
                    { if controller_runtime {
                        "reconcileHandler turns each Reconcile result into queue calls; changing redeploys"
                    } else {
                        "a hand-written loop makes the calls (the policy below); changing redeploys"
                    } }
                </span>
            </div>
            <form {onsubmit}>
                <div class="field-grid">
                    { field(FieldId::Workers) }
                    { field(FieldId::Processing) }
                    { field(FieldId::ErrorRate) }
                    { field(FieldId::MemoryLimit) }
                </div>
                if controller_runtime {
                    <div class="field">
                        <label for="cfg-reconcile">{ "Reconcile returns" }</label>
                        <select id="cfg-reconcile" onchange={on_reconcile}>
                            { for ReconcileChoice::ALL.into_iter().map(|c| html! {
                                <option value={c.value()} selected={c == d.reconcile}>{ c.label() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field-grid">
                        if d.reconcile == ReconcileChoice::RequeueAfter {
                            { field(FieldId::RequeueAfter) }
                        }
                        { field(FieldId::ResultPriority) }
                    </div>
                } else {
                <div class="field">
                    <label for="cfg-policy">{ "Policy" }</label>
                    <select id="cfg-policy" onchange={on_kind}>
                        { for PolicyKind::ALL.into_iter().map(|k| html! {
                            <option value={k.value()} selected={k == d.policy}>{ k.label() }</option>
                        }) }
                    </select>
                </div>
                if d.policy == PolicyKind::Custom {
                    <div class="field-grid">
                        <div class="field">
                            <label for="cfg-on-change">{ "On change" }</label>
                            <select id="cfg-on-change" onchange={on_change_call}>
                                <option value="add" selected={d.on_change == ChangeCall::Add}>{ "queue.Add" }</option>
                                <option value="add_rate_limited" selected={d.on_change == ChangeCall::AddRateLimited}>
                                    { "queue.AddRateLimited" }
                                </option>
                            </select>
                        </div>
                        <div class="field">
                            <label for="cfg-on-error">{ "On error" }</label>
                            <select id="cfg-on-error" onchange={on_error_call}>
                                <option value="add_rate_limited" selected={d.on_error == ErrorCall::AddRateLimited}>
                                    { "queue.AddRateLimited" }
                                </option>
                                <option value="add" selected={d.on_error == ErrorCall::Add}>{ "queue.Add" }</option>
                                <option value="nothing" selected={d.on_error == ErrorCall::Nothing}>{ "nothing" }</option>
                            </select>
                        </div>
                        <div class="field check">
                            <input id="cfg-forget" type="checkbox" checked={d.forget_on_success} onchange={on_forget} />
                            <label for="cfg-forget">{ "Forget on success" }</label>
                        </div>
                    </div>
                }
                if d.policy != PolicyKind::Buggy {
                    { field(FieldId::MaxRequeues) }
                }
                }
                <button type="submit" class="primary">{ "Apply controller" }</button>
            </form>
        </section>
    }
}
