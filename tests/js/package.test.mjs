// The built JavaScript package (pkg/, scripts/build-js.sh) under Node's own test runner:
//
//   node --test tests/js/package.test.mjs
//
// It imports the package through its package.json (the `node` entry), runs seed-oom for 2 h
// and checks every summary number against the native CLI (`wqplay run seed-oom --until 2h
// --format json`), checks that 19 fails of one key reach the 1000 s cap, and that bad inputs
// and scenarios throw Errors naming the field (as wqplay does) and change nothing.
//
// Environment: WQPLAY_PKG (default: pkg/ of this repository); WQPLAY_BIN, a prebuilt wqplay
// (default: `cargo run --release --no-default-features --bin wqplay`).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const PKG = resolve(process.env.WQPLAY_PKG ?? join(ROOT, "pkg"));
const manifest = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
const entry = (condition) => pathToFileURL(join(PKG, manifest.exports["."][condition])).href;
const pkg = await import(entry("node"));
const { Sim } = pkg;

const NS_PER_S = 1_000_000_000n;
const TWO_HOURS = 2n * 3600n * NS_PER_S;

/** Runs wqplay with `args`: { status, stdout, stderr }. */
function wqplay(args) {
  const [cmd, pre] = process.env.WQPLAY_BIN
    ? [process.env.WQPLAY_BIN, []]
    : ["cargo", ["run", "--quiet", "--release", "--no-default-features", "--bin", "wqplay", "--"]];
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error) throw r.error;
  return r;
}

/** Everything a refused input must leave alone. */
function fingerprint(sim) {
  return {
    now: sim.now(),
    summary: sim.summary(),
    failures: sim.failures(),
    events: sim.events(0),
  };
}

test("the node entry and the browser entry are one module", async () => {
  const web = await import(entry("default"));
  assert.equal(web.Sim, Sim);
  await pkg.default(); // init(): a no-op once the Node entry has instantiated the module
  const cli = wqplay(["presets"]);
  assert.equal(cli.status, 0, cli.stderr);
  const cliIds = cli.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]);
  assert.ok(cliIds.includes("seed-oom") && cliIds.includes("cr-terminal-leak"), cli.stdout);
  assert.deepEqual(Sim.presetIds(), cliIds);
  assert.ok(manifest.files.includes("workqueue_playground.d.ts"));
  assert.equal(manifest.types, "workqueue_playground.d.ts");
});

test("seed-oom for 2 h: every summary number equals wqplay's", () => {
  const cli = wqplay(["run", "seed-oom", "--until", "2h", "--format", "json"]);
  assert.equal(cli.status, 0, cli.stderr);
  const want = JSON.parse(cli.stdout);
  // The exact digits, for the fields that cross as bigint.
  const raw = Object.fromEntries([...cli.stdout.matchAll(/"(\w+)":\s*(-?\d+)\b/g)].map((m) => [m[1], m[2]]));

  const sim = Sim.preset("seed-oom");
  sim.runUntil(TWO_HOURS);
  assert.equal(sim.now(), TWO_HOURS);
  const got = sim.summary();
  assert.deepEqual(Object.keys(got), Object.keys(want), "same fields, same order");
  for (const [field, value] of Object.entries(want)) {
    if (typeof got[field] === "bigint") {
      assert.ok(field.endsWith("_ns"), `${field}: only nanoseconds are bigints`);
      assert.equal(got[field], BigInt(raw[field]), field);
    } else {
      assert.equal(typeof got[field], typeof value, field);
      assert.equal(got[field], value, field);
    }
  }
  // The story's numbers, so a vacuous run cannot pass.
  assert.ok(got.oom_kills >= 1, "seed-oom is OOM-killed within 2 h");
  assert.ok(got.orphan_failure_entries > 1000, "orphans pile up");
  assert.ok(got.failures_map_len > got.live_keys);
});

for (const id of ["manual", "seed-oom"]) {
  test(`${id}: nineteen fails give 19 requeues and a last backoff of 1000 s`, () => {
    const sim = Sim.preset(id);
    const calls = [];
    for (let i = 0; i < 19; i++) calls.push(sim.apply({ op: "fail", key: "k" }));
    if (id === "manual") {
      // A fresh bucket: the exponential limiter alone decides, 5ms · 2^(n-1) up to the cap.
      assert.match(calls[0], /^queue\.AddRateLimited\("k"\) → When\(\)=5ms \(failures 0→1\)/);
      assert.match(calls[17], /^queue\.AddRateLimited\("k"\) → When\(\)=10m55\.36s \(failures 17→18\)/);
    } // (in seed-oom the initial list has put the shared bucket ~10 s in debt, which wins early on)
    assert.match(calls[18], /^queue\.AddRateLimited\("k"\) → When\(\)=16m40s \(failures 18→19\)/);
    const row = sim.failures().find((f) => f.key === "k");
    assert.equal(row.requeues, 19);
    assert.equal(row.lastBackoffNs, 1_000n * NS_PER_S);
    assert.equal(row.lastBackoffNs, 1_000_000_000_000n);
    assert.equal(typeof row.nextRetryNs, "bigint");
    // The event log says the same, call for call.
    const fails = sim.events(0).filter((e) => e.type === "add_rate_limited" && e.key === "k");
    assert.deepEqual(fails.map((e) => e.call), calls);
    assert.equal(fails.at(-1).whenNs, 1_000_000_000_000n);
    assert.equal(fails.at(-1).failuresAfter, 19);
  });
}

test("bad inputs throw Errors naming the field and change nothing", () => {
  const sim = Sim.preset("seed-oom");
  sim.runUntil(60n * NS_PER_S);
  const before = fingerprint(sim);
  const cases = [
    [undefined, /^input: must be an object/],
    ["fail", /^input: must be an object/],
    [["fail", "k"], /^input: must be an object .*\(got an array\)$/],
    [{}, /^input\.op: missing/],
    [{ op: "fial", key: "k" }, /^input\.op: unknown op "fial"; one of add, fail, forget, get, done, succeed, change, delete$/],
    [{ op: 1 }, /^input\.op: must be a string/],
    [{ op: "fail" }, /^input\.key: missing/],
    [{ op: "fail", key: "" }, /^input\.key: key is empty$/],
    [{ op: "fail", key: 7 }, /^input\.key: must be a string/],
    [{ op: "fail", key: "x".repeat(254) }, /^input\.key: key is 254 bytes long/],
    [{ op: "get", key: "k" }, /^input\.key: get takes no key/],
    [{ op: "fail", key: "k", delay: "5s" }, /^input\.delay: unknown field/],
    [{ op: "delete", key: "ns/none" }, /^no object ns\/none exists$/],
    // What getters and proxies throw is caught: the Sim stays usable.
    [new Proxy({}, { ownKeys() { throw new Error("boom"); } }), /^input: cannot be read: boom$/],
    [{ op: "fail", get key() { throw new Error("getter"); } }, /^input\.key: cannot be read: getter$/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => sim.apply(input), (e) => e instanceof Error && message.test(e.message), String(message));
    assert.deepEqual(fingerprint(sim), before, `state after ${message}`);
  }
  for (const [ns, message] of [[-1, /^ns: /], [1.5, /^ns: /], ["2h", /^ns: /], [-1n, /^ns: /]]) {
    assert.throws(() => sim.runUntil(ns), (e) => e instanceof Error && message.test(e.message));
    assert.deepEqual(fingerprint(sim), before);
  }
  assert.throws(() => sim.events(-1), /^Error: since: /);
  assert.throws(() => Sim.preset("nope"), /^Error: id: no preset called "nope"/);
});

test("a bad scenario throws the message wqplay prints for it", () => {
  const dir = mkdtempSync(join(tmpdir(), "wqplay-js-"));
  try {
    const bad = [
      { version: 1, id: "x", workers: { count: "many" } },
      { version: 1, id: "x", limiter: { item_exponential: { base: "0s", max: "1s" } } },
      { version: 1, id: "x", wrokers: {} },
      { version: 2, id: "x" },
    ];
    for (const scenario of bad) {
      let message;
      assert.throws(() => Sim.fromScenario(scenario), (e) => ((message = e.message), e instanceof Error));
      const field = message.slice(0, message.indexOf(": "));
      assert.ok(["workers.count", "limiter.item_exponential.base", "wrokers", "version"].includes(field), message);
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify(scenario));
      const cli = wqplay(["run", file, "--until", "1s"]);
      assert.equal(cli.status, 2);
      assert.ok(cli.stderr.includes(`${file}: ${message}`), `${cli.stderr} should include ${message}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => Sim.fromScenario({ version: 1, id: "x", seed: 1n }), /^Error: \(document\): cannot be written as JSON/);
});

test("the clock, the log and the failures cross as documented", () => {
  const sim = Sim.fromScenario({ version: 1, id: "tiny", workers: { count: 1 }, informer: { initial_objects: 3 } });
  assert.equal(sim.now(), 0n);
  const at = sim.step();
  assert.equal(typeof at, "bigint");
  assert.equal(sim.now(), at);
  sim.runUntil(1_000_000_000); // a number is fine when it is a safe integer
  assert.equal(sim.now(), NS_PER_S);
  while (sim.step() !== undefined);
  const events = sim.events(0);
  for (const e of events) {
    assert.equal(typeof e.seq, "number");
    assert.equal(typeof e.atNs, "bigint");
    assert.equal(typeof e.type, "string");
    assert.equal(typeof e.text, "string");
    assert.equal(typeof e.call, "string");
  }
  assert.deepEqual(sim.events(3).map((e) => e.seq), events.slice(3).map((e) => e.seq));
  assert.deepEqual(sim.events(BigInt(sim.summary().events)), []);
  const get = events.find((e) => e.type === "get");
  assert.deepEqual(Object.keys(get), ["seq", "atNs", "type", "worker", "key", "requeues", "takesNs", "category", "text", "call"]);
  const manual = Sim.preset("manual");
  assert.equal(manual.step(), undefined);
  assert.equal(manual.apply({ op: "add", key: "ns/a" }), 'queue.Add("ns/a")');
  assert.equal(manual.apply({ op: "get" }), 'queue.Get() → "ns/a"');
  assert.equal(manual.apply({ op: "succeed", key: "ns/a" }), 'queue.Forget("ns/a"); queue.Done("ns/a")');
  manual.apply({ op: "fail", key: "ns/b" });
  assert.deepEqual(manual.failures(), [
    { key: "ns/b", requeues: 1, lastBackoffNs: 5_000_000n, nextRetryNs: 5_000_000n, lastFailedAtNs: 0n, status: "orphan" },
  ]);
  manual.free();
  assert.throws(() => manual.now(), Error);
});

test("the hand-written declarations name the fields the values have", () => {
  const dts = readFileSync(join(PKG, manifest.types), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const fieldsOf = (body) => [...body.matchAll(/(\w+)\??:/g)].map((m) => m[1]);
  const iface = (name) => fieldsOf(dts.match(new RegExp(`interface ${name} \\{([^}]*)\\}`))[1]);

  const sim = Sim.preset("seed-oom");
  sim.setEventCapacity(1 << 20);
  sim.runUntil(2n * 60n * NS_PER_S);
  sim.apply({ op: "change", key: "default/x" });
  assert.deepEqual(iface("Summary"), Object.keys(sim.summary()));
  assert.deepEqual(iface("Failure"), Object.keys(sim.failures()[0]));

  const base = iface("EventBase");
  const declared = new Map(
    [...dts.matchAll(/\{\s*type: "(\w+)";?([^}]*)\}/g)].map((m) => [m[1], ["type", ...fieldsOf(m[2])]]),
  );
  const outage = Sim.preset("outage");
  outage.setEventCapacity(1 << 20);
  outage.runUntil(100n * NS_PER_S); // outage_started, outage_ended
  const herd = Sim.preset("herd");
  herd.runUntil(2n * NS_PER_S); // a setting (the scripted herd)
  const manual = Sim.preset("manual");
  manual.apply({ op: "forget", key: "ns/a" });
  const seen = new Set();
  for (const e of [sim, outage, herd, manual].flatMap((s) => s.events(0))) {
    assert.ok(declared.has(e.type), `${e.type} is declared`);
    assert.deepEqual(Object.keys(e).sort(), [...base, ...declared.get(e.type)].sort(), e.type);
    seen.add(e.type);
  }
  assert.ok(seen.size >= 15, [...seen].join(", "));
});
