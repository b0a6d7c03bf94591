/**
 * Shared helpers for the benchmarks behind `npm run bench`: load generation (autocannon),
 * an in-process bare-Fastify baseline, medians, and reporting. Nothing here asserts on timings:
 * a benchmark reports figures, it does not pass or fail on them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'latest.json');

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

export interface LoadSettings {
  /** Concurrent connections autocannon keeps open. */
  connections: number;
  /** Seconds per measured run. */
  durationSec: number;
  /** Seconds of warm-up per target before the measured runs (results discarded). */
  warmupSec: number;
  /** Measured runs per target; baseline and target alternate, the median is reported. */
  rounds: number;
  /** autocannon worker threads (0 = the load generator shares the servers' event loop). */
  workers: number;
}

function envNumber(name: string, fallback: number, opts: { min: number; integer?: boolean }): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < opts.min || (opts.integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be ${opts.integer ? 'an integer' : 'a number'} >= ${opts.min}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** Settings from the environment: BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_ROUNDS, BENCH_WORKERS. */
export function loadSettings(): LoadSettings {
  return {
    connections: envNumber('BENCH_CONNECTIONS', 10, { min: 1, integer: true }),
    durationSec: envNumber('BENCH_DURATION', 5, { min: 1, integer: true }),
    warmupSec: envNumber('BENCH_WARMUP', 1, { min: 0, integer: true }),
    rounds: envNumber('BENCH_ROUNDS', 3, { min: 2, integer: true }),
    workers: envNumber('BENCH_WORKERS', 0, { min: 0, integer: true }),
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// ---------------------------------------------------------------------------------------------
// Load generation
// ---------------------------------------------------------------------------------------------

/** What to hit: one URL with fixed headers, GET unless told otherwise. */
export interface Target {
  label: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

/** One autocannon run, reduced to the figures we report. */
export interface RunResult {
  label: string;
  /** Mean requests per second over the run (autocannon's per-second samples). */
  reqPerSec: number;
  /** Latency percentiles in milliseconds. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** `exact`: every 2xx response time; otherwise autocannon's whole-millisecond histogram (worker mode). */
  latencySource: 'exact' | 'autocannon histogram (1 ms resolution)';
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Highest process RSS sampled while this run was going (bytes; every server here shares the process). */
  rssPeakBytes: number;
  durationSec: number;
}

const RSS_SAMPLE_MS = 20;

/** Nearest-rank percentile of an ascending-sorted list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Runs autocannon once against a target while sampling the process RSS.
 *
 * autocannon's own latency histogram stores whole milliseconds, which reads "0 ms" for a fast
 * local route; without worker threads we therefore also collect every 2xx response time
 * (hrtime-based, fractional ms) from its `response` events and take exact percentiles.
 */
export async function runLoad(target: Target, settings: { connections: number; durationSec: number; workers: number }): Promise<RunResult> {
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  sampler.unref();
  const inProcess = settings.workers === 0;
  const times: number[] = [];
  let result: autocannon.Result;
  try {
    result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: target.url,
          method: target.method ?? 'GET',
          headers: target.headers ?? {},
          ...(target.body !== undefined ? { body: target.body } : {}),
          connections: settings.connections,
          duration: settings.durationSec,
          ...(inProcess ? {} : { workers: settings.workers }),
        },
        (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
      );
      if (inProcess) {
        instance.on('response', (_client, statusCode, _bytes, responseTime) => {
          if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
        });
      }
    });
  } finally {
    clearInterval(sampler);
  }
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  times.sort((a, b) => a - b);
  const exact = times.length > 0;
  return {
    label: target.label,
    reqPerSec: result.requests.average,
    latencyP50Ms: exact ? percentile(times, 50) : result.latency.p50,
    latencyP99Ms: exact ? percentile(times, 99) : result.latency.p99,
    latencyMaxMs: exact ? times[times.length - 1]! : result.latency.max,
    latencySource: exact ? 'exact' : 'autocannon histogram (1 ms resolution)',
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    rssPeakBytes: rssPeak,
    durationSec: result.duration,
  };
}

/** The medians of several runs of one target. */
export interface Summary {
  label: string;
  runs: number;
  reqPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencySource: RunResult['latencySource'];
  /** Highest RSS over all of this target's runs. */
  rssPeakBytes: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export function summarize(label: string, runs: readonly RunResult[]): Summary {
  return {
    label,
    runs: runs.length,
    reqPerSec: median(runs.map((r) => r.reqPerSec)),
    latencyP50Ms: median(runs.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(runs.map((r) => r.latencyP99Ms)),
    latencySource: runs.every((r) => r.latencySource === 'exact') ? 'exact' : 'autocannon histogram (1 ms resolution)',
    rssPeakBytes: Math.max(...runs.map((r) => r.rssPeakBytes)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
  };
}

export interface Comparison {
  baseline: Summary;
  target: Summary;
  /** target req/s ÷ baseline req/s (medians). */
  ratio: number;
  rounds: { baseline: RunResult; target: RunResult }[];
}

/**
 * Warms both up, then measures baseline and target alternately (B, T, B, T, …) so drift in the
 * machine (thermal, other load) hits both sides alike; reports medians.
 */
export async function compare(baseline: Target, target: Target, settings: LoadSettings, log: (line: string) => void): Promise<Comparison> {
  if (settings.warmupSec > 0) {
    log(`  warm-up ${settings.warmupSec}s each`);
    for (const t of [baseline, target]) await runLoad(t, { ...settings, durationSec: settings.warmupSec });
  }
  const rounds: Comparison['rounds'] = [];
  for (let i = 0; i < settings.rounds; i++) {
    const b = await runLoad(baseline, settings);
    const t = await runLoad(target, settings);
    log(`  round ${i + 1}/${settings.rounds}: ${baseline.label} ${fmtInt(b.reqPerSec)} req/s, ${target.label} ${fmtInt(t.reqPerSec)} req/s`);
    rounds.push({ baseline: b, target: t });
  }
  const b = summarize(baseline.label, rounds.map((r) => r.baseline));
  const t = summarize(target.label, rounds.map((r) => r.target));
  return { baseline: b, target: t, ratio: t.reqPerSec / b.reqPerSec, rounds };
}

// ---------------------------------------------------------------------------------------------
// The bare-Fastify baseline
// ---------------------------------------------------------------------------------------------

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A Fastify 5 server with one trivial JSON route and nothing else: the ceiling to compare against. */
export async function startBareFastify(): Promise<RunningServer & { path: string }> {
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world' }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, path: '/hello', close: () => app.close() };
}

// ---------------------------------------------------------------------------------------------
// Benchmarks and reporting
// ---------------------------------------------------------------------------------------------

export interface BenchContext {
  settings: LoadSettings;
  log(line: string): void;
  /** Records that part of a benchmark did not run (e.g. PostgreSQL unreachable); printed and kept in the JSON. */
  skip(name: string, reason: string): void;
}

export interface BenchResult {
  name: string;
  /** One line that says what the figures mean. */
  description: string;
  /** The ratio that matters, e.g. "latch GET /api/me ÷ bare Fastify". */
  headline: { label: string; ratio: number };
  /** An HTTP load comparison (autocannon) … */
  comparison?: Comparison;
  /** … or figures measured another way (e.g. in the browser), with their own baseline. */
  figures?: Record<string, number>;
  /**
   * The figure and its baseline for the summary table (e.g. windows/s against a reference); with
   * a `comparison` it defaults to the two sides' req/s.
   */
  summary?: { figure: number; baseline: number; unit: string };
  /** The acceptance target (issue 15): shown with the figure, whether it is met; never asserted. */
  target?: { label: string; met: boolean };
}

export interface Benchmark {
  name: string;
  /** One comparison, or several (e.g. one per route and database); an empty list if everything was skipped. */
  run(ctx: BenchContext): Promise<BenchResult | BenchResult[]>;
}

/** A part of a benchmark that did not run, and why. */
export interface SkippedBench {
  name: string;
  reason: string;
}

/**
 * Throws unless every response of both sides was a 2xx without errors or timeouts. Not a timing
 * check: figures made of error responses would be meaningless, so such a run must not report any.
 */
export function assertAll2xx(c: Comparison): void {
  const bad = (s: Summary) => s.non2xx > 0 || s.errors > 0 || s.timeouts > 0;
  const what = (s: Summary) => `${s.label}: ${s.non2xx} non-2xx/${s.errors} errors/${s.timeouts} timeouts`;
  if (bad(c.baseline) || bad(c.target)) throw new Error(`responses were not all 2xx (${what(c.baseline)}; ${what(c.target)})`);
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtMs(n: number): string {
  return `${n.toFixed(2)} ms`;
}

export function fmtMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ') + ' |';
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export function renderResult(r: BenchResult): string {
  if (!r.comparison) {
    const rows = Object.entries(r.figures ?? {}).map(([k, v]) => [k, Number.isInteger(v) ? fmtInt(v) : v.toFixed(3)]);
    const target = r.target ? [`  target ${r.target.label}: ${r.target.met ? 'met' : 'not met'}`] : [];
    return [table([['figure', 'value'], ...rows]), '', `  ${r.headline.label}: ${r.headline.ratio.toFixed(3)}`, ...target].join('\n');
  }
  const { baseline, target } = r.comparison;
  const row = (s: Summary) => [s.label, fmtInt(s.reqPerSec), fmtMs(s.latencyP50Ms), fmtMs(s.latencyP99Ms), fmtMiB(s.rssPeakBytes), `${s.non2xx}/${s.errors}`];
  const out = [
    table([['', 'req/s (median)', 'p50 (median)', 'p99 (median)', 'RSS peak', 'non-2xx/errors'], row(baseline), row(target)]),
    '',
    `  RSS is the whole bench process (both servers and the load generator), peak while that side ran.`,
    ...(baseline.latencySource === 'exact' && target.latencySource === 'exact' ? [] : ['  Latencies come from autocannon\'s whole-millisecond histogram (worker mode).']),
    `  ${r.headline.label}: ${r.headline.ratio.toFixed(3)}  (${(r.headline.ratio * 100).toFixed(1)}% of the baseline's throughput)`,
  ];
  return out.join('\n');
}

export interface ResultsFile {
  generatedAt: string;
  environment: { node: string; platform: string; arch: string; cpus: number; cpuModel: string };
  settings: LoadSettings;
  /** Highest RSS of the whole bench process (process.resourceUsage().maxRSS), bytes. */
  processMaxRssBytes: number;
  benchmarks: BenchResult[];
  /** Parts that did not run (e.g. the PostgreSQL half when no server was reachable). */
  skipped: SkippedBench[];
}

export function writeResults(settings: LoadSettings, benchmarks: BenchResult[], skipped: SkippedBench[] = []): string {
  const cpus = os.cpus();
  const file: ResultsFile = {
    generatedAt: new Date().toISOString(),
    environment: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown' },
    settings,
    processMaxRssBytes: process.resourceUsage().maxRSS * 1024,
    benchmarks,
    skipped,
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(file, null, 2) + '\n');
  return RESULTS_FILE;
}

/** The figure, baseline and unit a result shows in the summary table. */
function summaryFigures(r: BenchResult): { figure: number; baseline: number; unit: string } | null {
  if (r.summary) return r.summary;
  if (r.comparison) return { figure: r.comparison.target.reqPerSec, baseline: r.comparison.baseline.reqPerSec, unit: 'req/s' };
  return null;
}

/**
 * The one table `npm run bench` ends with: every result's figure, its baseline, the ratio and the
 * target (when the result names one), and whether the ratio reaches it. Informational only.
 */
export function renderSummaryTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => {
    const f = summaryFigures(r);
    const fmt = (n: number) => (n >= 100 ? fmtInt(n) : n.toFixed(2));
    return [
      r.headline.label,
      f ? `${fmt(f.figure)} ${f.unit}` : '—',
      f ? `${fmt(f.baseline)} ${f.unit}` : '—',
      r.headline.ratio.toFixed(3),
      r.target ? r.target.label : '—',
      r.target ? (r.target.met ? 'met' : 'below') : '',
    ];
  });
  return table([['figure', 'measured', 'baseline', 'ratio', 'target', ''], ...rows]);
}
