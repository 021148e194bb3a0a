//! The rate limiter form: every core client-go limiter, the defaults and two limiters seen in
//! real projects as one-click presets. Applying redeploys the controller with the new limiter.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::ui::components::field::Field;
use crate::ui::drafts::{Drafts, FieldErrors, FieldId, LimiterKind, LimiterPreset};

/// Props for [`LimiterPanel`].
#[derive(Properties, PartialEq)]
pub struct LimiterPanelProps {
    /// The form text.
    pub drafts: Rc<Drafts>,
    /// Refusals by field.
    pub errors: Rc<FieldErrors>,
    /// The running limiter, described in client-go's terms.
    pub current: AttrValue,
    /// A field was edited.
    pub on_edit: Callback<(FieldId, String)>,
    /// The limiter picker changed.
    pub on_kind: Callback<LimiterKind>,
    /// Apply the form.
    pub on_apply: Callback<()>,
    /// Apply a preset.
    pub on_preset: Callback<LimiterPreset>,
}

/// The limiter panel.
#[component]
pub fn LimiterPanel(props: &LimiterPanelProps) -> Html {
    let onchange = {
        let cb = props.on_kind.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(kind) = LimiterKind::parse(&select.value()) {
                cb.emit(kind);
            }
        })
    };
    let onsubmit = {
        let cb = props.on_apply.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit(());
        })
    };
    let preset = |p: LimiterPreset| {
        let cb = props.on_preset.clone();
        html! { <button type="button" class="mini" title={p.title()}
        onclick={Callback::from(move |_: MouseEvent| cb.emit(p))}>{ p.label() }</button> }
    };
    html! {
        <section class="panel" aria-labelledby="limiter-h">
            <h2 id="limiter-h">{ "Rate limiter" }</h2>
            <p class="small muted">{ "Running: " }<code>{ props.current.clone() }</code></p>
            <div class="buttons presets" role="group" aria-label="Limiter presets">
                { for LimiterPreset::ALL.into_iter().map(preset) }
            </div>
            <form {onsubmit}>
                <div class="field">
                    <label for="lim-kind">{ "Limiter" }</label>
                    <select id="lim-kind" {onchange}>
                        { for LimiterKind::ALL.into_iter().map(|k| html! {
                            <option value={k.value()} selected={k == props.drafts.limiter}>{ k.label() }</option>
                        }) }
                    </select>
                </div>
                <div class="field-grid">
                    { for props.drafts.limiter.fields().iter().map(|&f| {
                        let on_edit = props.on_edit.clone();
                        html! {
                            <Field id={f.id()} label={f.label()} value={props.drafts.get(f).to_string()}
                                error={props.errors.get(&f).map(|e| AttrValue::from(e.clone()))}
                                hint={f.hint().map(AttrValue::Static)}
                                on_input={Callback::from(move |v| on_edit.emit((f, v)))} />
                        }
                    }) }
                </div>
                <button type="submit" class="primary">{ "Apply limiter" }</button>
            </form>
        </section>
    }
}
