// axe-core's WCAG 2.1 A and AA rules against every page of a built site, in headless Chromium,
// at a desktop and a phone width.
//
//     node tests/browser/axe.mjs PUBLIC_DIR
//
// PUBLIC_DIR is the output folder of `polis build`. Its pages are served over HTTP on 127.0.0.1
// (a port the system picks) by a small static server in this script, so that relative links
// and the stylesheet load as they do on a real host. A page is checked as its HTML arrives: any
// later navigation (the meta refresh of the root page) is answered with 204 No Content, which
// keeps the page where it is, and every request that leaves this server is stopped. Run by tests/validators.rs. Needs Chromium (CHROMIUM, default
// /usr/bin/chromium) and `npm install --ignore-scripts` (playwright-core, axe-core).
//
// Prints each violation (rule, impact, help, the nodes it found) and exits 1 when there is one,
// 2 on a usage or setup error, 0 when every page passed at every width.

import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, join, relative, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

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

// Every .html file under the folder, as a URL path (`en/privacy-policy/index.html`).
function pages(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      found.push(...pages(path));
    } else if (name.endsWith(".html")) {
      found.push(relative(root, path).split(sep).join("/"));
    }
  }
  return found;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".json": "application/json",
};

// A static server for the folder: a folder path answers with its index.html; nothing outside the
// folder is served.
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  let file = resolve(root, "." + path);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    log(`404 for ${req.url}`);
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const list = pages(root);
if (list.length === 0) {
  console.error(`no .html file under ${root}`);
  server.close();
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  timeout: 60_000,
});

let violations = 0;
let failedPages = 0;
let checks = 0;
try {
  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    for (const path of list) {
      const url = `${origin}/${path}`;
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on("pageerror", (e) => log(`${path}: page error: ${e.message}`));
      // The page itself and what it loads from this server; no second navigation, nothing from
      // elsewhere.
      let navigated = false;
      await page.route("**/*", (route) => {
        const request = route.request();
        const own = request.url().startsWith(origin + "/");
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
          // A 204 answer ends a navigation and leaves the page as it was (an abort would show
          // Chromium's error page instead).
          if (navigated || request.url() !== url) return route.fulfill({ status: 204 });
          navigated = true;
          return route.continue();
        }
        return own ? route.continue() : route.abort();
      });
      const response = await page.goto(url, { waitUntil: "load" });
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
