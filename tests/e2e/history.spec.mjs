// The page and the simulation's own History agree: a run built by clicking (acts while paused
// and while playing, Step, Undo) has a share link; `wqplay replay` rebuilds that link natively
// with sim::History and must reach the same trace hash, time and len(failures) as the page.
// And an action while the clock plays shows in the table at once.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { act, frames, ready, restored, seenText, untilVirtual } from "./run.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs the native CLI (WQPLAY_BIN, else cargo run) and parses its JSON summary. */
function replay(link) {
  const [cmd, pre] = process.env.WQPLAY_BIN
    ? [process.env.WQPLAY_BIN, []]
    : ["cargo", ["run", "--quiet", "--release", "--no-default-features", "--bin", "wqplay", "--"]];
  const r = spawnSync(cmd, [...pre, "replay", link, "--format", "json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 1 << 26,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `wqplay replay failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The page's own figures: share link, trace hash, time (ns) and len(failures). */
async function pageState(page) {
  await frames(page, 3);
  const link = await page.inputValue("#share-link");
  // A link at t=0 leaves the cursor out.
  const t = BigInt(new URL(link).hash.match(/[#&]t=(\d+)/)?.[1] ?? 0);
  return {
    link,
    t,
    trace: (await seenText(page.locator("#trace-hash"))).trim(),
    len: Number((await seenText(page.locator("#len-failures"))).trim()),
  };
}

async function setSpeed(page, speed) {
  await page.fill("#speed-factor", String(speed));
  await page.press("#speed-factor", "Enter");
}

export const tests = [];

tests.push({
  name: "a run built by clicking and History's replay of its share link agree (trace, time, len(failures))",
  timeout: 180_000,
  async run({ page, url }) {
    await ready(page, `${url}#v=1&s=fixed&t=1000000000`);
    await restored(page);
    await page.getByRole("button", { name: "Play" }).waitFor({ timeout: 10_000 });

    // Acts while paused, a few steps, then time under way and more acts.
    await act(page, "ns/a", "Fail");
    await act(page, "ns/a", "Add");
    await act(page, "ns/b", "Fail");
    await act(page, "ns/b", "Fail");
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Step", exact: true }).click();
    await setSpeed(page, 5);
    await page.getByRole("button", { name: "Play" }).click();
    await untilVirtual(page, 2.5);
    await act(page, "ns/c", "Fail");
    await untilVirtual(page, 3.5);
    await page.getByRole("button", { name: "Pause" }).click();
    await act(page, "ns/b", "Forget");
    await act(page, "ns/d", "Fail");
    // Undo takes back the last act (ns/d).
    await page.getByRole("button", { name: /^Undo \(\d+\)$/ }).click();
    await act(page, "ns/e", "Fail");

    const first = await pageState(page);
    const native = replay(first.link);
    assert.equal(native.trace_hash, first.trace, `trace of ${first.link}`);
    assert.equal(BigInt(native.time_ns), first.t);
    assert.equal(native.failures_map_len, first.len);

    // Back in time (the scrubber's seek), then the page and History still agree.
    await page.getByRole("button", { name: "To t=0" }).click();
    const start = await pageState(page);
    assert.equal(start.t, 0n);
    const back = replay(start.link);
    assert.equal(back.trace_hash, start.trace);
    assert.equal(back.failures_map_len, start.len);
  },
});

tests.push({
  name: "an action while the clock plays shows in the items table and the failures map at once",
  async run({ page, url }) {
    await ready(page, `${url}#v=1&s=manual`);
    await restored(page);
    const play = page.getByRole("button", { name: "Play" });
    if (await play.isVisible()) await play.click();
    await page.getByRole("button", { name: "Pause" }).waitFor({ timeout: 5_000 });
    await setSpeed(page, 1);
    await act(page, "ns/live", "Fail");
    const items = page.getByRole("table", { name: "Items" });
    await items.locator("tr", { has: page.getByRole("button", { name: "Select ns/live", exact: true }) }).waitFor({ timeout: 5_000 });
    const failures = page.getByRole("table", { name: "Failures map" });
    const row = failures.locator("tr", { has: page.getByRole("button", { name: "Select ns/live", exact: true }) });
    await row.waitFor({ timeout: 5_000 });
    // No object ns/live exists, so its entry is an orphan from the start: 1 failure, 5ms.
    assert.match(await seenText(row), /^ns\/live\s[\s\S]*\s1\s+5ms\s/);
    // Still playing: the clock moved on while the tables showed the act.
    await page.getByRole("button", { name: "Pause" }).waitFor({ timeout: 1_000 });
  },
});

tests.push({
  name: "len(failures) is one per-item map's; a MaxOf of two names both maps with their lengths",
  async run({ page, url }) {
    const scenario = {
      version: 1,
      id: "two-maps",
      limiter: {
        max_of: [
          { item_exponential: { base: "5ms", max: "16m40s" } },
          { item_fast_slow: { fast: "10ms", slow: "10s", max_fast_attempts: 3 } },
        ],
      },
    };
    const inputs = ["ns/a", "ns/b", "ns/c"].map((k) => ({ s: 0, t: 0, i: { fail: k } }));
    const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
    await ready(page, `${url}#v=1&sc=${b64(scenario)}&in=${b64(inputs)}`);
    await restored(page);
    const note = page.locator("#failure-maps");
    await note.waitFor({ timeout: 10_000 });
    assert.match(await seenText(note), /ItemExponentialFailureRateLimiter 3, ItemFastSlowRateLimiter 3\. Their memory adds up\./);
    assert.equal((await seenText(page.locator("#len-failures"))).trim(), "3");
  },
});
