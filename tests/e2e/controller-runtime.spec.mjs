// controller-runtime's priority queue in a real Chromium: the Queue picker redeploys the
// controller, keys take a Priority, Get hands out the highest priority first (client-go's
// queue would hand out the oldest), and the form picks what Reconcile returns.
// Screenshots in light and dark under target/e2e/.
import assert from "node:assert/strict";
import { keyPanel, ready, seenText } from "./run.mjs";

const controllerPanel = (page) => page.locator("section[aria-labelledby='controller-h']");
const items = (page) => page.getByRole("table", { name: "Items" });

async function add(page, key, priority) {
  await page.getByRole("textbox", { name: "Key", exact: true }).fill(key);
  await page.getByRole("textbox", { name: "Priority", exact: true }).fill(priority);
  await keyPanel(page).getByRole("button", { name: "Add", exact: true }).click();
}

/** The text of the Items row for `key` (the row holding its Select button). */
async function row(page, key) {
  const r = items(page).locator("tr", { has: page.getByRole("button", { name: `Select ${key}`, exact: true }) });
  await r.waitFor({ timeout: 5_000 });
  return seenText(r);
}

export const tests = [];

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `priority queue: Queue picker, Priority field, Get takes the highest priority, Reconcile returns (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await ready(page, url);
      const queue = page.getByRole("combobox", { name: "Queue", exact: true });
      // client-go's queue: no Priority field, the policy picker, no Reconcile picker.
      assert.equal(await page.getByRole("textbox", { name: "Priority", exact: true }).count(), 0);
      assert.equal(await page.getByRole("combobox", { name: "Reconcile returns" }).count(), 0);
      await page.getByRole("combobox", { name: "Policy" }).waitFor();

      await queue.selectOption({ label: "controller-runtime priority queue" });
      const reconcile = page.getByRole("combobox", { name: "Reconcile returns" });
      await reconcile.waitFor({ timeout: 5_000 });
      assert.equal(await reconcile.locator("option").count(), 5);
      assert.equal(await page.getByRole("combobox", { name: "Policy" }).count(), 0);

      // A priority that is not a number is refused by name, and nothing is added.
      await add(page, "ns/bad", "high");
      assert.match(await seenText(page.locator("#key-priority-error")), /“high” is not a whole number/);
      assert.equal(await items(page).getByRole("button", { name: "Select ns/bad" }).count(), 0);

      // ns/old first at priority 0, then ns/urgent at 10: Get must hand out ns/urgent.
      await add(page, "ns/old", "");
      await add(page, "ns/urgent", "10");
      assert.match(await row(page, "ns/urgent"), /queued\s*10/);
      assert.match(await row(page, "ns/old"), /queued\s*0/);
      await keyPanel(page).getByRole("button", { name: "Get", exact: true }).click();
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll("table.items tr")].map((r) => r.textContent);
        return rows.some((t) => t.includes("ns/urgent") && t.includes("processing"));
      }, null, { timeout: 5_000 });
      assert.match(await row(page, "ns/old"), /queued/);
      // workqueue_depth carries a priority label here: the chart splits it.
      const depth = page.locator("#chart-depth");
      await depth.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        () => /By priority now: 0 above 0, 1 at 0, 0 below 0/.test(document.querySelector("#chart-depth .summary")?.textContent ?? ""),
        null,
        { timeout: 10_000 },
      );
      assert.match(await seenText(depth), /depth\{priority>0\}[\s\S]*depth\{priority=0\}[\s\S]*depth\{priority<0\}/);
      await depth.screenshot({ path: `target/e2e/cr-depth-${scheme}.png` });

      // The Go code panel opens on controller-runtime's handler and lights the Get that ran.
      await page.getByRole("tab", { name: /controller-runtime/ }).click();
      await page.locator("#code-listing .code-line[data-anchor='CrGet'].running").waitFor({ timeout: 5_000 });
      assert.match(await seenText(page.locator(".code-caption")), /GetWithPriority\(\) → "ns\/urgent", 10/);
      await page.locator("section.code-panel").screenshot({ path: `target/e2e/cr-code-${scheme}.png` });

      // Requeue after shows its delay field; Result.Priority is there for every result.
      await reconcile.selectOption("requeue_after");
      await page.getByRole("textbox", { name: /^Requeue after/ }).waitFor({ timeout: 5_000 });
      await page.getByRole("textbox", { name: /^Result\.Priority/ }).waitFor();
      await controllerPanel(page).screenshot({ path: `target/e2e/cr-controller-${scheme}.png` });
      await shot(`cr-priority-queue-${scheme}`);

      // Back to client-go: the policy returns and the Priority field goes.
      await queue.selectOption({ label: "client-go workqueue" });
      await page.getByRole("combobox", { name: "Policy" }).waitFor({ timeout: 5_000 });
      assert.equal(await page.getByRole("textbox", { name: "Priority", exact: true }).count(), 0);
    },
  });
}

/** How many Items rows hold `key`, by state. */
async function statesOf(page, key) {
  return page.evaluate((k) => {
    const rows = [...document.querySelectorAll("table.items tbody tr")];
    return rows
      .filter((r) => r.querySelector(`button[aria-label='Select ${k}']`))
      .map((r) => r.querySelector(".badge")?.textContent.replace(/[^a-z+]/g, "") ?? "");
  }, key);
}

tests.push({
  name: "Fail then Add: client-go keeps a queued and a waiting row, the priority queue one ready row",
  async run({ page, url }) {
    await ready(page, url);
    // Paused, so the 5ms backoff cannot elapse between the two clicks.
    await page.getByRole("button", { name: "Pause" }).click();
    const act = async (key, action) => {
      await page.getByRole("textbox", { name: "Key", exact: true }).fill(key);
      await keyPanel(page).getByRole("button", { name: action, exact: true }).click();
    };
    await act("ns/pod-7", "Fail");
    await act("ns/pod-7", "Add");
    await page.waitForFunction(() => document.querySelectorAll("table.items tbody button[aria-label='Select ns/pod-7']").length === 2, null, { timeout: 5_000 });
    assert.deepEqual((await statesOf(page, "ns/pod-7")).sort(), ["queued", "waiting"]);

    await page.getByRole("combobox", { name: "Queue", exact: true }).selectOption({ label: "controller-runtime priority queue" });
    await page.getByRole("combobox", { name: "Reconcile returns" }).waitFor({ timeout: 5_000 });
    await act("ns/pod-8", "Fail");
    await page.waitForFunction(() => document.querySelectorAll("table.items tbody button[aria-label='Select ns/pod-8']").length === 1, null, { timeout: 5_000 });
    assert.deepEqual(await statesOf(page, "ns/pod-8"), ["waiting"]);
    await act("ns/pod-8", "Add");
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll("table.items tbody tr")].filter((r) => r.querySelector("button[aria-label='Select ns/pod-8']"));
      return rows.length === 1 && /queued/.test(rows[0].textContent);
    }, null, { timeout: 5_000 });
    assert.deepEqual(await statesOf(page, "ns/pod-8"), ["queued"]);
    // The event log shows the exact call controller-runtime's queue got.
    assert.match(await seenText(page.locator("section", { has: page.getByRole("heading", { name: "Event log" }) })), /AddWithOpts\(priorityqueue\.AddOpts\{RateLimited: true\}, "ns\/pod-8"\)/);
  },
});

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `split view compares any two setups: client-go's default limiter vs the priority queue on one herd of 200 (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await ready(page, url);
      await page.getByRole("button", { name: "Pause" }).click();
      const split = page.locator("section.split-view");
      await split.getByRole("button", { name: "Open split view" }).click();
      await split.getByRole("combobox", { name: "Left side limiter" }).selectOption("default_controller");
      await split.getByRole("combobox", { name: "Right side queue" }).selectOption("controller-runtime");
      await split.getByRole("combobox", { name: "Right side limiter" }).selectOption("exponential");
      assert.equal(await split.getByRole("combobox", { name: "Right side controller" }).isDisabled(), true);
      await page.getByRole("textbox", { name: /^Simultaneous failures/ }).fill("200");
      await page.getByRole("button", { name: "Fail all at once" }).click();
      const wait = split.locator("[data-chip='max wait']");
      await page.waitForFunction(
        () => /max wait 10s vs 5ms/.test(document.querySelector("section.split-view [data-chip='max wait']")?.textContent ?? ""),
        null,
        { timeout: 10_000 },
      );
      assert.match(await seenText(wait), /left is worse/);
      assert.match(await seenText(split.locator("[data-side='left'] > h3")), /client-go, buggy controller/);
      assert.match(await seenText(split.locator("[data-side='right'] > h3")), /priority queue, reconcileHandler/);
      assert.match(await seenText(split.locator("[data-side='right']")), /ItemExponential\(5ms, 16m40s\)/);
      await split.screenshot({ path: `target/e2e/cr-split-${scheme}.png` });
    },
  });
}
