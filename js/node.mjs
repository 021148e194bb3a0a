// The package's Node entry (Node >= 20): the very module the browser entry is
// (workqueue_playground.js, wasm-bindgen --target web), instantiated synchronously from the
// .wasm next to this file, since Node's fetch cannot read file: URLs. `Sim` is ready as soon as
// the import resolves; the default export (`init`) is then a no-op, so browser code runs as is.
import { readFileSync } from "node:fs";
import { initSync } from "./workqueue_playground.js";

initSync({ module: readFileSync(new URL("./workqueue_playground_bg.wasm", import.meta.url)) });

export * from "./workqueue_playground.js";
export { default } from "./workqueue_playground.js";
