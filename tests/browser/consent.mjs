// The consent banner of `polis export consent` in headless Chromium: vanilla-cookieconsent from
// node_modules and the exported configuration, loaded by the built cookie pages from the site's
// own files (no CDN), as docs/export.md shows.
//
//     node tests/browser/consent.mjs PUBLIC_DIR CONSENT_DIR PAGE...
//
// PUBLIC_DIR is the output of `polis build`, CONSENT_DIR that of `polis export consent`, each PAGE
// a cookie page (`en/cookie-policy/index.html`). Both folders are copied into a temporary one,
// the library and the configuration into its consent/ folder, and each PAGE gets the snippet.
// Run by tests/suite/consent.rs, which asserts what this prints: for each PAGE, as JSON, what a
// visitor sees and what the banner records (first layer, preferences modal, reject all, accept
// all, the page's settings button, Consent Mode's dataLayer). Exits 2 on a setup error.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { launch, open, serve } from "./site.mjs";

const require = createRequire(import.meta.url);
const [publicDir, consentDir, ...paths] = process.argv.slice(2);
if (!publicDir || !consentDir || paths.length === 0) {
  console.error("usage: node tests/browser/consent.mjs PUBLIC_DIR CONSENT_DIR PAGE...");
  process.exit(2);
}
const log = (...args) => console.error("[consent.mjs]", ...args);

const root = mkdtempSync(join(tmpdir(), "polis-consent-"));
cpSync(resolve(publicDir), root, { recursive: true });
const library = dirname(require.resolve("vanilla-cookieconsent/dist/cookieconsent.esm.js"));
cpSync(join(library, "cookieconsent.esm.js"), join(root, "consent/cookieconsent.esm.js"));
cpSync(join(library, "cookieconsent.css"), join(root, "consent/cookieconsent.css"));
cpSync(join(resolve(consentDir), "consent.mjs"), join(root, "consent/consent.mjs"));

// The snippet of docs/export.md. A headless browser is a bot to the library, which hides the
// banner from bots: the test shows it.
const SNIPPET = `<link rel="stylesheet" href="/consent/cookieconsent.css">
<script type="module">
  import * as CookieConsent from "/consent/cookieconsent.esm.js";
  import config from "/consent/consent.mjs";
  window.CookieConsent = CookieConsent;
  await CookieConsent.run({ ...config, hideFromBots: false });
  window.consentReady = true;
</script>
`;
for (const path of paths) {
  const file = join(root, path);
  writeFileSync(file, readFileSync(file, "utf8").replace("</body>", `${SNIPPET}</body>`));
}

const { origin, server } = await serve(root, log);
const browser = await launch();

// The Consent Mode calls on the dataLayer so far: `[command, signals]` each.
const consentCalls = (page) =>
  page.evaluate(() =>
    (window.dataLayer ?? []).map((a) => Array.from(a)).filter((a) => a[0] === "consent").map((a) => [a[1], a[2]]),
  );

async function visit(context, path) {
  const { page, response } = await open(context, origin, path, log);
  if (!response || response.status() !== 200) throw new Error(`${path}: HTTP ${response?.status()}`);
  await page.waitForFunction(() => window.consentReady === true);
  return page;
}

async function observe(path) {
  const seen = {};
  // A first visit: the first layer, its buttons, then the preferences; reject all.
  let context = await browser.newContext();
  let page = await visit(context, path);
  await page.locator("#cc-main .cm").waitFor({ state: "visible" });
  seen.title = (await page.locator("#cc-main .cm__title").innerText()).trim();
  seen.buttons = (await page.locator("#cc-main .cm button").allInnerTexts()).map((t) => t.trim());
  seen.beforeChoice = await consentCalls(page);
  await page.locator('#cc-main .cm [data-role="show"]').click();
  await page.locator("#cc-main .pm").waitFor({ state: "visible" });
  seen.preferences = await page.evaluate(() =>
    [...document.querySelectorAll("#cc-main .pm .pm__section--toggle")].map((s) => ({
        category: s.querySelector("input.section__toggle").value,
        title: s.querySelector(".pm__section-title")?.innerText.trim(),
        columns: [...s.querySelectorAll("thead th")].map((th) => th.textContent.trim()),
        cookies: [...s.querySelectorAll("tbody tr")].map((r) => r.querySelector("td")?.textContent.trim()),
      })),
  );
  await page.locator('#cc-main .pm [data-role="necessary"]').click();
  await page.locator("#cc-main .pm").waitFor({ state: "hidden" });
  seen.rejected = {
    accepted: await page.evaluate(() => window.CookieConsent.getUserPreferences().acceptedCategories),
    cookies: (await context.cookies()).map((c) => c.name),
    consent: (await consentCalls(page)).slice(1),
  };
  // The page's own settings button opens the preferences again.
  await page.locator('main [data-cc="show-preferencesModal"]').first().click();
  await page.locator("#cc-main .pm").waitFor({ state: "visible" });
  seen.settingsButtonOpensPreferences = true;
  await context.close();
  // Another visitor accepts all.
  context = await browser.newContext();
  page = await visit(context, path);
  await page.locator('#cc-main .cm [data-role="all"]').click();
  await page.locator("#cc-main .cm").waitFor({ state: "hidden" });
  seen.accepted = {
    accepted: await page.evaluate(() => window.CookieConsent.getUserPreferences().acceptedCategories),
    consent: (await consentCalls(page)).slice(1),
  };
  await context.close();
  return seen;
}

let code = 0;
try {
  const report = {};
  for (const path of paths) report[path] = await observe(path);
  console.log(JSON.stringify(report, null, 2));
} catch (e) {
  console.error(e);
  code = 1;
} finally {
  await browser.close();
  server.close();
  rmSync(root, { recursive: true, force: true });
}
process.exit(code);
