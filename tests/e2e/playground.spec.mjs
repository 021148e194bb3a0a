// The playground through its accessible names: act on keys and watch the failures map, lanes
// and event log; play, pause, step and skip; change the limiter and see the schedule change;
// enter an invalid value and see the refusal. Screenshots: target/e2e/playground-*.png.
import assert from "node:assert/strict";
import { frames, seenText, untilVirtual } from "./run.mjs";

/** Waits for the app, pauses the clock when asked, and returns handy locators. */
async function open(page, url, { pause = false } = {}) {
  await page.goto(url);
  await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
  if (pause) await page.getByRole("button", { name: "Pause", exact: true }).click();
  return {
    key: page.getByLabel("Key", { exact: true }),
    button: (name) => page.getByRole("button", { name, exact: true }),
    failures: page.getByRole("table", { name: "Failures map" }),
    items: page.getByRole("table", { name: "Items" }),
    log: page.getByRole("table", { name: "Event log" }),
    schedule: page.getByRole("table", { name: "Backoff schedule" }),
    lanes: page.getByRole("region", { name: "Lanes" }),
    time: page.locator("#virtual-time"),
  };
}

/** Virtual time in seconds, parsed from "t=1m30.5s" / "t=640ms" (Go duration text). */
function seconds(text) {
  const s = text.replace(/^t=/, "").trim();
  const units = { h: 3600, m: 60, s: 1, ms: 1e-3, "µs": 1e-6, us: 1e-6, ns: 1e-9 };
  let total = 0;
  for (const [, n, u] of s.matchAll(/([0-9.]+)(h|ms|m|s|µs|us|ns)/g)) total += parseFloat(n) * units[u];
  return total;
}

async function act(ui, name, key) {
  await ui.key.fill(key);
  await ui.button(name).click();
}

function failuresRow(page, ui, key) {
  return ui.failures.getByRole("row").filter({ has: page.getByRole("button", { name: `Select ${key}`, exact: true }) });
}

export const tests = [
  {
    name: "first load is an empty manual playground running at 1×",
    async run({ page, url }) {
      const ui = await open(page, url);
      assert.equal(await page.getByLabel("Scenario", { exact: true }).inputValue(), "manual");
      assert.equal(await page.getByRole("textbox", { name: /^Workers/ }).inputValue(), "0");
      assert.equal(await page.getByLabel("Speed factor").inputValue(), "1");
      assert.match(await seenText(page.locator("#len-failures")), /^0$/);
      // The clock runs, and never faster than 1× (it may lag on a loaded machine).
      const t1 = seconds(await seenText(ui.time));
      const wall1 = Date.now();
      await untilVirtual(page, t1 + 0.3);
      const t2 = seconds(await seenText(ui.time));
      const wall = (Date.now() - wall1) / 1000;
      assert.ok(t2 - t1 <= wall + 0.05, `clock faster than 1×: ${t1} → ${t2} in ${wall}s of wall time`);
    },
  },
  {
    name: "Add, Get, Fail, Forget, Done and Succeed through the Key field and row buttons",
    async run({ page, url }) {
      const ui = await open(page, url, { pause: true });
      await act(ui, "Add", "ns/pod-7");
      await ui.items.getByRole("button", { name: "Select ns/pod-7" }).waitFor();
      assert.match(await seenText(ui.items), /queued/);
      assert.match(await seenText(ui.log), /queue\.Add\("ns\/pod-7"\)/);
      assert.match(await seenText(ui.lanes), /Queue \(FIFO\)[\s\S]*ns\/pod-7/);

      await ui.button("Get").click();
      await page.waitForFunction(() => /processing/.test(document.querySelector("table.items")?.textContent ?? ""));
      assert.match(await seenText(ui.lanes), /Workers[\s\S]*ns\/pod-7[\s\S]*you/);

      // Fail on a processing key: Done, then AddRateLimited. The map grows by one row.
      await ui.button("Fail").click();
      await ui.failures.getByRole("button", { name: "Select ns/pod-7" }).waitFor();
      let row = failuresRow(page, ui, "ns/pod-7");
      assert.match(await seenText(row), /ns\/pod-7\s+orphan|ns\/pod-7/);
      assert.match(await seenText(row), /\b1\b[\s\S]*5ms/);
      assert.equal(await seenText(page.locator("#len-failures")), "1");
      const log = await seenText(ui.log);
      assert.match(log, /queue\.Done\("ns\/pod-7"\)/);
      assert.match(log, /queue\.AddRateLimited\("ns\/pod-7"\) → When\(\)=5ms \(failures 0→1\)/);

      // The row's own Fail button: the second failure doubles the backoff.
      await page.getByRole("button", { name: "Fail ns/pod-7", exact: true }).first().click();
      await page.waitForFunction(() => document.querySelector("#len-failures")?.textContent === "1");
      row = failuresRow(page, ui, "ns/pod-7");
      await page.waitForFunction(() => /failures 1→2/.test(document.body.textContent));
      assert.match(await seenText(row), /\b2\b[\s\S]*10ms/);

      // A second key grows the map; Forget shrinks it again.
      await act(ui, "Fail", "ns/pod-8");
      await page.waitForFunction(() => document.querySelector("#len-failures")?.textContent === "2");
      await ui.failures.getByRole("button", { name: "Forget ns/pod-8", exact: true }).click();
      await page.waitForFunction(() => document.querySelector("#len-failures")?.textContent === "1");
      assert.equal(await ui.failures.getByRole("button", { name: "Select ns/pod-8" }).count(), 0);
      assert.match(await seenText(ui.log), /queue\.Forget\("ns\/pod-8"\)/);

      // Done by hand: Add, Get, Done.
      await act(ui, "Add", "ns/pod-9");
      await ui.button("Get").click();
      await ui.button("Done").click();
      assert.match(await seenText(ui.log), /queue\.Done\("ns\/pod-9"\)/);

      // Succeed = Forget + Done: the failing key leaves the map.
      await ui.button("Skip to next due").click();
      await ui.key.fill("ns/pod-7");
      await ui.button("Get").click();
      await ui.button("Succeed").click();
      await page.waitForFunction(() => document.querySelector("#len-failures")?.textContent === "0");
      const after = await seenText(ui.log);
      assert.match(after, /queue\.Forget\("ns\/pod-7"\)/);
      assert.match(await seenText(page.locator("#announcer")), /\S/);
    },
  },
  {
    name: "Play, Pause, Step and Skip to next due move the virtual clock",
    async run({ page, url }) {
      const ui = await open(page, url, { pause: true });
      const paused = await seenText(ui.time);
      await frames(page, 20);
      assert.equal(await seenText(ui.time), paused, "paused clock must not move");

      // A 5s–5m limiter makes the first retry wait exactly 5s.
      await ui.button("5s–5m").click();
      await act(ui, "Fail", "ns/slow");
      const before = seconds(await seenText(ui.time));
      await ui.button("Skip to next due").click();
      const after = seconds(await seenText(ui.time));
      assert.ok(Math.abs(after - before - 5) < 0.01, `skip should land on readyAt (+5s): ${before} → ${after}`);
      assert.match(await seenText(ui.items), /queued/);

      await act(ui, "Fail", "ns/slow");
      const s0 = seconds(await seenText(ui.time));
      await ui.button("Step").click();
      const s1 = seconds(await seenText(ui.time));
      assert.ok(s1 > s0, `Step moves to the next event: ${s0} → ${s1}`);

      await ui.button("Play").click();
      const p0 = seconds(await seenText(ui.time));
      await untilVirtual(page, p0 + 0.1);
      assert.ok(seconds(await seenText(ui.time)) > p0, "playing clock moves");
      await ui.button("Pause").click();

      // A hidden page pauses itself (the visibility listener), and says so.
      await ui.button("Play").click();
      await page.evaluate(() => {
        Object.defineProperty(document, "hidden", { value: true, configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      });
      await ui.button("Play").waitFor({ timeout: 5_000 });
      await page.locator("#status-text").filter({ hasText: "Paused while the page was hidden" }).waitFor({ timeout: 5_000 });
      const hidden = await seenText(ui.time);
      await frames(page, 20);
      assert.equal(await seenText(ui.time), hidden, "the paused clock stays");
    },
  },
  {
    name: "a speed typed while the clock is playing is kept and applied on Enter",
    async run({ page, url }) {
      const ui = await open(page, url);
      const field = page.getByLabel("Speed factor");
      await field.fill("250");
      // Several animation frames pass while the value sits in the field.
      await frames(page, 20);
      assert.equal(await field.inputValue(), "250", "a playing clock must not overwrite what is being typed");
      await field.press("Enter");
      await frames(page, 20);
      assert.equal(await field.inputValue(), "250");
      assert.match(await seenText(page.locator(".speed-label")), /250/);
    },
  },
  {
    name: "changing the limiter changes the backoff schedule",
    async run({ page, url }) {
      const ui = await open(page, url, { pause: true });
      const firstDelay = async () => (await seenText(ui.schedule.getByRole("row").nth(1))).split(/\s+/)[1];
      assert.equal(await firstDelay(), "5ms");
      assert.match(await seenText(ui.schedule), /16m40s/);
      await page.getByLabel("Limiter", { exact: true }).selectOption("item_exponential");
      await page.getByLabel(/^Base delay/).fill("2s");
      await page.getByLabel(/^Max delay/).fill("1m");
      await ui.button("Apply limiter").click();
      await page.waitForFunction(() => /ItemExponential\(2s, 1m0s\)/.test(document.body.textContent));
      assert.equal(await firstDelay(), "2s");
      assert.match(await seenText(ui.schedule), /1m0s/);
      await ui.button("750ms–15m").click();
      await page.waitForFunction(() => /ItemExponential\(750ms, 15m0s\)/.test(document.body.textContent));
      assert.equal(await firstDelay(), "750ms");
    },
  },
  {
    name: "an invalid value is refused at its field and the running state is untouched",
    async run({ page, url }) {
      const ui = await open(page, url, { pause: true });
      await act(ui, "Fail", "ns/keep");
      await page.getByLabel("Limiter", { exact: true }).selectOption("item_exponential");
      const base = page.getByLabel(/^Base delay/);
      await base.fill("fast");
      await ui.button("Apply limiter").click();
      assert.equal(await base.getAttribute("aria-invalid"), "true");
      assert.match(await seenText(page.locator("#lim-base-error")), /fast/);
      assert.match(await seenText(page.getByText(/^Running:/)), /DefaultController/);
      assert.equal(await seenText(page.locator("#len-failures")), "1", "the failures map survives");

      const workers = page.getByRole("textbox", { name: /^Workers/ });
      await workers.fill("-1");
      await ui.button("Apply controller").click();
      assert.equal(await workers.getAttribute("aria-invalid"), "true");
      assert.match(await seenText(page.locator("#cfg-workers-error")), /not a whole number/);

      await page.getByLabel(/^Error rate/).fill("2");
      await workers.fill("0");
      await ui.button("Apply controller").click();
      assert.match(await seenText(page.locator("#cfg-error-rate-error")), /between 0 and 1/);

      await ui.key.fill("has space");
      await ui.button("Add").click();
      assert.match(await seenText(page.locator("#key-error")), /whitespace/);
      assert.equal(await ui.items.getByRole("button", { name: "Select has space" }).count(), 0);
    },
  },
  {
    name: "keyboard: ? overlay, Esc, and table-scoped single-key shortcuts that can be turned off",
    async run({ page, url }) {
      const ui = await open(page, url, { pause: true });
      await act(ui, "Add", "ns/kbd");
      await page.locator("body").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
      await page.keyboard.press("Escape");
      assert.equal(await page.getByRole("dialog").count(), 0);

      const table = page.getByRole("region", { name: /Items table/ });
      await table.focus();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("f");
      await page.waitForFunction(() => document.querySelector("#len-failures")?.textContent === "1");

      await page.getByLabel("Single-key shortcuts").uncheck();
      await table.focus();
      await page.keyboard.press("g");
      await frames(page, 10);
      assert.equal(await seenText(page.locator("#len-failures")), "1", "disabled shortcuts do nothing");
      await page.getByLabel("Single-key shortcuts").check();
      await table.focus();
      await page.keyboard.press("g");
      await page.waitForFunction(() => document.querySelector("#len-failures")?.textContent === "0");

      // Tab reaches the controls, Enter presses them.
      await ui.key.fill("ns/enter");
      await ui.key.press("Enter");
      await ui.items.getByRole("button", { name: "Select ns/enter" }).waitFor();
    },
  },
  {
    name: "theme toggle cycles system → light → dark, applies and survives a reload",
    context: { colorScheme: "light" },
    async run({ page, url }) {
      await open(page, url, { pause: true });
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const light = await bg();
      await page.getByRole("button", { name: "Theme: system" }).click();
      await page.getByRole("button", { name: "Theme: light" }).click();
      await page.getByRole("button", { name: "Theme: dark" }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
      assert.notEqual(await bg(), light, "dark theme repaints the page");
      await page.reload();
      await page.getByRole("button", { name: "Theme: dark" }).waitFor();
      assert.notEqual(await bg(), light, "the choice is saved");
    },
  },
  {
    name: "prefers-reduced-motion turns transitions off",
    context: { reducedMotion: "reduce" },
    async run({ page, url }) {
      const ui = await open(page, url, { pause: true });
      await page.getByRole("button", { name: "5s–5m" }).click();
      await act(ui, "Fail", "ns/calm");
      const fill = page.locator(".bar-fill").first();
      await fill.waitFor();
      assert.match(await fill.evaluate((e) => getComputedStyle(e).transitionDuration), /^0s/);
    },
  },
  ...["light", "dark"].flatMap((scheme) =>
    [
      ["desktop", { width: 1440, height: 1000 }],
      ["phone", { width: 360, height: 780 }],
    ].map(([size, viewport]) => ({
      name: `screenshot ${scheme} ${size} with a busy queue`,
      context: { colorScheme: scheme, viewport },
      async run({ page, url, shot }) {
        const ui = await open(page, url, { pause: true });
        await page.getByLabel(/^Keys to add/).fill("12");
        await ui.button("Add keys").click();
        for (const k of ["ns/pod-1", "ns/pod-2", "ns/pod-3"]) {
          await act(ui, "Fail", k);
          await act(ui, "Fail", k);
        }
        await ui.button("Get").click();
        await ui.key.fill("ns/pod-2");
        await ui.button("Delete").click();
        await page.getByRole("button", { name: "Select ns/pod-1" }).first().click();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width + 1, `no horizontal page scroll: ${width}px in ${viewport.width}px`);
        await page.evaluate(() => window.scrollTo(0, 0));
        await shot(`playground-${scheme}-${size}`);
      },
    })),
  ),
];
