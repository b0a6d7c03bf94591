import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from '@latch/protocol';

/**
 * A Chaster-dialect error body (DECISIONS §14): NestJS's `statusCode`, `error` (the reason
 * phrase, a string: it replaces §2's `error` object) and `message`, plus latch's `code`,
 * `requestId` and `details`. `extra` carries a route's own fields (the regular-actions 422).
 */
export function chasterErrorBody(status: number, code: ErrorCode, message: string, requestId: string, details?: unknown, extra?: Record<string, unknown>) {
  return {
    ...extra,
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message,
    code,
    requestId,
    ...(details === undefined ? {} : { details }),
  };
}
