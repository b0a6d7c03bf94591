/**
 * The built-in app behind `/api/apps/v1`: scripts with a user-wide key act through its session on
 * the lock (DECISIONS §4). It is seeded by migration 0003 and never listed, installed or removed.
 */
export const EXTERNAL_APP_ID = '000000000000000000000002';
