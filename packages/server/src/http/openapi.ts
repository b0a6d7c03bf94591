import { Type, type TUnsafe } from '@sinclair/typebox';
import { ERROR_CATALOG, type AppsErrorBody, type ErrorBody, type ErrorCode } from '@latch/protocol';

/**
 * Response entries for the error codes a route can answer with, grouped by status, each
 * pointing at the shared error body. Routes spread this into `response`, so the OpenAPI
 * document lists exactly the codes the route declares.
 */
export function errorResponses(codes: ErrorCode[], body: 'ErrorBody' | 'AppsErrorBody' = 'ErrorBody') {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, 'invalid_request' as const, 'internal_error' as const]) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...new Set([...(byStatus.get(status) ?? []), code])]);
  }
  const out: Record<number, TUnsafe<ErrorBody | AppsErrorBody>> = {};
  for (const [status, list] of byStatus) {
    out[status] = Type.Unsafe<ErrorBody | AppsErrorBody>({
      $ref: `${body}#`,
      description: list.map((c) => `\`${c}\`: ${ERROR_CATALOG[c].description}`).join('\n\n'),
    });
  }
  return out;
}

