// Every page of a built site on a phone, in headless Chromium: nothing wider than the screen.
//
//     node tests/browser/fits.mjs PUBLIC_DIR
//
// At 390 CSS pixels wide (an iPhone 12 to 15), each page must not scroll sideways
// (`document.documentElement.scrollWidth <= 390`), and every table cell must be on the screen and
// visible: its box has a size, lies within 0..390 and within every box around it that clips what
// overflows (a scrolling region), and CSS does not hide it. A cell of a table's header row may
// instead be hidden from view when every cell of its column shows the header's text as a label
// (the `data-label` polis writes, displayed before the cell's value): the reader sees the header
// beside each value rather than once above them.
//
// PUBLIC_DIR is the output folder of `polis build`, served and opened as tests/browser/site.mjs
// says. Run by tests/validators.rs. Needs Chromium (CHROMIUM, default /usr/bin/chromium) and
// `npm install --ignore-scripts` (playwright-core).
//
// Prints each cell off the screen (page, table, row, column, text, where it is) and exits 1 when
// there is one, 2 on a usage or setup error, 0 when every page fits.

import { resolve } from "node:path";
import { launch, open, pages, serve } from "./site.mjs";

const WIDTH = 390;

const [publicDir] = process.argv.slice(2);
if (!publicDir) {
  console.error("usage: node tests/browser/fits.mjs PUBLIC_DIR");
  process.exit(2);
}
const root = resolve(publicDir);
const log = (...args) => console.error("[fits.mjs]", ...args);

const { origin, server } = await serve(root, log);
const list = pages(root);
if (list.length === 0) {
  console.error(`no .html file under ${root}`);
  server.close();
  process.exit(2);
}

// Runs in the page: what does not fit, as lines of text, and how many cells were looked at.
function measure(width) {
  const problems = [];
  // Half a pixel for rounding: a box from 16 to 374.00001 is on the screen.
  const SLACK = 0.5;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width) {
    problems.push(`the page scrolls sideways: it is ${scrollWidth} px wide`);
  }
  const text = (el) => el.textContent.replace(/\s+/g, " ").trim();
  const short = (s) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

  // Where a cell is not on the screen or not visible; null when it is.
  const offScreen = (cell) => {
    const box = cell.getBoundingClientRect();
    if (!cell.checkVisibility({ visibilityProperty: true, opacityProperty: true }) || box.width < 2 || box.height < 2) {
      return `not visible (${box.width.toFixed(0)} x ${box.height.toFixed(0)} px)`;
    }
    if (box.left < -SLACK || box.right > width + SLACK) {
      return `at ${box.left.toFixed(0)}..${box.right.toFixed(0)} px, beyond 0..${width}`;
    }
    for (let up = cell.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === "visible") continue;
      const clip = up.getBoundingClientRect();
      if (box.left < clip.left - SLACK || box.right > clip.right + SLACK) {
        const name = up.className ? `${up.localName}.${up.className}` : up.localName;
        return `at ${box.left.toFixed(0)}..${box.right.toFixed(0)} px, cut off by the ${name} at ${clip.left.toFixed(0)}..${clip.right.toFixed(0)} px`;
      }
    }
    return null;
  };

  // Whether a cell shows `label` before its value. The generated text is computed as a CSS string,
  // `"Naam"`, with its alternative text for screen readers after a slash: `"Naam" / ""`.
  const showsLabel = (cell, label) => {
    if (cell.dataset.label !== label) return false;
    const before = getComputedStyle(cell, "::before");
    const quoted = JSON.stringify(label);
    return before.display !== "none" && (before.content === quoted || before.content.startsWith(`${quoted} /`));
  };

  let cells = 0;
  document.querySelectorAll("table").forEach((table, t) => {
    const rows = [...table.rows];
    rows.forEach((row, r) => {
      [...row.cells].forEach((cell, c) => {
        cells += 1;
        const where = offScreen(cell);
        if (where === null) return;
        if (cell.localName === "th" && row.parentElement.localName === "thead") {
          const label = text(cell);
          const column = rows.filter((other) => other.parentElement.localName !== "thead").map((other) => other.cells[c]);
          const labelled = column.filter((other) => other && showsLabel(other, label) && offScreen(other) === null);
          if (column.length > 0 && labelled.length === column.length) return;
          problems.push(
            `table ${t + 1}, header of column ${c + 1}, "${short(label)}": ${where}, and only ${labelled.length} of the ` +
              `${column.length} cells of its column show it as their label`,
          );
          return;
        }
        problems.push(`table ${t + 1}, row ${r + 1}, column ${c + 1}, ${cell.localName} "${short(text(cell))}": ${where}`);
      });
    });
  });
  return { problems, cells };
}

const browser = await launch();
let failed = 0;
let cells = 0;
try {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 844 } });
  for (const path of list) {
    const { page, response } = await open(context, origin, path, log);
    if (!response || response.status() !== 200) {
      console.log(`${path}: HTTP ${response?.status() ?? "no response"}`);
      failed += 1;
    } else {
      const result = await page.evaluate(measure, WIDTH);
      cells += result.cells;
      if (result.problems.length > 0) {
        failed += 1;
        console.log(`${path} at ${WIDTH} px:`);
        for (const problem of result.problems) console.log(`    ${problem}`);
      }
    }
    await page.close();
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}

// A site without a table would pass vacuously: the sites tested have tables.
if (cells === 0) {
  console.log("no table cell on any page: nothing was measured");
  failed += 1;
}
console.log(`${list.length} pages at ${WIDTH} px, ${cells} table cells, ${failed} pages that do not fit`);
process.exit(failed > 0 ? 1 : 0);
