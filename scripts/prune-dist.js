/**
 * Runs before every build: deletes files under dist/ whose source is gone. tsc never removes its old output, so
 * after a file moved (core/errors.ts became core/errors/index.ts) a stale dist/core/errors.js would still answer
 * `require('../core/errors')` in a reused checkout. Incremental builds stay fast: only orphans go.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

function sourceOf(rel) {
  const m = /^(.*?)(\.d\.ts|\.js\.map|\.js)$/.exec(rel);
  if (!m) return null; // not tsc output (e.g. .tsbuildinfo): keep
  return [`${m[1]}.ts`, `${m[1]}.js`].map((c) => path.join(root, c));
}

let removed = 0;
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      continue;
    }
    const sources = sourceOf(path.relative(dist, full));
    if (sources && !sources.some((s) => fs.existsSync(s))) {
      fs.unlinkSync(full);
      removed++;
    }
  }
}
if (fs.existsSync(dist)) walk(dist);
if (removed > 0) console.log(`prune-dist: removed ${removed} file(s) whose source is gone`);
