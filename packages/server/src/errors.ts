import { ERROR_CATALOG, type ErrorCode } from '@latch/protocol';

/** The one error type services and routes throw; the error handler turns it into the wire body. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
    /** Fields a documented error body carries at top level (e.g. `nbActionsRemaining`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message ?? ERROR_CATALOG[code].description);
    this.status = ERROR_CATALOG[code].status;
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
