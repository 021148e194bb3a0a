// Trunk's post_build hook (Trunk.toml): optimises the release wasm with binaryen's wasm-opt
// (-Oz, to a fixed point) and gives its imports and exports one- or two-letter names.
//
// Why here and not in Trunk's own wasm-opt step: wasm-bindgen names each import
// `__wbg_<method>_<16 hex digits>` under the module "./workqueue-playground_bg.js", 177 of them,
// and each export by its Rust symbol; the hex digits do not compress, and together the names
// cost about 3.2 KB of the gzipped wasm. wasm-opt's `--minify-imports-and-exports-and-modules`
// renames them and prints the renaming, but then the JavaScript glue must be renamed to match,
// and Trunk has already computed the files' integrity hashes. This hook does all three: the
// wasm, the glue, and the `integrity` attributes in index.html. It checks that the glue
// provides every import the new wasm asks for and that no old name is left, and fails the
// build otherwise. Debug builds (`trunk serve`) are left as wasm-bindgen wrote them.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error("finish-wasm: run me as Trunk's post_build hook (no TRUNK_STAGING_DIR)");
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

const only = (suffix) => {
  const found = readdirSync(staging).filter((f) => f.endsWith(suffix));
  if (found.length !== 1) throw new Error(`finish-wasm: expected one *${suffix} in ${staging}, found ${found}`);
  return found[0];
};
const wasmFile = only("_bg.wasm");
const jsFile = wasmFile.replace(/_bg\.wasm$/, ".js");
const paths = { wasm: join(staging, wasmFile), js: join(staging, jsFile), html: join(staging, "index.html") };

// wasm-opt from the project's npm packages (scripts/setup.sh), else from PATH.
const local = new URL("../node_modules/.bin/wasm-opt", import.meta.url).pathname;
const wasmOpt = existsSync(local) ? local : "wasm-opt";
const optimised = `${paths.wasm}.min`;
const printed = execFileSync(
  wasmOpt,
  ["-Oz", "--converge", "--minify-imports-and-exports-and-modules", paths.wasm, "-o", optimised],
  { encoding: "utf8", maxBuffer: 1 << 26 },
);

// The pass prints one JSON renaming per run (--converge runs it until nothing changes); the
// renamings compose: the first maps the original names, each later one the names before it.
const renamings = printed
  .trim()
  .split(/\n(?=\{)/)
  .map((block) => JSON.parse(block));
const compose = (pairs) =>
  renamings.reduce((map, renaming) => {
    const step = new Map(pairs(renaming));
    return map === null ? step : new Map([...map].map(([original, now]) => [original, step.get(now) ?? now]));
  }, null) ?? new Map();
const imports = compose((r) => r.imports.map(([, from, to]) => [from, to]));
const exports = compose((r) => r.exports);

// The module name every import now comes from, read from the new wasm.
const wanted = importsOf(readFileSync(optimised));
const modules = new Set(wanted.map(([module]) => module));
if (modules.size !== 1) throw new Error(`finish-wasm: expected one import module, got ${[...modules]}`);
const [module] = modules;

let js = readFileSync(paths.js, "utf8");
js = js.replace(/^(\s+)([A-Za-z_$][\w$]*)(: function\b)/gm, (line, indent, name, rest) =>
  imports.has(name) ? `${indent}${imports.get(name)}${rest}` : line,
);
js = js.replace(/"\.\/[\w.-]+_bg\.js": import0/, `${JSON.stringify(module)}: import0`);
js = js.replace(/\bwasm\.([A-Za-z_$][\w$]*)\b/g, (ref, name) =>
  exports.has(name) ? `wasm.${exports.get(name)}` : ref,
);

// Every import the wasm asks for is provided, and no old name is left.
const escape = (name) => name.replace(/\$/g, "\\$");
const provides = (name) => new RegExp(`^\\s+${escape(name)}: function\\b`, "m").test(js);
for (const [, name] of wanted) {
  if (!provides(name)) throw new Error(`finish-wasm: the glue does not provide the import ${name}`);
}
for (const [from, to] of imports) {
  if (from !== to && provides(from)) throw new Error(`finish-wasm: the glue still provides ${from}`);
}
for (const [from, to] of exports) {
  if (from !== to && new RegExp(`\\bwasm\\.${escape(from)}\\b`).test(js)) {
    throw new Error(`finish-wasm: the glue still calls wasm.${from}`);
  }
}

renameSync(optimised, paths.wasm);
writeFileSync(paths.js, js);

// Trunk hashed the files before this hook changed them.
const integrity = (file) => `sha384-${createHash("sha384").update(readFileSync(file)).digest("base64")}`;
let html = readFileSync(paths.html, "utf8");
for (const [file, path] of [[wasmFile, paths.wasm], [jsFile, paths.js]]) {
  const tag = new RegExp(`(href="\\.?/?${file.replace(/\./g, "\\.")}"[^>]*integrity=")[^"]*(")`);
  if (!tag.test(html)) throw new Error(`finish-wasm: index.html has no integrity for ${file}`);
  html = html.replace(tag, `$1${integrity(path)}$2`);
}
writeFileSync(paths.html, html);
console.log(`finish-wasm: ${wanted.length} imports and ${exports.size} exports renamed in ${wasmFile}`);

/** The (module, name) pairs of a wasm binary's import section. */
function importsOf(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return value;
    }
  };
  const name = () => {
    const length = leb();
    const text = new TextDecoder().decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    if (id !== 2) {
      at += size;
      continue;
    }
    const pairs = [];
    for (let count = leb(); count > 0; count--) {
      const entry = [name(), name()];
      const kind = bytes[at++];
      if (kind !== 0) throw new Error(`finish-wasm: import ${entry} is not a function`);
      leb(); // its type index
      pairs.push(entry);
    }
    return pairs;
  }
  return [];
}
