// "Scenarios from the field" in a real Chromium: the Scenario picker's three groups hold every
// preset; a field scenario shows what people expect, its threads as links and its guided tour,
// and running it puts its key number on the page; a preset's share link opens on its tour.
// Screenshots in light and dark under target/e2e/.
import assert from "node:assert/strict";
import { frames, ready, restored, seenText } from "./run.mjs";

const GROUPS = {
  "The seed story": ["manual", "seed-oom", "fixed", "poison", "outage", "dedup"],
  "From the field": [
    "forget-shared",
    "cap-1000s",
    "spurious-backoff",
    "success-hotloop",
    "bucket-hours",
    "herd",
    "bucket-10qps",
    "numrequeues-restart",
    "retries-vs-adds",
  ],
  "controller-runtime": ["cr-requeue-polling", "cr-terminal-leak"],
};

const SPURIOUS_THREADS = [
  ["kubernetes/kubernetes#132805", "https://github.com/kubernetes/kubernetes/issues/132805"],
  ["kubernetes/kubernetes#112325", "https://github.com/kubernetes/kubernetes/issues/112325"],
  ["kubernetes/kubernetes#136853", "https://github.com/kubernetes/kubernetes/issues/136853"],
];

/** [text, href] of every thread link under the picker. */
async function threadLinks(page) {
  const links = page.locator(".scenario .threads-list a");
  await links.first().waitFor({ timeout: 5_000 });
  return links.evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute("href")]));
}

const tourTitle = (page) => page.locator("#tour-step-title");

export const tests = [];

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `picker groups every preset; spurious-backoff shows its threads, tour and the 16m40s cap (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await ready(page, url);
      const groups = await page.locator("#scenario optgroup").evaluateAll((gs) =>
        gs.map((g) => [g.label, [...g.querySelectorAll("option")].map((o) => o.value)]),
      );
      assert.deepEqual(groups, Object.entries(GROUPS));
      const all = await page.locator("#scenario option").evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(all, Object.values(GROUPS).flat());

      await page.selectOption("#scenario", "spurious-backoff");
      const expectation = page.locator("#scenario-expectation");
      await expectation.waitFor({ timeout: 5_000 });
      assert.match(await seenText(expectation), /^People expect the backoff to double once per failed retry; .*16m40s cap\.$/);
      assert.deepEqual(await threadLinks(page), SPURIOUS_THREADS);
      for (const a of await page.locator(".scenario .threads-list a").all()) {
        assert.equal(await a.getAttribute("target"), "_blank");
        assert.match(await a.getAttribute("rel"), /noopener/);
      }

      // Its tour, from step 1 to the moment to watch.
      await tourTitle(page).filter({ hasText: "A one-minute outage" }).waitFor({ timeout: 5_000 });
      const tour = page.locator("section.tour");
      for (let i = 0; i < 3; i++) await tour.getByRole("button", { name: "Continue" }).click();
      await tourTitle(page).filter({ hasText: "The moment to watch" }).waitFor({ timeout: 5_000 });
      assert.match(await seenText(tour.locator(".tour-body")), /16m40s cap about 15s into the outage/);

      // Run it: the key's last backoff reaches the cap, computed by the simulation.
      await page.getByRole("button", { name: "Pause" }).click();
      await page.fill("#speed-factor", "5");
      await page.press("#speed-factor", "Enter");
      await page.getByRole("button", { name: "Play" }).click();
      const row = page
        .locator("section.failures tr")
        .filter({ has: page.getByRole("button", { name: "Select default/pod-0", exact: true }) });
      await row.filter({ hasText: "16m40s" }).waitFor({ timeout: 20_000 });
      await page.getByRole("button", { name: "Pause" }).click();
      assert.match(await seenText(row), /16m40s/);
      await page.locator("section.scenario").screenshot({ path: `target/e2e/field-picker-${scheme}.png` });
      await shot(`field-spurious-backoff-${scheme}`);
    },
  });
}

tests.push({
  name: "a preset's share link opens straight into its tour, with its threads",
  async run({ page, url, shot }) {
    await page.goto(`${url}#v=1&s=cap-1000s&seed=2`);
    await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
    await tourTitle(page).filter({ hasText: "One key that always fails" }).waitFor({ timeout: 10_000 });
    assert.equal(await page.inputValue("#scenario"), "cap-1000s");
    assert.match(await seenText(page.locator("#tour-progress")), /Step 1 of 4/);
    const links = await threadLinks(page);
    assert.deepEqual(
      links.map((l) => l[0]),
      ["submariner-io/submariner#404", "crossplane/crossplane-runtime#40", "kubernetes/kubernetes#98656"],
    );
    assert.equal(links[0][1], "https://github.com/submariner-io/submariner/issues/404");
    await shot("field-share-link-cap-1000s");
  },
});

tests.push({
  name: "cap-1000s: on the page, the 19th failure of default/pod-0 is the first to wait 16m40s (t=1310.905s)",
  timeout: 120_000,
  async run({ page, url }) {
    // 1 ms before the 19th failure: 18 failures, the last waited 5ms·2^17 = 655.36s.
    await panelAt(page, url, `v=1&s=cap-1000s&t=${ns(1310.904)}`, "failures", /default\/pod-0\s+18\s+10m55s/);
    // 1 ms after the 19th: the cap, 1000s = 16m40s, with its badge.
    await panelAt(page, url, `v=1&s=cap-1000s&t=${ns(1310.906)}`, "failures", /default\/pod-0\s+19\s+16m40s\s*cap\s+in 16m40s/i);
  },
});

/**
 * Opens `fragment` (a share link with a time cursor), waits until it is replayed there, and
 * returns the text of `panel` (a section's class) once it matches `pattern`: panels update a
 * few times a second, so this waits on the text, frame by frame, never on a fixed delay.
 */
async function panelAt(page, url, fragment, panel, pattern, timeout = 20_000) {
  await page.goto("about:blank");
  await page.goto(`${url}#${fragment}`);
  await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
  await restored(page, 60_000);
  const section = page.locator(`section.${panel}`).first();
  const until = Date.now() + timeout;
  for (;;) {
    const text = await seenText(section);
    if (pattern.test(text)) return text;
    if (Date.now() > until) assert.fail(`section.${panel} never matched ${pattern}; it reads:\n${text.slice(0, 2000)}`);
    await frames(page, 5);
  }
}

/** `secs` of virtual time as a share link's `t` (nanoseconds). */
const ns = (secs) => String(BigInt(Math.round(secs * 1000)) * 1_000_000n);

// Each field scenario's key number, read off the page at a time cursor: the same numbers
// tests/sim_field.rs asserts natively and the README's table quotes.
const KEY_NUMBERS = [
  {
    preset: "forget-shared",
    at: 6.5,
    panel: "log-panel",
    expect: [
      /t=4s\s+queue\.AddRateLimited\("default\/a"\) → When\(\)=80ms \(failures 4→5\)/,
      /t=5s\s+queue\.Forget\("default\/a"\)/,
      /t=6s\s+queue\.AddRateLimited\("default\/a"\) → When\(\)=5ms \(failures 0→1\)/,
    ],
  },
  {
    preset: "success-hotloop",
    at: 60,
    panel: "charts",
    expect: [/len\(failures\) is 0 now \(peak 1\)/, /workqueue_adds_total is 5455 and workqueue_retries_total 2727 now/],
  },
  {
    preset: "bucket-hours",
    at: 299.631,
    panel: "log-panel",
    expect: [/t=4m59\.63s\s+queue\.AddRateLimited\("default\/pod-548"\) → When\(\)=2h3m8\.18s/],
  },
  {
    preset: "herd",
    at: 1.001,
    panel: "log-panel",
    expect: [/queue\.AddRateLimited\("default\/pod-999"\) → When\(\)=1m30s \(failures 0→1\), bucket tokens -900\.0/],
  },
  {
    preset: "bucket-10qps",
    at: 0.991,
    panel: "log-panel",
    expect: [/t=990ms\s+queue\.AddRateLimited\("default\/pod-623"\) → When\(\)=2m27\.42s/],
  },
  {
    preset: "numrequeues-restart",
    at: 119.99,
    panel: "failures",
    expect: [/default\/pod-0\s+15\s+1m22s/],
  },
  {
    preset: "retries-vs-adds",
    at: 600,
    panel: "charts",
    expect: [/workqueue_adds_total is 2071 and workqueue_retries_total 2072 now/],
  },
  {
    preset: "cr-requeue-polling",
    at: 600,
    panel: "failures",
    expect: [/default\/pod-10\s+17\s+5m28s/],
  },
  {
    preset: "cr-terminal-leak",
    at: 600,
    panel: "leak-panel",
    expect: [/17 failures entries of deleted objects .* stay forever: their last reconcile returned a TerminalError/],
  },
];

for (const { preset, at, panel, expect } of KEY_NUMBERS) {
  tests.push({
    name: `${preset}: its key number on the page at t=${at}s (${expect.map(String).join(", ").slice(0, 90)})`,
    timeout: 120_000,
    async run({ page, url }) {
      const all = new RegExp(expect.map((re) => `(?=[\\s\\S]*${re.source})`).join(""));
      const text = await panelAt(page, url, `v=1&s=${preset}&t=${ns(at)}`, panel, all);
      for (const re of expect) assert.match(text, re);
    },
  });
}

tests.push({
  name: "numrequeues-restart: after the redeploy at 2m the count starts over, and the key is never dropped",
  timeout: 120_000,
  async run({ page, url }) {
    const after = await panelAt(page, url, `v=1&s=numrequeues-restart&t=${ns(120.5)}`, "failures", /default\/pod-0\s+\d+\s/);
    const count = Number(after.match(/default\/pod-0\s+(\d+)\s/)[1]);
    assert.ok(count < 15, `NumRequeues after the redeploy: ${count}`);
    await panelAt(page, url, `v=1&s=numrequeues-restart&t=${ns(1800)}`, "failures", /default\/pod-0\s+\d+\s/);
  },
});
