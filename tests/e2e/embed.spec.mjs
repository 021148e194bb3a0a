// The embed (#embed&…) in a real Chromium: the compact layout and its link back, the Share
// panel's embed code, a malformed embed link, the release build served from a sub-path, and
// the drivable embed: a parent page on another origin sends postMessage commands and reads
// the state messages, and the example lesson (lesson.html) drives one. Light and dark shots.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { act, keyPanel, ready, seenText, serveDist } from "./run.mjs";

/** The `src` of an `<iframe …>` snippet, its entities decoded. */
function snippetSrc(snippet) {
  const m = snippet.match(/^<iframe src="([^"]*)" title="([^"]+)"/);
  assert.ok(m, `not an iframe snippet with a src and a title: ${snippet}`);
  return m[1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** Starts an HTTP server answering every request with `html`; resolves once it listens. */
function serveHtml(html, host) {
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, host, () => ok(server));
  });
}

const close = (server) => new Promise((ok) => server.close(ok));

export const tests = [];

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `embed code opens the compact layout: lanes, failures map, one chart, link to the full playground (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await ready(page, url);
      await page.getByRole("button", { name: "Pause" }).click();
      for (const key of ["default/web-1", "default/web-2", "default/web-1"]) await act(page, key, "Fail");
      await page.locator("section.failures").getByText("default/web-2").waitFor({ timeout: 5_000 });
      await page.waitForFunction(() => document.querySelector("#share-link").value.includes("&in="), null, { timeout: 5_000 });
      const share = await page.inputValue("#share-link");
      const snippet = await page.inputValue("#embed-code");
      const src = snippetSrc(snippet);
      assert.equal(src, share.replace("#", "#embed&"));
      assert.match(snippet, /title="Workqueue Playground: [^"]+"/);
      await page.getByRole("button", { name: "Copy embed code" }).click();
      await page.getByRole("status").filter({ hasText: "Embed code copied" }).waitFor({ timeout: 5_000 });

      // A new document (only the fragment differs, so goto alone would not reload).
      await page.goto("about:blank");
      await ready(page, src);
      const failures = page.locator("section.failures");
      await failures.getByText("default/web-2").waitFor({ timeout: 15_000 });
      assert.match(await seenText(failures), /default\/web-1/);
      await page.locator("section.lanes-panel").waitFor({ state: "visible" });
      await page.locator("section.charts figure.chart").first().waitFor({ state: "visible" });
      assert.equal(await page.locator("section.charts figure.chart").count(), 1);
      assert.equal(await page.locator("#chart-failures").count(), 1);
      await page.getByRole("button", { name: /^(Play|Pause)$/ }).waitFor({ state: "visible" });
      // Not the full playground: no Share panel, no forms.
      assert.equal(await page.locator("#share-link").count(), 0);
      assert.equal(await page.locator("#key-input").count(), 0);
      const full = page.getByRole("link", { name: "Open in the full playground" });
      assert.equal(await full.getAttribute("target"), "_blank");
      const href = await full.getAttribute("href");
      assert.ok(!href.includes("embed"), href);
      assert.equal(href.split("#")[0], share.split("#")[0]);
      assert.match(href, /#v=1&s=manual&seed=\d+&in=/);
      await shot(`embed-${scheme}`);
    },
  });
}

tests.push({
  name: "a hand-written embed link without a version (#embed&s=…) opens that preset",
  async run({ page, url }) {
    await ready(page, `${url}#embed&s=manual&seed=7`);
    const full = page.getByRole("link", { name: "Open in the full playground" });
    await page.waitForFunction(() => location.hash.startsWith("#embed&v=1&s=manual&seed=7"), null, { timeout: 10_000 });
    assert.match(await full.getAttribute("href"), /#v=1&s=manual&seed=7/);
    assert.equal(await page.locator("#share-message").count(), 0);
  },
});

tests.push({
  name: "a malformed embed link says why and starts the embed with the defaults",
  async run({ page, url }) {
    await ready(page, `${url}#embed&v=9&s=manual`);
    const alert = page.locator("#share-message");
    await alert.waitFor({ timeout: 10_000 });
    assert.match(await alert.innerText(), /newer playground/);
    await page.locator("section.failures").waitFor({ state: "visible" });
    assert.equal(await page.locator("#share-link").count(), 0);
    // As in the full playground, the running defaults then take the URL, still as an embed;
    // an embed never writes the autosave (a reader's own session is not overwritten).
    await page.waitForFunction(() => location.hash.startsWith("#embed&v=1&s=manual"), null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => localStorage.getItem("wqplay.autosave.v1")), null);
    assert.match(await page.getByRole("link", { name: "Open in the full playground" }).getAttribute("href"), /#v=1&s=manual/);
  },
});

tests.push({
  name: "the release build works from a sub-path (/playground/): assets, service worker, share and embed links, lesson",
  async run({ page }) {
    const server = await serveDist(undefined, { prefix: "/playground/" });
    const failed = [];
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    page.on("requestfailed", (r) => failed.push(`failed ${r.url()}`));
    try {
      const base = `http://127.0.0.1:${server.address().port}/playground/`;
      await ready(page, base);
      await act(page, "default/sub", "Add");
      await page.locator("section[aria-labelledby='items-h']").getByText("default/sub").waitFor({ timeout: 5_000 });
      const sw = await page.evaluate(async () => (await navigator.serviceWorker.ready).active.scriptURL);
      assert.equal(sw, `${base}sw.js`);
      await page.waitForFunction(
        async () => (await (await caches.open("wqplay-v1")).keys()).some((r) => r.url.endsWith(".wasm")),
        null,
        { timeout: 10_000, polling: 200 },
      );
      const cached = await page.evaluate(async () => (await (await caches.open("wqplay-v1")).keys()).map((r) => r.url));
      assert.ok(cached.every((u) => u.startsWith(base)), cached.join("\n"));
      await page.waitForFunction(() => document.querySelector("#share-link").value.includes("&in="), null, { timeout: 5_000 });
      assert.ok((await page.inputValue("#share-link")).startsWith(`${base}#v=1&`));
      assert.ok(snippetSrc(await page.inputValue("#embed-code")).startsWith(`${base}#embed&v=1&`));
      await page.goto(`${base}lesson.html`);
      await page.getByRole("button", { name: "Fail it again" }).and(page.locator(":enabled")).waitFor({ timeout: 15_000 });
      assert.deepEqual(failed, []);
    } finally {
      await close(server);
    }
  },
});

// A lesson on another origin: `localhost` and another port, the playground on 127.0.0.1.
const PARENT = (src) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parent</title></head>
<body><iframe id="pg" src="${src}" title="Embedded playground" style="width:100%;height:600px"></iframe>
<script>
  window.received = [];
  const frame = document.getElementById("pg");
  addEventListener("message", (e) => { if (e.source === frame.contentWindow) window.received.push(e.data); });
  window.send = (msg) => frame.contentWindow.postMessage(msg, "*");
  window.lastState = () => [...window.received].reverse().find((m) => m.type === "state");
  window.errors = () => window.received.filter((m) => m.type === "error").map((m) => m.message);
</script></body></html>`;

tests.push({
  name: "a parent page on another origin drives the embed with postMessage and reads its state",
  async run({ page, url }) {
    const parent = await serveHtml(PARENT(`${url}#embed&v=1&s=manual`), "localhost");
    try {
      const origin = `http://localhost:${parent.address().port}`;
      assert.notEqual(new URL(url).origin, origin);
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => window.lastState()?.summary, null, { timeout: 20_000, polling: 100 });
      await page.evaluate(() => window.send({ type: "pause" }));
      await page.waitForFunction(() => window.lastState().playing === false, null, { timeout: 5_000, polling: 50 });
      await page.evaluate(() => {
        for (let i = 0; i < 19; i++) window.send({ type: "apply", input: { op: "fail", key: "k" } });
      });
      await page.waitForFunction(() => window.lastState().summary.retries_total === 19, null, { timeout: 10_000, polling: 50 });
      const s = await page.evaluate(() => {
        const { summary } = window.lastState();
        return { ...summary, time_ns: typeof summary.time_ns };
      });
      assert.equal(s.failures_map_len, 1);
      assert.equal(s.failing_keys, 1);
      assert.equal(s.time_ns, "bigint"); // the JS package's summary: nanoseconds as bigint
      // The embed's own failures map agrees: key k, 19 requeues.
      const rows = page.frameLocator("#pg").locator("section.failures tbody tr");
      await rows.first().locator("td.num", { hasText: /^19$/ }).waitFor({ timeout: 5_000 });
      assert.equal(await rows.count(), 1);

      // Invalid messages: each refused with the field named, nothing changed.
      const before = await page.evaluate(() => JSON.stringify(window.lastState().summary, (_, v) => (typeof v === "bigint" ? `${v}n` : v)));
      const bad = [
        [{ type: "apply", input: { op: "explode", key: "k" } }, /^input\.op: unknown op "explode"/],
        [{ type: "apply", input: { op: "fail" } }, /^input\.key: missing/],
        [{ type: "apply", input: { op: "fail", key: "k" }, extra: 1 }, /^message\.extra: unknown field/],
        [{ type: "jump" }, /^message\.type: unknown type "jump"/],
        [{ type: "seek", ns: -5 }, /^message\.ns: must be/],
        ["fail k", /^message: must be an object/],
      ];
      for (const [msg, want] of bad) {
        const n = await page.evaluate(() => window.errors().length);
        await page.evaluate((m) => window.send(m), msg);
        await page.waitForFunction((n) => window.errors().length > n, n, { timeout: 5_000, polling: 50 });
        assert.match(await page.evaluate(() => window.errors().at(-1)), want);
      }
      // Seek to where it stands: a fresh state, the same as before the refused messages.
      await page.evaluate(() => {
        const ns = window.lastState().summary.time_ns; // a bigint: seek takes it as sent
        window.received.length = 0;
        window.send({ type: "seek", ns });
      });
      await page.waitForFunction(() => window.lastState(), null, { timeout: 5_000, polling: 50 });
      const after = await page.evaluate(() => JSON.stringify(window.lastState().summary, (_, v) => (typeof v === "bigint" ? `${v}n` : v)));
      const pick = (j) => { const o = JSON.parse(j); return [o.retries_total, o.failures_map_len, o.adds_total]; };
      assert.deepEqual(pick(after), pick(before));
      // play answers with a running state.
      await page.evaluate(() => window.send({ type: "play" }));
      await page.waitForFunction(() => window.lastState().playing === true, null, { timeout: 5_000, polling: 50 });
    } finally {
      await close(parent);
    }
  },
});

for (const scheme of ["light", "dark"]) {
  tests.push({
    name: `the example lesson drives its embedded playground: Fail it again, Forget it (${scheme})`,
    context: { colorScheme: scheme },
    async run({ page, url, shot }) {
      await page.goto(`${url}lesson.html`);
      const fail = page.getByRole("button", { name: "Fail it again" });
      await fail.and(page.locator(":enabled")).waitFor({ timeout: 20_000 });
      for (let i = 0; i < 3; i++) await fail.click();
      await page.locator("#s-retries", { hasText: /^3$/ }).waitFor({ timeout: 5_000 });
      assert.equal(await page.locator("#s-failures").innerText(), "1");
      await page.frameLocator("#playground").locator("section.failures").getByText("default/web-1").waitFor({ timeout: 5_000 });
      await shot(`lesson-failed-${scheme}`);
      await page.getByRole("button", { name: "Forget it" }).click();
      await page.locator("#s-failures", { hasText: /^0$/ }).waitFor({ timeout: 5_000 });
      assert.equal(await page.locator("#lesson-error").innerText(), "");
      await shot(`lesson-forgot-${scheme}`);
    },
  });
}
