/**
 * `npm run bench`: runs every benchmark listed below, prints a table per benchmark and writes
 * all figures to bench/results/latest.json. Env: BENCH_DURATION (s, default 5), BENCH_WARMUP
 * (s, default 1), BENCH_CONNECTIONS (default 10), BENCH_ROUNDS (default 3), BENCH_WORKERS
 * (autocannon worker threads, default 0), BENCH_ONLY (comma-separated benchmark names),
 * BENCH_PG_URL (PostgreSQL for the benchmarks that also run there, default
 * postgres://postgres@127.0.0.1:5432/test; a fresh schema is used and dropped; skipped with a note
 * when unreachable).
 *
 * `npm run bench -- --quick` (or BENCH_QUICK=1): 1 s × 1 round, no warm-up, so CI can run every
 * benchmark end to end and keep it from rotting; it fails on errors (a non-2xx, a crash), never on
 * speed (the scheduler benchmark then uses 1k/5k sessions). Ends with one summary table: each figure, its baseline, the ratio and its target.
 */
import { extensionSessionBench } from './extension-session.bench.js';
import { fmtMiB, loadSettings, renderResult, renderSummaryTable, writeResults, type Benchmark, type BenchResult, type SkippedBench } from './lib.js';
import { meBench } from './me.bench.js';
import { bridgeBench } from './bridge.bench.js';
import { uploadBench } from './upload.bench.js';
import { schedulerBench } from './scheduler.bench.js';
import { startupBench } from './startup.bench.js';

/** Add new benchmarks here. */
const BENCHMARKS: Benchmark[] = [meBench, extensionSessionBench, bridgeBench, uploadBench, schedulerBench, startupBench];

async function main() {
  const quick = process.argv.slice(2).includes('--quick') || process.env.BENCH_QUICK === '1';
  const settings = quick ? { ...loadSettings(), durationSec: 1, rounds: 1, warmupSec: 0 } : loadSettings();
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) throw new Error(`BENCH_ONLY names unknown benchmarks: ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  const selected = only.length ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS;

  const log = (line: string) => console.log(line);
  log(
    `latch bench: ${settings.connections} connections, ${settings.durationSec}s x ${settings.rounds} rounds per side, ` +
      `${settings.warmupSec}s warm-up, ${settings.workers ? `${settings.workers} autocannon worker(s)` : 'autocannon in-process'}, node ${process.version}`,
  );

  const results: BenchResult[] = [];
  const skipped: SkippedBench[] = [];
  const skip = (name: string, reason: string) => {
    skipped.push({ name, reason });
    log(`  SKIPPED ${name}: ${reason}`);
  };
  for (const bench of selected) {
    log(`\n[${bench.name}]`);
    const out = await bench.run({ settings, log, skip });
    for (const result of Array.isArray(out) ? out : [out]) {
      results.push(result);
      log('');
      if (result.name !== bench.name) log(`${result.name}:`);
      log(renderResult(result));
    }
  }

  const file = writeResults(settings, results, skipped);
  log('');
  log(`Summary${quick ? ' (--quick: 1 s rounds, figures are rough)' : ''}: ratio = figure ÷ baseline, measured in this run`);
  log(renderSummaryTable(results));
  for (const s of skipped) log(`skipped ${s.name}: ${s.reason}`);
  log(`process max RSS: ${fmtMiB(process.resourceUsage().maxRSS * 1024)}`);
  log(`results written to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
