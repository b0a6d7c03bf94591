/**
 * An External API program (spec 000 "External API & Programs"): your own script on your own
 * lock, with a user-wide developer key on `/api/apps/v1`. It reads the session, adds time, sets
 * an unlock blocker and writes a history entry; `--clear` removes the blocker again.
 *
 *   LATCH_URL=http://127.0.0.1:3000 LATCH_USER_KEY=lk_usr_… npx tsx examples/external-script/src/main.ts
 *   LATCH_URL=… LATCH_USER_KEY=… npx tsx examples/external-script/src/main.ts --clear
 *
 * Optional: LATCH_LOCK_ID (one of your active locks; default: the most recent),
 * ADD_SECONDS (default 600), BLOCKER (the blocker's text).
 */
import { createExternalClient, LatchApiError, LatchError } from '@latch/client';

const baseUrl = (process.env.LATCH_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const userKey = process.env.LATCH_USER_KEY;
const lockId = process.env.LATCH_LOCK_ID || undefined;
const addSeconds = Number(process.env.ADD_SECONDS ?? 600);
const blocker = process.env.BLOCKER ?? 'Check in with the external script before unlocking';
const clear = process.argv.includes('--clear');

if (!userKey) {
  console.error('LATCH_USER_KEY is required: a user-wide developer key (developer console → Developer keys, no app selected).');
  process.exit(2);
}
if (!clear && (!Number.isInteger(addSeconds) || addSeconds < 1)) {
  console.error('ADD_SECONDS must be a positive whole number of seconds.');
  process.exit(2);
}

const me = createExternalClient({ baseUrl, userKey, ...(lockId ? { lockId } : {}) });

const clock = (s: number | null) => (s === null ? 'hidden' : `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m ${String(s % 60).padStart(2, '0')}s`);

try {
  // 1. Read: which lock, how long, what holds it.
  const session = await me.session();
  const d = session.lockData;
  console.log(`Lock "${d.lockTitle}" (${session.lockId}): ${clock(d.timeRemainingSeconds)} left${d.frozen ? ', frozen' : ''}; holding it: ${d.unlockBlockedReasons.join(', ') || 'nothing'}`);

  if (clear) {
    // Only this program's own blockers are replaced; other extensions' blockers stay.
    await me.metadata.patch({ unlockBlockers: [] });
    await me.logs.custom({ title: 'External script: blocker cleared', color: '#2e7d32' });
    console.log('Blocker cleared.');
  } else {
    // 2. Add time (an Idempotency-Key goes with it: a retried request adds it once).
    const added = await me.lock.applyTime(addSeconds);
    console.log(`Added ${addSeconds} s: ${clock(added.lockData.timeRemainingSeconds)} left.`);

    // 3. Hold the lock until the blocker is cleared (by this script with --clear).
    const meta = await me.metadata.patch({ unlockBlockers: [blocker] });
    console.log(`Blocker set: "${blocker}" (${meta.aggregatedUnlockBlockers.length} blocker(s) on the lock).`);

    // 4. Leave a trace in the lock history.
    const log = await me.logs.custom({ title: 'External script ran', description: `Added ${addSeconds} s and set the blocker “${blocker}”.`, color: '#3b6fd8' });
    console.log(`History entry ${log.id} written.`);
  }
} catch (err) {
  if (err instanceof LatchApiError) {
    // `code` is the catalog code (on /api/apps/v1 the body's `error` is that string).
    const hint: Record<string, string> = {
      invalid_credentials: 'the key is unknown or revoked',
      user_wide_dev_key_required: 'this is an app-scoped key; create one without an app',
      no_active_lock_session: 'you have no active lock (or LATCH_LOCK_ID is not one of them)',
      role_not_allowed: 'your keyholder has not allowed external programs to do that',
      rate_limited: 'too many requests; try again shortly',
    };
    console.error(`${err.status} ${err.code}: ${err.message}${hint[err.code] ? ` (${hint[err.code]})` : ''} [request ${err.requestId}]`);
  } else if (err instanceof LatchError) {
    console.error(`${err.code}: ${err.message} (is latch running at ${baseUrl}?)`);
  } else {
    console.error(err);
  }
  process.exit(1);
}
