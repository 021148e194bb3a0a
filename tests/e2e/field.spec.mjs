// "Scenarios from the field" in a real Chromium: the Scenario picker's three groups hold every
// preset; a field scenario shows what people expect, its threads as links and its guided tour,
// and running it puts its key number on the page; a preset's share link opens on its tour.
// Screenshots in light and dark under target/e2e/.
import assert from "node:assert/strict";
import { ready, seenText } from "./run.mjs";

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

/** The failures map's row for `key`, once the restored link has been replayed to its cursor. */
async function failuresRow(page, url, fragment, key) {
  // Only the fragment differs between calls: leave first, or the page would not load anew.
  await page.goto("about:blank");
  await page.goto(`${url}#${fragment}`);
  await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
  const restoring = page.getByRole("progressbar", { name: "Restoring the run" });
  await restoring.waitFor({ state: "detached", timeout: 60_000 });
  const table = page.getByRole("table", { name: "Failures map" });
  const row = table.locator("tr", { has: page.getByRole("button", { name: `Select ${key}`, exact: true }) });
  await row.waitFor({ timeout: 10_000 });
  return seenText(row);
}

tests.push({
  name: "cap-1000s: on the page, the 19th failure of default/pod-0 is the first to wait 16m40s (t=1310.905s)",
  timeout: 120_000,
  async run({ page, url }) {
    // 1 ms before the 19th failure: 18 failures, the last waited 5ms·2^17 = 655.36s.
    const before = await failuresRow(page, url, `v=1&s=cap-1000s&t=${1_310_904_000_000n}`, "default/pod-0");
    assert.match(before, /default\/pod-0\s+18\s+10m55s/);
    // 1 ms after the 19th: the cap, 1000s = 16m40s, with its badge.
    const at = await failuresRow(page, url, `v=1&s=cap-1000s&t=${1_310_906_000_000n}`, "default/pod-0");
    assert.match(at, /default\/pod-0\s+19\s+16m40s\s*cap\s+in 16m40s/i);
  },
});
