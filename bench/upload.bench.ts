/**
 * Memory while uploading extension files: the server streams a multipart upload to the blob
 * store (local directory), so its resident memory must not grow by the size of the file. The
 * real app (SQLite file, every hook) listens on a port; a client streams a 10 MiB PNG from disk
 * over HTTP several times, one after another and then several at once, while the process RSS
 * is sampled every few milliseconds. Reported: the peak RSS above the settled level before the
 * uploads, against the file size (a server that buffered the upload whole would be ≥ 1).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { buildApp } from '../packages/server/src/app.js';
import { systemClock } from '../packages/server/src/clock.js';
import { testConfig } from '../packages/server/src/config.js';
import { openDatabase } from '../packages/server/src/db/connect.js';
import { migrateToLatest } from '../packages/server/src/db/migrate.js';
import { createIdGenerator } from '../packages/server/src/ids.js';
import { MAIN_TOKEN_HEADER } from '@latch/protocol/wire';
import { fmtMiB, median, type Benchmark, type BenchResult } from './lib.js';

const MiB = 1024 * 1024;
const FILE_BYTES = 10 * MiB;
const SAMPLE_MS = 2;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The RSS level to measure against: the median over a quiet moment. No forced GC: a collection
 * right before would shrink the heap and count its regrowth as the upload's cost.
 */
async function settledRss(): Promise<number> {
  await sleep(300);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(process.memoryUsage.rss());
    await sleep(10);
  }
  return median(samples);
}

/** Peak RSS while `work` runs, sampled every SAMPLE_MS. */
async function peakRssDuring(work: () => Promise<void>): Promise<number> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss());
}

export const uploadBench: Benchmark = {
  name: 'upload',
  async run(ctx) {
    const count = Number(process.env.BENCH_UPLOADS ?? 8);
    const parallel = Number(process.env.BENCH_UPLOADS_PARALLEL ?? 4);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-bench-upload-'));
    const database = await openDatabase(`sqlite:${path.join(dir, 'latch.db')}`);
    await migrateToLatest(database);
    const base = testConfig({ publicUrl: 'http://127.0.0.1', rateLimitMultiplier: 1000 });
    const app = await buildApp({
      config: { ...base, files: { ...base.files, dir: path.join(dir, 'files'), s3: null } },
      database,
      clock: systemClock,
      ids: createIdGenerator(systemClock),
      logger: pino({ level: 'silent' }),
    });
    try {
      const world = (await app.inject({ method: 'POST', url: '/api/dev/fixtures', payload: {} })).json() as { app: { appKey: string }; session: { id: string }; mainTokens: { wearer: string } };
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = new URL(address);

      // Files that sniff as PNG, on disk: the client streams them, it never holds one whole.
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
      function makeSource(size: number): { file: string; size: number } {
        const file = path.join(dir, `upload-${size}.png`);
        const out = fs.openSync(file, 'w');
        fs.writeSync(out, png.subarray(0, 16));
        for (let written = 16; written < size; ) {
          const chunk = randomBytes(Math.min(MiB, size - written));
          fs.writeSync(out, chunk);
          written += chunk.length;
        }
        fs.closeSync(out);
        return { file, size };
      }
      const big = makeSource(FILE_BYTES);
      const small = makeSource(MiB);

      const boundary = `----latchbench${randomBytes(6).toString('hex')}`;
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.png"\r\nContent-Type: image/png\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const auth = { authorization: `Bearer ${world.app.appKey}`, [MAIN_TOKEN_HEADER]: world.mainTokens.wearer };
      const filesPath = `/api/extensions/sessions/${world.session.id}/files`;

      const durations: number[] = [];
      async function uploadOnce(src: { file: string; size: number }): Promise<void> {
        const started = performance.now();
        const headers = { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + src.size + tail.length) };
        const body = await new Promise<string>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: filesPath, headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => (res.statusCode === 201 ? resolve(text) : reject(new Error(`upload answered ${res.statusCode} ${text}`))));
          });
          req.on('error', reject);
          req.write(head);
          const file = fs.createReadStream(src.file);
          file.on('error', reject);
          file.on('end', () => req.end(tail));
          file.pipe(req, { end: false });
        });
        if (src === big) durations.push(performance.now() - started);
        const { id } = JSON.parse(body) as { id: string };
        // Keep the session under its 100 MiB quota: every upload is removed again.
        const del = await app.inject({ method: 'DELETE', url: `${filesPath}/${id}`, headers: auth });
        if (del.statusCode !== 200) throw new Error(`delete answered ${del.statusCode} ${del.body}`);
      }

      /** Peak RSS above the settled level while `n` uploads of `src` run (`together`: all at once). */
      async function phase(src: { file: string; size: number }, n: number, together: boolean): Promise<{ before: number; peak: number; increase: number }> {
        const before = await settledRss();
        const peak = await peakRssDuring(async () => {
          if (together) await Promise.all(Array.from({ length: n }, () => uploadOnce(src)));
          else for (let i = 0; i < n; i++) await uploadOnce(src);
        });
        return { before, peak, increase: peak - before };
      }

      ctx.log(`  latch ${address}; uploads of ${fmtMiB(FILE_BYTES)} (${count} one after another, twice; ${parallel} at once) and of 1 MiB (control) to the local store`);
      for (let i = 0; i < 3; i++) await uploadOnce(big); // warm-up: code paths, pools, heap size
      durations.length = 0;

      const seq1 = await phase(big, count, false);
      const control = await phase(small, count, false);
      const seq2 = await phase(big, count, false);
      const par = await phase(big, parallel, true);
      const seq = seq1.increase >= seq2.increase ? seq1 : seq2;
      const uploadMs = median(durations.slice(0, count * 2));
      ctx.log(
        `  10 MiB one at a time: +${fmtMiB(seq1.increase)}, +${fmtMiB(seq2.increase)} over ${fmtMiB(seq.before)}; ` +
          `1 MiB one at a time: +${fmtMiB(control.increase)}; ${parallel} × 10 MiB at once: +${fmtMiB(par.increase)}`,
      );

      const result: BenchResult = {
        name: 'upload',
        description:
          `Peak RSS increase of the server process while streaming multipart uploads to the local blob store, sampled every ${SAMPLE_MS} ms ` +
          `against the settled level before each phase; a server that buffered uploads whole would grow by ≥ 1× the file per upload in flight`,
        headline: { label: 'peak RSS increase during 10 MiB uploads (one at a time) ÷ file size', ratio: seq.increase / FILE_BYTES },
        figures: {
          'file MiB': FILE_BYTES / MiB,
          'uploads per phase': count,
          'RSS settled MiB': seq.before / MiB,
          'RSS increase, 10 MiB one at a time (worse of 2 phases) MiB': seq.increase / MiB,
          'RSS increase, 1 MiB one at a time (control) MiB': control.increase / MiB,
          'uploads at once': parallel,
          'RSS increase, 10 MiB all at once MiB': par.increase / MiB,
          'upload median ms (10 MiB)': uploadMs,
          'upload MiB/s': FILE_BYTES / MiB / (uploadMs / 1000),
        },
      };
      return [result];
    } finally {
      await app.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
