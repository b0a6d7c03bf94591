import { fixtureWorld, signedInPage, startPlatform, browserSkipReason } from '../e2e/harness.js';
import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIST } from '../packages/server/src/http/web.js';
import { MAIN_TOKEN_HEADER } from '@latch/protocol/wire';
import { percentile, type Benchmark, type BenchResult } from './lib.js';

/**
 * The bridge round trip as an extension sees it: `session.get` over postMessage through the
 * host page to the API and back, timed inside the iframe in real Chromium. The baseline, in the
 * same page and run, is the same API call fetched directly by the host page (what the bridge adds).
 */
export const bridgeBench: Benchmark = {
  name: 'bridge',
  async run(ctx) {
    let skip: string | false;
    try {
      skip = browserSkipReason();
    } catch (err) {
      skip = (err as Error).message;
    }
    // The host page is the built web UI (`npm run build:web`; `npm test` builds it too).
    if (!skip && !fs.existsSync(path.join(WEB_DIST, 'index.html'))) skip = 'the web UI is not built (npm run build:web)';
    if (skip) {
      ctx.skip('bridge', skip);
      return [];
    }
    const samples = Number(process.env.BENCH_BRIDGE_SAMPLES ?? 300);
    const p = await startPlatform();
    try {
      const w = await fixtureWorld(p, { extension: { iframeUrl: `${p.extOrigin}/index.html`, allowedOrigins: [p.extOrigin] } });
      const { context, page } = await signedInPage(p, w.wearer.username, w.wearer.password);
      await page.goto(`/locks/${w.lock.id}/extensions/${w.session.id}`);
      const frame = (await (await page.waitForSelector('[data-testid="extension-iframe"]')).contentFrame())!;
      await frame.waitForFunction(() => (window as any).ext?.launch != null);
      const mainToken = (await frame.evaluate(() => (window as any).ext.launch.mainToken)) as string;
      const bridge = (await frame.evaluate(async (n) => {
        const ext = (window as any).ext;
        const out: number[] = [];
        for (let i = 0; i < 20; i++) await ext.request('session.get', {}); // warm-up
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          const r = await ext.request('session.get', {});
          if (!r.ok) throw new Error(`bridge answered ${JSON.stringify(r.error)}`);
          out.push(performance.now() - t);
        }
        return out;
      }, samples)) as number[];
      // The baseline: the same read fetched directly by the host page (the iframe's origin may not call the API itself).
      const direct = (await page.evaluate(
        async ([n, sessionId, token, header]) => {
          // No named helper functions in here: the bundler's name-keeping would not exist in the page.
          const out: number[] = [];
          for (let i = 0; i < n + 20; i++) {
            const t = performance.now();
            const res = await fetch(`/api/extensions/sessions/${sessionId}`, { headers: { [header]: token }, credentials: 'omit' });
            await res.json();
            if (!res.ok) throw new Error(`direct fetch ${res.status}`);
            if (i >= 20) out.push(performance.now() - t);
          }
          return out;
        },
        [samples, w.session.id, mainToken, MAIN_TOKEN_HEADER] as const,
      )) as number[];
      const times = { bridge, direct };
      await context.close();
      const b = [...times.bridge].sort((x, y) => x - y);
      const d = [...times.direct].sort((x, y) => x - y);
      const result: BenchResult = {
        name: 'bridge/session.get',
        description: `${samples} sequential session.get round trips timed inside the iframe (Chromium), against the same API call fetched directly by the host page`,
        headline: { label: 'bridge round trip p50 ÷ direct fetch p50', ratio: percentile(b, 50) / percentile(d, 50) },
        figures: {
          samples,
          'bridge p50 ms': percentile(b, 50),
          'bridge p99 ms': percentile(b, 99),
          'direct fetch p50 ms': percentile(d, 50),
          'direct fetch p99 ms': percentile(d, 99),
        },
      };
      return [result];
    } finally {
      await p.close();
    }
  },
};
