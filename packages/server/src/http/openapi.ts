import { Type, type TUnsafe } from '@sinclair/typebox';
import { ERROR_CATALOG, type AppsErrorBody, type ChasterErrorBody, type ErrorBody, type ErrorCode } from '@latch/protocol';

/**
 * Which error body a route answers with: §2's, /api/apps/v1's, Chaster's (a Chaster-only route),
 * or `dialects` on a path both extension dialects share (the caller's app decides, DECISIONS §14).
 */
export type ErrorBodyKind = 'ErrorBody' | 'AppsErrorBody' | 'ChasterErrorBody' | 'dialects';

type AnyErrorBody = ErrorBody | AppsErrorBody | ChasterErrorBody;

function bodySchema(kind: ErrorBodyKind): object {
  return kind === 'dialects' ? { anyOf: [{ $ref: 'ErrorBody#' }, { $ref: 'ChasterErrorBody#', 'x-latch-dialect': 'chaster' }] } : { $ref: `${kind}#` };
}

/**
 * Response entries for the error codes a route can answer with, grouped by status, each
 * pointing at the shared error body. Routes spread this into `response`, so the OpenAPI
 * document lists exactly the codes the route declares.
 */
export function errorResponses(codes: ErrorCode[], body: ErrorBodyKind = 'ErrorBody') {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, 'invalid_request' as const, 'internal_error' as const]) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  const out: Record<number, TUnsafe<AnyErrorBody>> = {};
  for (const [status, list] of byStatus) {
    out[status] = Type.Unsafe<AnyErrorBody>({
      ...bodySchema(body),
      description: list.map((c) => `\`${c}\`: ${ERROR_CATALOG[c].description}`).join('\n\n'),
    });
  }
  return out;
}

