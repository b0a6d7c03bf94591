#!/usr/bin/env node
/**
 * Where the time of a .cpuprofile went: self time grouped by where the code lives (our source,
 * each package, node internals, native/GC), and the top functions by self time.
 *   node bench/profile-summary.mjs <file.cpuprofile> [topN]
 */
import fs from 'node:fs';

const file = process.argv[2];
const topN = Number(process.argv[3] || 25);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(cf) {
  const url = cf.url || '';
  if (!url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/packages/server/src/')) return 'latch server src';
  if (url.includes('/packages/')) return 'latch packages';
  return url.replace(/^file:\/\//, '');
}

const groups = new Map();
const fns = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const g = where(n.callFrame);
  groups.set(g, (groups.get(g) ?? 0) + t);
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${(n.callFrame.url || '').replace(/^.*node_modules\//, '').replace(/^.*packages\//, 'packages/')}:${n.callFrame.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + t);
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
console.log('\nself time by origin:');
for (const [g, t] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(t)}  ${g}`);
console.log(`\ntop ${topN} functions by self time:`);
for (const [f, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, topN)) console.log(`  ${pct(t)}  ${f}`);

// Inclusive time of our own functions (each sample counted once per function on its stack).
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cf = byId.get(cur).callFrame;
    if (!(cf.url || '').includes('/packages/server/src/')) continue;
    const key = `${cf.functionName || '(anonymous)'}  ${cf.url.replace(/^.*packages\//, 'packages/')}:${cf.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    incl.set(key, (incl.get(key) ?? 0) + t);
  }
}
console.log(`\ntop ${topN} latch functions by inclusive time (synchronous part only: awaited work resumes in a new stack):`);
for (const [f, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, topN)) console.log(`  ${pct(t)}  ${f}`);
