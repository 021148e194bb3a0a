//! The cdylib of the JavaScript package: links `workqueue-playground` with its `js` feature,
//! whose `#[wasm_bindgen]` exports (`workqueue_playground::js`) become the package's API.
//! Built by `scripts/build-js.sh`; nothing is defined here.
#![warn(missing_docs)]

pub use workqueue_playground::js::JsSim;
