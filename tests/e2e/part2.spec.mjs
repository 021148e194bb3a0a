// Part 2 views in a real Chromium: leak detector, Go code panel (line highlighting).
// Each view is screenshotted in light and dark under target/e2e/.
import assert from "node:assert/strict";
import { act, frames, keyPanel, ready, seenText, untilVirtual } from "./run.mjs";

async function loadScenario(page, id, speed) {
  await page.selectOption("#scenario", id);
  if (speed) {
    // The speed field is re-rendered every frame while playing: set it while paused.
    await page.getByRole("button", { name: "Pause" }).click();
    await page.fill("#speed-factor", String(speed));
    await page.press("#speed-factor", "Enter");
    await page.getByRole("button", { name: "Play" }).click();
  }
}

const codeLine = (page, anchor) => page.locator(`#code-listing .code-line[data-anchor='${anchor}']`);

export const tests = [];

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `code panel highlights failures[item]++ on Fail and the delete on Forget (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await ready(page, url);
      await page.getByRole("tab", { name: /client-go internals/ }).click();
      await act(page, "default/a", "Fail");
      await codeLine(page, "FailuresIncrement").and(page.locator(".running.main")).waitFor({ timeout: 5_000 });
      assert.match(await seenText(page.locator(".code-caption")), /AddRateLimited\("default\/a"\)/);
      await shot(`part2-code-fail-${scheme}`);
      await act(page, "default/a", "Forget");
      await codeLine(page, "FailuresDelete").and(page.locator(".running")).waitFor({ timeout: 5_000 });
      assert.equal(await page.locator("#code-listing .code-line.running").count(), 1);
      assert.match(await seenText(page.locator(".code-caption")), /queue\.Forget\("default\/a"\)/);
      // Where the port differs from client-go, said beside client-go's code.
      await page.locator("details.fidelity summary", { hasText: "How exact is this port?" }).click();
      const fidelity = page.locator("details.fidelity");
      await fidelity.locator("li").nth(3).waitFor({ state: "visible", timeout: 5_000 });
      assert.match(await seenText(fidelity), /real client-go v0\.37\.2/);
      assert.match(await seenText(fidelity), /time\.Now\(\)/);
      assert.equal(await fidelity.locator("li").count(), 4);
      await fidelity.screenshot({ path: `target/e2e/part2-fidelity-${scheme}.png` });
    },
  });

  tests.push({
    name: `leak detector names the seed bug with numbers and links its code line (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await ready(page, url);
      await loadScenario(page, "seed-oom", 100);
      const finding = page.locator("[data-finding='map-outgrows-failures']");
      await finding.waitFor({ timeout: 20_000 });
      const text = await seenText(finding);
      assert.match(text, /failures map [\d\u202f]+ ≫ failing keys \d+: Forget is never called on success/);
      await page.locator("[data-finding='change-rate-limited']").waitFor({ timeout: 10_000 });
      await finding.getByRole("button", { name: /Show line/ }).click();
      assert.equal(await page.getByRole("tab", { name: /Buggy controller/ }).getAttribute("aria-selected"), "true");
      await codeLine(page, "MissingForget").and(page.locator(".focus")).waitFor({ timeout: 5_000 });
      await page.locator("section.leak-panel").screenshot({ path: `target/e2e/part2-leaks-${scheme}.png` });
      await page.locator("section.code-panel").screenshot({ path: `target/e2e/part2-code-${scheme}.png` });
      await shot(`part2-seed-oom-${scheme}`);
    },
  });
}

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `charts: failures vs live keys, memory sawtooth with OOM marks, crosshair, log-y, data table (${scheme})`,
    context: { colorScheme: scheme },
    timeout: 200_000,
    async run({ page, url, shot }) {
      await ready(page, url);
      await loadScenario(page, "seed-oom", 10000);
      const mem = page.locator("#chart-memory");
      // The first OOM kill comes after about 1h virtual; on a loaded machine the page may
      // run slower than asked, so allow time.
      await mem.locator(".mark").first().waitFor({ timeout: 180_000 });
      assert.match(await seenText(mem.locator(".summary")), /OOM kill/);
      const fail = page.locator("#chart-failures");
      assert.match(await seenText(fail.locator(".summary")), /len\(failures\) is [\d\u202f]+ now/);
      // Pause, then hover: every chart shows the crosshair at the same time.
      await page.getByRole("button", { name: "Pause" }).click();
      const svg = fail.locator("svg.chart-svg");
      await svg.scrollIntoViewIfNeeded();
      const box = await svg.boundingBox();
      await svg.hover({ position: { x: box.width * 0.6, y: box.height * 0.5 } });
      await page.locator("#chart-depth .crosshair").waitFor({ state: "attached", timeout: 5_000 });
      // Read in place: scrolling would move the chart from under the pointer.
      const t1 = await fail.locator(".readout .mono").innerText();
      const t2 = await page.locator("#chart-memory .readout .mono").innerText();
      assert.equal(t1, t2);
      await page.check("#charts-log");
      await mem.getByRole("button", { name: "Data table" }).click();
      assert.ok((await mem.locator("table.chart-table tbody tr").count()) > 5);
      await page.locator("section.charts").screenshot({ path: `target/e2e/part2-charts-${scheme}.png` });
      await shot(`part2-charts-page-${scheme}`);
    },
  });
}

async function pausedRun(page, url) {
  await ready(page, url);
  await loadScenario(page, "seed-oom", 100);
  await untilVirtual(page, 60);
  await page.getByRole("button", { name: "Pause" }).click();
  await act(page, "default/pod-3", "Fail");
  await page.waitForFunction(() => location.hash.includes("&in="));
  return {
    link: await page.inputValue("#share-link"),
    hash: await seenText(page.locator("#trace-hash")),
    time: await seenText(page.locator("#virtual-time")),
  };
}

tests.push({
  name: "a share link round-trips in a fresh browser: same event-log hash and time",
  context: { colorScheme: "light" },
  async run({ page, url, context, shot }) {
    const a = await pausedRun(page, url);
    assert.match(a.link, /#v=1&s=seed-oom&seed=42&in=[\w-]+&t=\d+$/);
    const fresh = await context.browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const b = await fresh.newPage();
      await b.goto(a.link);
      await b.getByRole("heading", { level: 1 }).waitFor();
      await b.waitForFunction((h) => document.querySelector("#trace-hash")?.textContent === h, a.hash, { timeout: 20_000 });
      assert.equal(await seenText(b.locator("#virtual-time")), a.time);
      assert.equal(await b.locator("#scenario").inputValue(), "seed-oom");
      assert.equal(await b.locator("#share-message").count(), 0);
      await b.locator("section.share-bar").screenshot({ path: "target/e2e/part2-share-light.png" });
    } finally {
      await fresh.close();
    }
  },
});

tests.push({
  name: "reload restores the autosaved run; Reset to defaults forgets it (dark)",
  context: { colorScheme: "dark" },
  async run({ page, url }) {
    const a = await pausedRun(page, url);
    await page.goto(url); // no fragment: the autosave is restored
    await page.waitForFunction((h) => document.querySelector("#trace-hash")?.textContent === h, a.hash, { timeout: 20_000 });
    assert.equal(await seenText(page.locator("#virtual-time")), a.time);
    await page.locator("section.share-bar").screenshot({ path: "target/e2e/part2-share-dark.png" });
    await page.locator("section.export-panel").screenshot({ path: "target/e2e/part2-export-dark.png" });
    await page.locator("section.leak-panel").screenshot({ path: "target/e2e/part2-leaks-restored-dark.png" });
    await page.getByRole("button", { name: "Reset to defaults" }).click();
    await page.waitForFunction(() => document.querySelector("#scenario")?.value === "manual");
    await page.goto(url);
    await page.getByRole("heading", { level: 1 }).waitFor();
    // The startup's autosave restore (if any) starts on the first frames: let them pass.
    await frames(page, 5);
    await page.getByRole("progressbar", { name: "Restoring the run" }).waitFor({ state: "detached", timeout: 10_000 });
    assert.equal(await page.locator("#scenario").inputValue(), "manual");
  },
});

for (const [scheme, frag, why] of [
  ["light", "#v=1&sc=%%%", /could not be opened \(scenario \(sc=\) is not valid base64url/],
  ["dark", "#v=9&s=seed-oom", /newer playground/],
]) {
  tests.push({
    name: `a malformed or future link shows a message and the page keeps working (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await page.goto(url + frag);
      const msg = page.locator("#share-message");
      await msg.waitFor({ timeout: 10_000 });
      assert.match(await seenText(msg), why);
      await act(page, "default/ok", "Add");
      await page.locator("section[aria-labelledby='items-h']").getByText("default/ok").first().waitFor();
      await shot(`part2-bad-link-${scheme}`);
    },
  });
}

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `split view: the buggy side has the larger failures map after seed-oom runs (${scheme})`,
    context: { colorScheme: scheme },
    timeout: 90_000,
    async run({ page, url, shot }) {
      await ready(page, url);
      await loadScenario(page, "seed-oom", 1000);
      await page.getByRole("button", { name: "Open split view" }).click();
      await page.waitForFunction(() => {
        const t = document.querySelector("#virtual-time")?.textContent ?? "";
        return /\dm/.test(t); // at least a minute of virtual time
      }, null, { timeout: 60_000 });
      await page.getByRole("button", { name: "Pause" }).click();
      const split = page.locator("section.split-view");
      const buggy = Number(await split.locator("[data-side='left']").getAttribute("data-failures"));
      const fixed = Number(await split.locator("[data-side='right']").getAttribute("data-failures"));
      assert.ok(buggy > 5 * Math.max(fixed, 1), `buggy ${buggy} vs fixed ${fixed}`);
      const chip = await seenText(split.locator("[data-chip='failures map']"));
      assert.match(chip, /failures map [\d\u202f]+ vs \d+/);
      assert.equal(await split.locator(".diff-chip").count(), 4);
      await split.screenshot({ path: `target/e2e/part2-split-${scheme}.png` });
    },
  });
}

tests.push({
  name: "a 3 h link restores with its progress shown; the split view opened there catches up from t=0 the same way, the page usable meanwhile (light)",
  context: { colorScheme: "light" },
  timeout: 90_000,
  async run({ page, url }) {
    // A link to seed-oom paused at 3 h of virtual time: the split view starts at t=0.
    const ns = BigInt(3 * 3600) * 1_000_000_000n;
    await ready(page, `${url}#v=1&s=seed-oom&seed=42&t=${ns}`);
    // The link is replayed a slice per frame with its progress shown, then paused at 3 h.
    const restoring = page.getByRole("progressbar", { name: "Restoring the run" });
    await restoring.waitFor({ timeout: 5_000 });
    await restoring.waitFor({ state: "detached", timeout: 30_000 });
    assert.equal(await seenText(page.locator("#virtual-time")), "t=3h0m0s");
    const split = page.locator("section.split-view");
    await page.getByRole("button", { name: "Open split view" }).click();
    const progress = split.getByRole("progressbar", { name: "Split view catching up" });
    await progress.waitFor({ timeout: 5_000 });
    assert.match(await seenText(split.locator(".catch-up")), /Replaying both worlds from t=0 to the page's clock: t=.+ of t=3h0m0s/);
    // The page answers while the split view catches up: the theme toggle still works.
    const theme = page.getByRole("button", { name: /^Theme:/ });
    const before = await theme.innerText();
    await theme.click();
    assert.notEqual(await theme.innerText(), before);
    await split.locator("[data-chip='failures map']").waitFor({ timeout: 60_000 });
    assert.equal(await progress.count(), 0);
    assert.match(await seenText(split.locator("p.small").first()), /at t=3h0m0s on the page's clock/);
    const buggy = Number(await split.locator("[data-side='left']").getAttribute("data-failures"));
    const fixed = Number(await split.locator("[data-side='right']").getAttribute("data-failures"));
    assert.ok(buggy > 5 * Math.max(fixed, 1), `buggy ${buggy} vs fixed ${fixed}`);
  },
});

async function scrubTo(page, ms) {
  await page.evaluate((v) => {
    const r = document.querySelector("#scrub-range");
    r.value = String(v);
    r.dispatchEvent(new Event("change", { bubbles: true }));
  }, ms);
}

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `seeking back shows the past; acting there forks the future; undo restores it (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url }) {
      await ready(page, url);
      // Plays until the clock has moved at least `ms` of virtual time (1×), then pauses.
      const play = async (ms) => {
        const from = Number(await page.inputValue("#scrub-range"));
        await page.getByRole("button", { name: "Play" }).click();
        await page.waitForFunction((t) => Number(document.querySelector("#scrub-range")?.value) >= t, from + ms, { timeout: 20_000 });
        await page.getByRole("button", { name: "Pause" }).click();
      };
      await page.getByRole("button", { name: "Pause" }).click();
      await act(page, "default/a", "Fail");
      await play(800);
      const mid = Number(await page.inputValue("#scrub-range"));
      await play(400);
      await act(page, "default/b", "Fail");
      await play(600);
      const fullHash = await seenText(page.locator("#trace-hash"));
      const fullTime = await seenText(page.locator("#virtual-time"));
      const summary = () => seenText(page.locator("#chart-failures .summary"));
      assert.match(await summary(), /len\(failures\) is 2 now/);

      await scrubTo(page, mid);
      await page.locator("#scrub-future").waitFor();
      assert.match(await seenText(page.locator("#scrub-future")), /1 recorded input/);
      assert.match(await summary(), /len\(failures\) is 1 now/);
      await page.locator("section.scrubber").screenshot({ path: `target/e2e/part2-scrubber-past-${scheme}.png` });

      await act(page, "default/c", "Fail"); // fork: the recorded Fail(b) is dropped
      await page.locator("#scrub-future").waitFor({ state: "detached" });
      await page.getByRole("button", { name: "To the end" }).click();
      assert.notEqual(await seenText(page.locator("#trace-hash")), fullHash);

      await page.getByRole("button", { name: /^Undo/ }).click(); // drops Fail(c), restores Fail(b)
      await scrubTo(page, mid);
      await page.locator("#scrub-future").waitFor();
      await page.getByRole("button", { name: "To the end" }).click();
      await page.waitForFunction(() => !document.querySelector("#scrub-future"));
      // Same inputs at the same instants: the same trace as before the fork, at the same time.
      await scrubTo(page, Number(await page.getAttribute("#scrub-range", "max")));
      const t = await seenText(page.locator("#virtual-time"));
      assert.equal(t, fullTime);
      assert.equal(await seenText(page.locator("#trace-hash")), fullHash);
      await page.locator("section.scrubber").screenshot({ path: `target/e2e/part2-scrubber-${scheme}.png` });
    },
  });
}

async function downloadText(page, buttonName) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: buttonName, exact: true }).click()]);
  const { readFile } = await import("node:fs/promises");
  return { name: dl.suggestedFilename(), text: await readFile(await dl.path(), "utf8") };
}

tests.push({
  name: "export trace JSON, metrics CSV and charts SVG; importing the JSON replays the same trace; a bad file is refused",
  context: { colorScheme: "light", acceptDownloads: true },
  async run({ page, url, context }) {
    const a = await pausedRun(page, url);
    const trace = await downloadText(page, "Trace (JSON)");
    assert.equal(trace.name, "workqueue-trace.json");
    const json = JSON.parse(trace.text);
    assert.equal(json.format, "workqueue-playground-trace");
    assert.equal(json.trace_hash, a.hash);
    const csv = await downloadText(page, "Metrics (CSV)");
    assert.match(csv.text.split("\n")[0], /^time_s,workqueue_depth,workqueue_adds_total,workqueue_retries_total,failures_len/);
    assert.ok(csv.text.split("\n").length > 10);
    const svg = await downloadText(page, "Charts (SVG)");
    assert.match(svg.text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok((svg.text.match(/<path/g) ?? []).length >= 5);

    const fresh = await context.browser().newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const b = await fresh.newPage();
      await b.goto(url);
      await b.getByRole("heading", { level: 1 }).waitFor();
      await b.setInputFiles("#import-trace", { name: "bad.json", mimeType: "application/json", buffer: Buffer.from("{\"format\":\"workqueue-playground-trace\",\"version\":7}") });
      await b.locator("#export-status").waitFor();
      assert.match(await seenText(b.locator("#export-status")), /could not be imported \(made by a newer playground/);
      assert.equal(await b.locator("#scenario").inputValue(), "manual");
      await b.setInputFiles("#import-trace", { name: "t.json", mimeType: "application/json", buffer: Buffer.from(trace.text) });
      await b.waitForFunction((h) => document.querySelector("#trace-hash")?.textContent === h, a.hash, { timeout: 20_000 });
      assert.equal(await seenText(b.locator("#virtual-time")), a.time);
      await b.locator("section.export-panel").screenshot({ path: "target/e2e/part2-export-light.png" });
    } finally {
      await fresh.close();
    }
  },
});

tests.push({
  name: "guided tour: Back/Continue and arrow keys through the seed-oom steps to Things to try (light)",
  context: { colorScheme: "light" },
  async run({ page, url, shot }) {
    await ready(page, url);
    await loadScenario(page, "seed-oom");
    const tour = page.locator("section.tour");
    await tour.getByText("Step 1 of 5").waitFor();
    await tour.getByRole("button", { name: "Continue" }).click();
    assert.equal(await seenText(tour.locator("#tour-progress")), "Step 2 of 5");
    await tour.getByRole("button", { name: "Back" }).click();
    assert.equal(await seenText(tour.locator("#tour-progress")), "Step 1 of 5");
    // The keyboard: with focus on a tour button, → and ← step, End and Home jump.
    await tour.getByRole("button", { name: "Continue" }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await seenText(tour.locator("#tour-progress")), "Step 2 of 5");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await seenText(tour.locator("#tour-progress")), "Step 1 of 5");
    await page.keyboard.press("End");
    assert.equal(await seenText(tour.locator("#tour-step-title")), "Things to try");
    await page.keyboard.press("Home");
    assert.equal(await seenText(tour.locator("#tour-progress")), "Step 1 of 5");
    for (let i = 0; i < 5; i++) await tour.getByRole("button", { name: "Continue" }).click();
    assert.equal(await seenText(tour.locator("#tour-step-title")), "Things to try");
    await tour.screenshot({ path: "target/e2e/part2-tour-light.png" });
    await loadScenario(page, "poison");
    await tour.getByText("Step 1 of 3").waitFor();
  },
});

tests.push({
  name: "offline after the first load: the service worker serves the app (dark)",
  context: { colorScheme: "dark" },
  async run({ page, url, context }) {
    await ready(page, url);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 10_000 });
    await act(page, "default/offline", "Fail");
    await page.locator("#chart-failures .summary").getByText(/len\(failures\) is 1 now/).waitFor();
    await page.locator("section.tour").screenshot({ path: "target/e2e/part2-tour-dark.png" });
  },
});

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `change → reconcile latency chart (replayed run): p50 and p99 of seed-oom (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url }) {
      await ready(page, url);
      await loadScenario(page, "seed-oom", 100);
      await untilVirtual(page, 60);
      await page.getByRole("button", { name: "Pause" }).click();
      await page.click("#latency-button");
      const chart = page.locator("#chart-latency");
      await chart.waitFor({ timeout: 20_000 });
      assert.match(await seenText(chart.locator(".summary")), /^Replayed to .*: in the latest interval a change waited .+ at the median and .+ at the 99th percentile/);
      assert.equal(await chart.locator("path.series").count(), 2);
      assert.equal(await page.locator("#latency-button").count(), 0, "up to date: no recompute button");
      await chart.screenshot({ path: `target/e2e/part2-latency-${scheme}.png` });
    },
  });
}
