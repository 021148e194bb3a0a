//! The root component: the page a person sees.

use yew::prelude::*;

/// The playground's root component, mounted by `main.rs`.
#[component]
pub fn App() -> Html {
    html! {
        <main>
            <h1>{ "Workqueue Playground" }</h1>
        </main>
    }
}
