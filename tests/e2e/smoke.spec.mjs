// The page loads, the app renders its heading, and nothing panics; light and dark screenshots.
import assert from "node:assert/strict";

export const tests = [
  {
    name: "the app renders a heading naming the product (light)",
    context: { colorScheme: "light" },
    async run({ page, url, shot }) {
      await page.goto(url);
      const heading = page.getByRole("heading", { level: 1, name: /Workqueue Playground/ });
      await heading.waitFor({ timeout: 10_000 });
      assert.equal(await heading.count(), 1);
      await shot("smoke-light");
    },
  },
  {
    name: "the app renders a heading naming the product (dark)",
    context: { colorScheme: "dark" },
    async run({ page, url, shot }) {
      await page.goto(url);
      await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 10_000 });
      await shot("smoke-dark");
    },
  },
];
