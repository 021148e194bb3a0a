//! The simulation as a JavaScript package (no UI), behind the `js` feature.
//!
//! The input parsing, the summary and the value conversions are also built
//! with the `ui` feature: the embedded playground takes the same `{ op, key }`
//! inputs from its parent page and answers with the same summary (see
//! `ui::embed_bridge`). The `Sim` class itself is only in the package.
//!
//! `scripts/build-js.sh` builds it with wasm-pack into `pkg/` (`--target web`,
//! plus a small Node entry that loads the same `.wasm` from disk), with the
//! hand-written TypeScript declarations in `js/workqueue_playground.d.ts`:
//!
//! ```text
//! import init, { Sim } from "workqueue-playground";
//! await init();                                // a no-op in Node
//! const sim = Sim.preset("seed-oom");
//! sim.runUntil(7_200_000_000_000n);            // 2 h of virtual time
//! sim.summary().failures_map_len;              // as `wqplay run --format json` prints it
//! sim.apply({ op: "fail", key: "ns/pod-7" });  // 'queue.AddRateLimited("ns/pod-7") → When()=…'
//! ```
//!
//! Conventions across the boundary: every nanosecond value (a time or a
//! duration) is a `bigint`, every count a `number`; values are plain objects
//! ([`serde_wasm_bindgen`]), absent values `null`. Every error, a refused
//! input included, is a thrown `Error` whose message names the field when a
//! field is at fault (`"input.key: key is empty"`,
//! `"workers.count: invalid type: …"`); nothing reachable from JavaScript
//! panics (a panic would abort the module).

#[cfg(feature = "js")]
mod convert;
pub(crate) mod error;
pub(crate) mod input;
#[cfg(feature = "js")]
mod sim;
pub(crate) mod summary;
pub(crate) mod value;

#[cfg(feature = "js")]
pub use sim::JsSim;
