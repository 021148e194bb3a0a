// Links that ask for a long replay never freeze the page: a cursor past the week bound is
// refused with the bound named, and during a long restore an act is refused with a message
// saying how to go on (never run after a synchronous replay), and Cancel stops the replay.
import assert from "node:assert/strict";
import { keyPanel, seenText } from "./run.mjs";

export const tests = [];

function tests_push(name, run) {
  tests.push({ name, run, timeout: 60_000 });
}

for (const far of ["864000000000000", "18446744073709551615"]) {
  tests_push(`a link to t=${far} ns is refused with the week bound named; the page works`, async ({ page, url }) => {
    await page.goto(`${url}#v=1&s=seed-oom&t=${far}`);
    const msg = page.locator("#share-message");
    await msg.waitFor({ timeout: 10_000 });
    assert.match(await seenText(msg), new RegExp(`t=${far} ns .*past the bound of 168h0m0s`));
    await page.getByRole("textbox", { name: "Key", exact: true }).fill("default/ok");
    await keyPanel(page).getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("table", { name: "Items" }).getByRole("button", { name: "Select default/ok" }).waitFor({ timeout: 5_000 });
  });
}

tests_push("during a week-long restore an act is refused with a message while the replay goes on, and Cancel stops it there", async ({ page, url }) => {
  await page.goto(`${url}#v=1&s=seed-oom&t=604800000000000`);
  const restoring = page.getByRole("progressbar", { name: "Restoring the run" });
  await restoring.waitFor({ timeout: 10_000 });
  await page.getByRole("textbox", { name: "Key", exact: true }).fill("ns/now");
  await keyPanel(page).getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("status").filter({ hasText: /Still restoring the run \([\d.]+% replayed\)/ }).waitFor({ timeout: 10_000 });
  assert.equal(await restoring.count(), 1, "the replay goes on");
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  await restoring.waitFor({ state: "detached", timeout: 5_000 });
  await page.getByRole("status").filter({ hasText: /Restore cancelled at t=.+ \(the link asked for t=168h0m0s\); paused/ }).waitFor({ timeout: 5_000 });
  // Acts apply again, where the replay stopped.
  await keyPanel(page).getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("table", { name: "Items" }).getByRole("button", { name: "Select ns/now" }).waitFor({ timeout: 5_000 });
});

