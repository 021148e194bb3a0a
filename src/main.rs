//! Browser entry point: mounts the playground's Yew app on the page.

fn main() {
    yew::Renderer::<workqueue_playground::ui::App>::new().render();
}
