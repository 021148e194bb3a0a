// End-to-end test runner: serves dist/ on 127.0.0.1 (a free port), drives Debian's
// Chromium through playwright-core, runs every tests/e2e/*.spec.mjs, and shuts down
// everything it started, also on failure or Ctrl-C.
//
// A spec file exports `tests`: an array of { name, run }, where `run` is
// `async ({ page, url, shot, context }) => {}`. Each test gets a fresh browser context
// and page; an uncaught page error or a console error (a Rust panic lands there) fails it.
// `shot(name)` saves target/e2e/<name>.png. Filter: node tests/e2e/run.mjs <substring>.
// `serveDist(dir, { prefix })` lets a test serve dist/ again under a sub-path of its own.
import { createServer } from "node:http";
import { readFile, readdir, mkdir } from "node:fs/promises";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = process.env.DIST ? resolve(process.env.DIST) : join(ROOT, "dist"); // DIST=dir: serve another build
const SHOTS = join(ROOT, "target", "e2e");
const TEST_TIMEOUT_MS = 60_000;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
};

/**
 * Serves dist/ read-only; resolves with the server once it listens. `prefix` serves it under
 * a sub-path (e.g. "/playground/", as a static host would), with everything else a 404.
 */
export function serveDist(dir = DIST, { prefix = "/" } = {}) {
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (!path.startsWith(prefix)) throw new Error("outside the prefix");
      path = `/${path.slice(prefix.length)}`;
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(dir, path));
      if (!file.startsWith(dir)) throw new Error("outside dist");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

/**
 * Waits until the page has painted `n` more animation frames: for "nothing happens" checks
 * (a paused clock, a disabled shortcut), a count of frames rather than a fixed sleep.
 */
export async function frames(page, n = 10) {
  await page.evaluate(
    (count) =>
      new Promise((done) => {
        let left = count;
        const tick = () => (--left <= 0 ? done() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/** Virtual seconds on the clock, parsed in the page from "t=1m30.5s" (Go duration text). */
const VIRTUAL_SECONDS = `(() => {
  const s = (document.querySelector("#virtual-time")?.textContent ?? "").replace(/^t=/, "").trim();
  const units = { h: 3600, m: 60, s: 1, ms: 1e-3, "µs": 1e-6, us: 1e-6, ns: 1e-9 };
  let total = 0;
  for (const [, n, u] of s.matchAll(/([0-9.]+)(h|ms|m|s|µs|us|ns)/g)) total += parseFloat(n) * units[u];
  return total;
})()`;

/** Waits until the virtual clock reads at least `secs` seconds. */
export async function untilVirtual(page, secs, timeout = 30_000) {
  await page.waitForFunction(`${VIRTUAL_SECONDS} >= ${secs}`, null, { timeout });
}

/** The "Act on a key" panel. */
export const keyPanel = (page) => page.locator("section[aria-labelledby='keys-h']");

/** Opens `url` and waits for the app's heading. */
export async function ready(page, url) {
  await page.goto(url);
  await page.getByRole("heading", { level: 1, name: /Workqueue Playground/ }).waitFor({ timeout: 15_000 });
}

/**
 * Waits until the link the page was opened with has been replayed to its cursor. The restore
 * starts after the first render, so "no progress bar" alone can be read before it begins: this
 * waits for the status line the finished restore writes.
 */
export async function restored(page, timeout = 30_000) {
  await page.waitForFunction(() => document.querySelector("#status-text")?.textContent.startsWith("Restored scenario"), null, { timeout });
}

/** Types `key` into the Key field and presses the key panel's `action` button. */
export async function act(page, key, action) {
  await page.fill("#key-input", key);
  await keyPanel(page).getByRole("button", { name: action, exact: true }).click();
}

/** Launches Debian's Chromium headless with flags that keep it off the network. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * The text of `locator` as a person reads it: scrolled into view and rendered first. Panels
 * out of view are not rendered (`content-visibility: auto`), `innerText` of unrendered
 * content is "", and a panel scrolled into view is rendered at the next frame.
 */
export async function seenText(locator) {
  await locator.scrollIntoViewIfNeeded();
  await locator.evaluate(
    (el) =>
      new Promise((rendered) => {
        const check = () => (el.checkVisibility({ contentVisibilityAuto: true }) ? rendered() : requestAnimationFrame(check));
        check();
      }),
  );
  return locator.innerText();
}

/**
 * A screenshot of the whole page as a person sees each part when scrolled to it: panels out
 * of view are not rendered (`content-visibility: auto`), so they are rendered for the shot.
 */
async function fullPageShot(page, path, opts = {}) {
  const style = await page.addStyleTag({ content: ".panel { content-visibility: visible !important; }" });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  try {
    await page.screenshot({ path, fullPage: true, ...opts });
  } finally {
    await style.evaluate((el) => el.remove()).catch(() => {});
  }
}

async function loadTests(filter) {
  const here = join(ROOT, "tests", "e2e");
  const files = (await readdir(here)).filter((f) => f.endsWith(".spec.mjs")).sort();
  const all = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(join(here, f)).href);
    for (const t of mod.tests ?? []) all.push({ ...t, name: `${f.replace(".spec.mjs", "")}: ${t.name}` });
  }
  return all.filter((t) => !filter || t.name.includes(filter));
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runOne(browser, url, test) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...test.context });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console error: ${m.text()}`));
  const shot = (name, opts = {}) => fullPageShot(page, join(SHOTS, `${name}.png`), opts);
  try {
    await withTimeout(test.run({ page, url, shot, context }), test.timeout ?? TEST_TIMEOUT_MS, test.name);
    if (errors.length) throw new Error(errors.join("\n"));
  } catch (e) {
    const safe = test.name.replace(/[^a-z0-9]+/gi, "-");
    await fullPageShot(page, join(SHOTS, `FAILED-${safe}.png`)).catch(() => {});
    throw e;
  } finally {
    await context.close().catch(() => {});
  }
}

async function main() {
  const tests = await loadTests(process.argv[2]);
  await mkdir(SHOTS, { recursive: true });
  let server, browser;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await new Promise((ok) => (server ? server.close(ok) : ok()));
  };
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => cleanup().then(() => process.exit(130)));
  let passed = 0, failed = 0;
  try {
    server = await serveDist();
    const url = `http://127.0.0.1:${server.address().port}/`;
    browser = await launchChromium();
    console.log(`e2e: ${tests.length} tests against ${url} (screenshots in target/e2e/)`);
    for (const test of tests) {
      const started = Date.now();
      try {
        await runOne(browser, url, test);
        passed++;
        console.log(`  ok   ${test.name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed++;
        console.log(`  FAIL ${test.name}\n       ${String(e.stack ?? e).split("\n").join("\n       ")}`);
      }
    }
  } finally {
    await cleanup();
  }
  console.log(`\ne2e: ${passed} passed, ${failed} failed`);
  if (tests.length === 0) {
    console.log("e2e: no tests found");
    process.exitCode = 1;
  } else if (failed > 0) {
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
