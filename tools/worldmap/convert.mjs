// convert.mjs turns Natural Earth's country shapes, as the world-atlas package ships them, into
// the SVG paths of the signatories map: views/worldmap.json. It is run once, by hand, when the
// geometry should change (npm ci && node convert.mjs); the server only reads the JSON it writes.
//
// Shapes come from the 1:110m countries (small enough to embed); the countries that scale drops
// (Singapore, Malta, Andorra and other small states) get a dot at their centre, taken from the
// 1:50m countries. Antarctica is left out: it would take a fifth of the height for no signatory.
// Paths are keyed by ISO 3166-1 alpha-2 code; world-atlas uses the numeric codes, mapped here
// with i18n-iso-countries. The projection is Equal Earth, which keeps areas true.

import { readFileSync, writeFileSync } from "node:fs";
import { geoEqualEarth, geoPath, geoCentroid } from "d3-geo";
import { feature } from "topojson-client";
import countries from "i18n-iso-countries";

const width = 960;
const out = new URL("../../views/worldmap.json", import.meta.url);

const atlas = (scale) =>
  JSON.parse(readFileSync(new URL(`./node_modules/world-atlas/countries-${scale}.json`, import.meta.url)));
const features = (topo) => feature(topo, topo.objects.countries).features;

// alpha2 maps a world-atlas feature to its ISO code; features without a numeric code (Kosovo,
// Northern Cyprus, Somaliland) have none and are drawn without a link.
const alpha2 = (f) => (f.id === undefined ? "" : countries.numericToAlpha2(f.id) || "");

const shapes = features(atlas("110m")).filter((f) => f.id !== "010"); // not Antarctica
const projection = geoEqualEarth().fitWidth(width, { type: "FeatureCollection", features: shapes });
const path = geoPath(projection);
const [[, y0], [, y1]] = path.bounds({ type: "FeatureCollection", features: shapes });
const height = Math.ceil(y1);

// compact rewrites a path of absolute moves and lines (as d3 writes it) with relative lines on a
// grid of a tenth of a pixel, dropping the points that rounding merges: about half the bytes.
const compact = (d) => {
  const num = (v) => {
    const s = String(v / 10);
    return s.startsWith("0.") ? s.slice(1) : s.startsWith("-0.") ? "-" + s.slice(2) : s;
  };
  const pair = (a, b) => {
    const bs = num(b);
    return num(a) + (bs.startsWith("-") ? "" : ",") + bs;
  };
  let out = "";
  let x = 0, y = 0, line = false;
  for (const [, cmd, args] of d.matchAll(/([MLZ])([^MLZ]*)/g)) {
    if (cmd === "Z") { out += "z"; line = false; continue; }
    const [px, py] = args.split(",").map((n) => Math.round(Number(n) * 10));
    if (cmd === "M") {
      out += "M" + pair(px, py);
      line = false;
    } else if (px !== x || py !== y) {
      const p = pair(px - x, py - y); // after an l, further pairs are lines too
      out += line ? (p.startsWith("-") ? "" : " ") + p : "l" + p;
      line = true;
    }
    x = px; y = py;
  }
  return out;
};

const seen = new Set();
const paths = [];
for (const f of shapes) {
  const id = alpha2(f);
  const d = path(f);
  if (!d) continue;
  if (id) seen.add(id);
  paths.push({ id, name: f.properties.name, d: compact(d) });
}
paths.sort((a, b) => (a.id || "~" + a.name).localeCompare(b.id || "~" + b.name));

const dots = [];
for (const f of features(atlas("50m"))) {
  const id = alpha2(f);
  if (!id || seen.has(id) || id === "AQ") continue;
  const [x, y] = projection(geoCentroid(f));
  if (!(y >= 0 && y <= height)) continue;
  seen.add(id);
  dots.push({ id, x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 });
}
dots.sort((a, b) => a.id.localeCompare(b.id));

const meta = JSON.parse(readFileSync(new URL("./node_modules/world-atlas/package.json", import.meta.url)));
const json = {
  source: `Natural Earth 1:110m and 1:50m countries, world-atlas ${meta.version}, Equal Earth projection`,
  width,
  height,
  shapes: paths.map(({ id, d }) => ({ id, d })),
  dots,
};
writeFileSync(out, JSON.stringify(json) + "\n");
console.log(`${paths.length} shapes, ${dots.length} dots, ${width}x${height}, top ${y0.toFixed(1)}`);
