// A real browser against `polis serve`: pages reload by themselves after an edit, and the error
// overlay comes and goes with a broken and a fixed site.yaml.
//
//     node tests/browser/reload.mjs http://127.0.0.1:PORT/ SITE_DIR
//
// SITE_DIR is the folder being served, with a content/ of its own; the script edits it. Run by
// the `browser_reloads_by_itself_and_shows_the_overlay` test of tests/serve.rs, which starts the server. Needs
// Chromium (CHROMIUM, default /usr/bin/chromium) and `npm install --ignore-scripts`.
// Exits 0 when every step passed, 1 with the failed step on stderr.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [base, siteDir] = process.argv.slice(2);
if (!base || !siteDir) {
  console.error("usage: node tests/browser/reload.mjs URL SITE_DIR");
  process.exit(2);
}

// A step that does not happen within this fails the test; nothing here waits a fixed time.
const STEP_TIMEOUT = 20_000;

const log = (...args) => console.error("[reload.mjs]", ...args);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});

let step = "start";
let page;
try {
  page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on("pageerror", (e) => log("page error:", e.message));
  page.on("console", (m) => log(`console.${m.type()}:`, m.text()));
  let loads = 0;
  page.on("load", () => {
    loads += 1;
    log(`load #${loads}: ${page.url()}`);
  });

  page.on("response", (r) => r.status() >= 400 && log(`${r.status()} for ${r.url()}`));

  // The reload event of a build goes to the tabs connected at that moment (polis does not replay
  // it to a tab that connects later), so a step ends only once the page it waited for has its
  // event stream open; the server subscribes a stream before it answers, and a browser opens
  // an EventSource when the answer arrives. Every EventSource a page makes is kept to look at.
  await page.addInitScript(() => {
    const Original = window.EventSource;
    window.__polisEventSources = [];
    window.EventSource = class extends Original {
      constructor(...args) {
        super(...args);
        window.__polisEventSources.push(this);
      }
    };
  });
  const streamOpen = () => window.__polisEventSources.length > 0 && window.__polisEventSources.every((s) => s.readyState === 1);

  // A mark that lives only as long as the document: once it is gone, the page was reloaded, and
  // nothing in this script reloads or navigates after the first visit.
  const mark = () => page.evaluate(() => (window.__polisTestMark = true));
  // Waits until the page was reloaded (the mark is gone) and shows what `check` looks for. A
  // step that fails prints the overlay the page shows, if any (see the catch below).
  const reloaded = (check, arg) =>
    page.waitForFunction(
      ({ check, arg, streamOpen }) =>
        !window.__polisTestMark &&
        document.body !== null &&
        new Function("arg", `return (${check})(arg)`)(arg) &&
        new Function(`return (${streamOpen})()`)(),
      { check: check.toString(), arg, streamOpen: streamOpen.toString() },
      { polling: 50, timeout: STEP_TIMEOUT },
    );

  const privacy = new URL("nl/privacyverklaring/", base).href;
  const contentFile = join(siteDir, "content", "privacy.nl.md");
  const siteFile = join(siteDir, "site.yaml");
  const goodSite = readFileSync(siteFile, "utf8");

  step = "open the privacy page";
  const response = await page.goto(privacy);
  if (response.status() !== 200) throw new Error(`GET ${privacy} answered ${response.status()}`);
  await page.waitForFunction(streamOpen, null, { polling: 50, timeout: STEP_TIMEOUT });
  const first = await page.evaluate(() => document.body.innerText);
  if (!first.includes("Lumen")) throw new Error("the privacy page does not name Lumen");
  if (await page.$("#polis-overlay")) throw new Error("an overlay on a good build");

  step = "edit content/privacy.nl.md; the page reloads by itself with the new sentence";
  // No digits: polis checks that every language states the same numbers.
  const sentence = "Deze zin komt uit de browsertest van polis serve.";
  await mark();
  writeFileSync(contentFile, `${readFileSync(contentFile, "utf8")}\n\n${sentence}\n`);
  await reloaded((s) => document.body.innerText.includes(s), sentence);

  step = "break site.yaml (an unknown key); the overlay appears by itself over the last good page";
  if (!goodSite.includes("\nrights:\n")) throw new Error("site.yaml has no `rights:` line to break");
  await mark();
  writeFileSync(siteFile, goodSite.replace("\nrights:\n", "\nrights:\n  browser_test_bogus: 1\n"));
  await reloaded(() => document.getElementById("polis-overlay") !== null);
  const overlay = await page.$eval("#polis-overlay", (e) => ({ text: e.innerText, role: e.getAttribute("role") }));
  for (const needle of ["site.yaml:", "unknown-key", "browser_test_bogus"]) {
    if (!overlay.text.includes(needle)) throw new Error(`the overlay does not mention ${needle}: ${overlay.text}`);
  }
  if (overlay.role !== "alert") throw new Error(`the overlay has role ${overlay.role}, not alert`);
  if (!(await page.evaluate((s) => document.body.innerText.includes(s), sentence))) {
    throw new Error("the last good page (with the new sentence) is not shown under the overlay");
  }
  if (!(await page.isVisible("#polis-overlay"))) throw new Error("the overlay is in the page but not visible");

  step = "fix site.yaml; the overlay disappears by itself";
  await mark();
  writeFileSync(siteFile, goodSite);
  await reloaded((s) => document.getElementById("polis-overlay") === null && document.body.innerText.includes(s), sentence);

  log(`passed (${loads} page loads, the first by the test, the others by polis)`);
} catch (e) {
  console.error(`FAILED at step: ${step}\n${e && e.stack ? e.stack : e}`);
  const overlay = await page?.$eval("#polis-overlay", (o) => o.innerText).catch(() => null);
  if (overlay) console.error(`the page shows the overlay:\n${overlay}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
