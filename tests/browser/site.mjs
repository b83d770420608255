// What the browser tests share: the pages of a built site, served over HTTP on 127.0.0.1 (a port
// the system picks) by a small static server, so that relative links and the stylesheet load as
// they do on a real host, and opened in headless Chromium (CHROMIUM, default /usr/bin/chromium).
// A page is checked as its HTML arrives: any later navigation (the meta refresh of the root page)
// is answered with 204 No Content, which keeps the page where it is, and every request that
// leaves this server is stopped.

import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

// Every .html file under the folder, as a URL path (`en/privacy-policy/index.html`).
export function pages(root, dir = root) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      found.push(...pages(root, path));
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
  ".mjs": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
  ".json": "application/json",
};

// Serves the folder: a folder path answers with its index.html; nothing outside the folder is
// served. Returns the origin (`http://127.0.0.1:PORT`) and the server, to close.
export async function serve(root, log) {
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
  return { origin: `http://127.0.0.1:${server.address().port}`, server };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    timeout: 60_000,
  });
}

// Opens `path` of the site at `origin` in a new page of `context`: the page itself and what it
// loads from this server; no second navigation, nothing from elsewhere. Returns the page and the
// response to the page's own request.
export async function open(context, origin, path, log) {
  const url = `${origin}/${path}`;
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("pageerror", (e) => log(`${path}: page error: ${e.message}`));
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
  return { page, response, url };
}
