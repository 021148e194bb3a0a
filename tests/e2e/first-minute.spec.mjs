// The first minute of a newcomer, in a real Chromium: on a desktop and on a phone the Key
// field and Add, Fail and Forget are on screen without scrolling, one sentence says what to
// try and goes away once the person acts, and durations read at a glance with the exact Go
// value on hover and focus. Screenshots of the first viewport, light and dark.
import assert from "node:assert/strict";

const VIEWPORTS = [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
];

/** Whether `locator` lies wholly inside the viewport, as loaded (no scrolling). */
async function onScreen(page, locator) {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  return box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= vp.height && box.x + box.width <= vp.width;
}

export const tests = [];

for (const [device, viewport] of VIEWPORTS) {
  for (const scheme of ["light", "dark"]) {
    tests.push({
      name: `first viewport on a ${device} (${viewport.width}×${viewport.height}, ${scheme}): Key, Add, Fail, Forget without scrolling; the hint goes once you act`,
      context: { viewport, colorScheme: scheme, isMobile: device === "phone", hasTouch: device === "phone" },
      async run({ page, url }) {
        await page.goto(url);
        await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
        const keys = page.locator("section[aria-labelledby='keys-h']");
        const key = page.getByRole("textbox", { name: "Key", exact: true });
        await key.waitFor();
        const hint = page.locator("#first-hint");
        assert.match(await hint.innerText(), /Try this first/);
        assert.equal(await page.evaluate(() => window.scrollY), 0);
        for (const target of [key, ...["Add", "Fail", "Forget"].map((n) => keys.getByRole("button", { name: n, exact: true }))]) {
          assert.ok(await onScreen(page, target), `${await target.evaluate((e) => e.outerHTML.slice(0, 80))} is below the fold`);
        }
        assert.ok(await onScreen(page, hint), "the hint is on screen");
        await page.screenshot({ path: `target/e2e/first-viewport-${device}-${scheme}.png` });
        await key.fill("default/a");
        assert.equal(await hint.count(), 1, "typing alone keeps the hint");
        await keys.getByRole("button", { name: "Fail", exact: true }).click();
        await hint.waitFor({ state: "detached", timeout: 5_000 });
      },
    });
  }
}

tests.push({
  name: "durations read at a glance in tables, exact on hover and on focus",
  async run({ page, url }) {
    await page.goto(url);
    await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
    // The backoff schedule of the default limiter: the 12th delay is 5ms·2^11 = 10.24s.
    const cell = page.locator("span.dur[data-exact='10.24s']").first();
    await cell.scrollIntoViewIfNeeded();
    assert.equal(await cell.innerText(), "10.2s");
    assert.equal(await cell.getAttribute("title"), "10.24s");
    await cell.focus();
    const after = await cell.evaluate((e) => getComputedStyle(e, "::after").content);
    assert.match(after, /10\.24s/);
    // A value that is exact already stays plain text, with no extra tab stop.
    const five = page.locator("span.dur", { hasText: /^5ms$/ }).first();
    assert.equal(await five.getAttribute("tabindex"), null);
  },
});
