/**
 * Statements per request of the measured routes (the deterministic half of the profile: unlike
 * req/s it does not move with the machine's load). Counts every statement Kysely sends, raw SQL
 * included, for 20 GET session and 20 PATCH state requests on SQLite and PostgreSQL.
 *   npx tsx bench/query-count.ts
 * Transaction control (BEGIN/COMMIT) is not counted.
 */
import type { KyselyPlugin } from 'kysely';
import { openPostgres, openSqlite, PATCH_BODY, pgUnreachable, PG_URL, startLatch, type BenchDatabase } from './extension-session.bench.js';

let statements = 0;
const counter: KyselyPlugin = {
  transformQuery: (args) => {
    statements++;
    return args.node;
  },
  transformResult: async (args) => args.result,
};

const N = 20;
for (const kind of ['sqlite', 'postgres'] as const) {
  if (kind === 'postgres' && (await pgUnreachable(PG_URL))) continue;
  const bdb: BenchDatabase = kind === 'sqlite' ? await openSqlite() : await openPostgres();
  bdb.database.db = bdb.database.db.withPlugin(counter);
  const latch = await startLatch(bdb);
  try {
    const base = `${latch.url}/api/extensions/sessions/${latch.sessionId}`;
    for (const [label, init, url] of [
      ['GET session', { headers: latch.auth }, base],
      ['PATCH state', { method: 'PATCH', headers: { ...latch.auth, 'content-type': 'application/json' }, body: PATCH_BODY }, `${base}/state`],
    ] as const) {
      await fetch(url, init).then((r) => r.arrayBuffer());
      await new Promise((r) => setTimeout(r, 50));
      statements = 0;
      for (let i = 0; i < N; i++) {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${label}: ${res.status}`);
      }
      // Let after-response work (audit rows) land before counting.
      await new Promise((r) => setTimeout(r, 100));
      console.log(`${kind} ${label}: ${(statements / N).toFixed(1)} statements per request`);
    }
  } finally {
    await latch.close();
  }
}
