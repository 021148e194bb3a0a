// Completes the package wasm-pack wrote (scripts/build-js.sh runs it): copies in the
// hand-written files from js/ and points package.json at them. One build serves both
// runtimes: browsers and bundlers load workqueue_playground.js (wasm-bindgen --target web),
// Node loads node.mjs, which instantiates the same .wasm from disk.
//
//   node js/finish-pkg.mjs pkg
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const pkg = process.argv[2] ?? "pkg";
const here = new URL(".", import.meta.url);
const copy = (from, to = from) => copyFileSync(new URL(from, here), join(pkg, to));

copy("node.mjs");
copy("workqueue_playground.d.ts");
copy("README.md");

const manifestPath = join(pkg, "package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const wasm = "workqueue_playground_bg.wasm";
const web = "workqueue_playground.js";
for (const file of [wasm, web]) {
  if (!manifest.files.includes(file)) throw new Error(`wasm-pack's package.json lacks ${file}`);
}
Object.assign(manifest, {
  name: "workqueue-playground",
  description:
    "client-go's workqueue and a simulated controller world (Rust, WebAssembly): " +
    "browsers and Node 20+",
  files: [wasm, web, "node.mjs", "workqueue_playground.d.ts", "README.md"],
  main: "node.mjs",
  module: web,
  types: "workqueue_playground.d.ts",
  exports: {
    ".": {
      types: "./workqueue_playground.d.ts",
      node: "./node.mjs",
      default: "./workqueue_playground.js",
    },
    [`./${wasm}`]: `./${wasm}`,
  },
  engines: { node: ">=20" },
  // node.mjs instantiates the module when imported: a bundler must not drop it.
  sideEffects: [...(manifest.sideEffects ?? []), "./node.mjs"],
});
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
