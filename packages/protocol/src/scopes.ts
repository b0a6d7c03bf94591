/**
 * Scopes an extension app may request. Only `locks:write` is named by the spec (device commands
 * and lock actions); the rest split the remaining privileged routes so a lock owner can see
 * what an app will be able to do before installing it.
 */
export const SCOPES = {
  'locks:write': 'Change the lock: time, freeze, pillory, tasks, hygienic opening, settings, device commands',
  'state:write': 'Write the extension state of a session',
  'metadata:write': 'Set unlock blockers and home actions',
  'logs:write': 'Write custom entries to the lock history',
  'notifications:write': 'Send notifications to the wearer or keyholder',
  'regular_actions:write': 'Submit regular actions and change their configuration',
  'requirements:write': 'Record progress for required actions and run attempts',
  'files:write': 'Upload and delete extension files',
  'sessions:background': 'Act on a session without an open launch (needs the lock owner’s approval)',
} as const;

export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];
/** Every scope except the one that needs the owner's explicit approval. */
export const DEFAULT_SCOPES = ALL_SCOPES.filter((s) => s !== 'sessions:background');
