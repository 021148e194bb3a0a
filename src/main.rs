//! Browser entry point: mounts the playground's Yew app on the page.

/// The wasm heap: talc instead of Rust's default dlmalloc, for a smaller page (about 2.4 KB
/// gzipped) at the same or better speed. One thread, so its lock is a no-op.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: the page runs its wasm on one thread, which is what `new_global` requires.
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

fn main() {
    yew::Renderer::<workqueue_playground::ui::App>::new().render();
}
