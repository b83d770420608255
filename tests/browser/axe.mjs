// axe-core's WCAG 2.1 A and AA rules against every page of a built site, in headless Chromium,
// at a desktop and a phone width.
//
//     node tests/browser/axe.mjs PUBLIC_DIR
//
// PUBLIC_DIR is the output folder of `polis build`, served and opened as tests/browser/site.mjs
// says. Run by tests/validators.rs. Needs Chromium (CHROMIUM, default /usr/bin/chromium) and
// `npm install --ignore-scripts` (playwright-core, axe-core).
//
// Prints each violation (rule, impact, help, the nodes it found) and exits 1 when there is one,
// 2 on a usage or setup error, 0 when every page passed at every width.

import { createRequire } from "node:module";
import { resolve } from "node:path";
import { launch, open, pages, serve } from "./site.mjs";

const require = createRequire(import.meta.url);

const [publicDir] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node tests/browser/axe.mjs PUBLIC_DIR");
  process.exit(2);
}
const root = resolve(publicDir);

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];
const AXE = require.resolve("axe-core/axe.min.js");

const log = (...args) => console.error("[axe.mjs]", ...args);

const { origin, server } = await serve(root, log);

const list = pages(root);
if (list.length === 0) {
  console.error(`no .html file under ${root}`);
  server.close();
  process.exit(2);
}

const browser = await launch();

let violations = 0;
let failedPages = 0;
let checks = 0;
try {
  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    for (const path of list) {
      const { page, response, url } = await open(context, origin, path, log);
      if (!response || response.status() !== 200) {
        console.log(`${path} (${viewport.name}): HTTP ${response?.status() ?? "no response"}`);
        failedPages += 1;
        await page.close();
        continue;
      }
      await page.addScriptTag({ path: AXE });
      const results = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
        TAGS,
      );
      checks += 1;
      // A run in which no rule applied would pass vacuously: every page has a title, a lang and
      // text, so some rule always passes.
      if (results.passes.length === 0) {
        console.log(`${path} (${viewport.name}): axe ran no rule that passed; is the page empty?`);
        failedPages += 1;
      }
      for (const v of results.incomplete) {
        log(`${path} (${viewport.name}): needs review, not a failure: ${v.id} (${v.nodes.length} nodes) ${v.help}`);
      }
      if (page.url() !== url) {
        console.log(`${path} (${viewport.name}): the page navigated away to ${page.url()} before axe ran`);
        failedPages += 1;
      }
      for (const v of results.violations) {
        violations += 1;
        console.log(`${path} (${viewport.name} ${viewport.width}px): ${v.id} [${v.impact}] ${v.help}`);
        console.log(`    ${v.helpUrl}`);
        for (const node of v.nodes) {
          console.log(`    - ${node.target.join(" ")}`);
          console.log(`      ${node.html.replace(/\s+/g, " ").slice(0, 300)}`);
          for (const line of (node.failureSummary ?? "").split("\n")) {
            if (line.trim()) console.log(`      ${line.trim()}`);
          }
        }
      }
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

console.log(
  `axe-core ${TAGS.join(",")}: ${list.length} pages x ${VIEWPORTS.length} widths, ${checks} checked, ` +
    `${violations} violations, ${failedPages} pages that could not be checked`,
);
process.exit(violations > 0 || failedPages > 0 ? 1 : 0);
