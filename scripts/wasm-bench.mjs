// Runs a benchmark compiled to wasm32-wasip1 under Node's built-in WASI
// (preview1), so the very same bench code that runs natively prints its
// figures from WebAssembly. WASI gives it a real monotonic clock
// (clock_time_get, backed by the host's high-resolution timer), stdout and
// stderr; it gets no file system, so benches reading /proc fall back to
// their wall-clock / "n/a" paths.
//
//   node scripts/wasm-bench.mjs target/wasm32-wasip1/release/deps/sim-*.wasm [args...]
//
// After the run it prints the module's linear memory size (wasm memory only
// grows, so that is the peak heap the bench ever needed) and the run's wall
// and CPU time, to show whether other processes slowed it down.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import process from "node:process";
import { setFlagsFromString } from "node:v8";

// Node's WASI calls go through V8 "fast API calls", which can keep a stale
// view of linear memory after it grows and then crash the process
// (nodejs/node#53087; seen here after the workqueue bench's 1M-key run grows
// memory to 143 MB). Turn them off before node:wasi is loaded.
setFlagsFromString("--no-turbo-fast-api-calls");

// node:wasi is "experimental" in Node 20 and says so on stderr on import;
// drop that one notice so the bench output stays clean.
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (w.name !== "ExperimentalWarning") console.error(w);
});
const { WASI } = await import("node:wasi");

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/wasm-bench.mjs BENCH.wasm [args...]");
  process.exit(2);
}

const wasi = new WASI({
  version: "preview1",
  args: [basename(file), ...args],
  env: {},
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());

const wallStart = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const code = wasi.start(instance);
const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
const cpuUsed = process.cpuUsage(cpuStart);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
const bytes = instance.exports.memory?.buffer.byteLength ?? 0;
console.log(
  `  wasm linear memory at exit ${(bytes / 1048576).toFixed(1)} MiB (memory only grows: the peak heap)`,
);
// Inside wasm the benches can only read a wall clock (no /proc), so on a
// busy machine their times include waiting for a core: CPU well below wall
// here means the figures above are inflated by other processes.
console.log(
  `  whole run: wall ${wall.toFixed(2)} s, node CPU ${cpu.toFixed(2)} s (${((100 * cpu) / wall).toFixed(0)}%; well under 100% = shared cores inflated the times)`,
);
process.exit(code);
