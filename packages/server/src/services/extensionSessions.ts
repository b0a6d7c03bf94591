import type { SessionDeps } from './extensionSessionCore.js';
import { createSessionCore } from './extensionSessionCore.js';
import { createSessionReads } from './extensionSessionReads.js';
import { createSessionWrites } from './extensionSessionWrites.js';
import { createSessionLogs } from './extensionSessionLogs.js';

export { checkStateKeys, etagOf, MAX_STATE_BYTES, mergePatch, RESERVED_STATE_KEYS, type Viewer } from './extensionSessionCore.js';

/** The extension session service: reads and search, state and metadata writes, logs and progress (each in its module). */
export function createExtensionSessionService({ db, clock, ids, dialect, requirements, attempts, regularActions, devices }: SessionDeps) {
  const deps = { db, clock, ids, dialect, requirements, attempts, regularActions, devices };
  const core = createSessionCore(deps);
  return {
    ...createSessionReads(deps, core),
    ...createSessionWrites(deps, core),
    ...createSessionLogs(deps),
  };
}

export type ExtensionSessionService = ReturnType<typeof createExtensionSessionService>;
