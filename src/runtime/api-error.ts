// Wire errors are built in one place: an ApiError carries the HTTP status and the
// Managed Agents error type, and becomes the API's error envelope. An unexpected
// throw is an internal fault (500 api_error), never labelled a client mistake.
import { orderedId, StoreFailure, StoreOutOfSpace } from '../store/index.js';

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

const TYPE_BY_STATUS: Record<number, ApiErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'conflict_error',
  412: 'invalid_request_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  507: 'api_error',
};

export class ApiError extends Error {
  readonly type: ApiErrorType;

  constructor(
    readonly status: number,
    message: string,
    options: { type?: ApiErrorType; shouldRetry?: boolean; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.type = options.type ?? TYPE_BY_STATUS[status] ?? 'api_error';
    this.shouldRetry = options.shouldRetry;
    this.details = options.details;
  }

  readonly shouldRetry: boolean | undefined;
  /** The API's `error.details` (`error_code` and what goes with it), when the error has any. */
  readonly details: Record<string, unknown> | undefined;
}

export const notFound = (what: string, id: string): ApiError => new ApiError(404, `${what} ${id} not found`);
export const badRequest = (message: string): ApiError => new ApiError(400, message);

export function newRequestId(): string {
  return orderedId('req');
}

export function jsonResponse(body: unknown, status = 200, requestId = newRequestId()): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': requestId },
  });
}

/**
 * A store failure is the runtime's, not the caller's, and retrying will not help until
 * someone acts: out of space is 507 Insufficient Storage (HTTP's name for exactly this,
 * and still a 5xx to the SDK), a damaged database or event a 500; both say what to do.
 */
export function storeApiError(failure: StoreFailure): ApiError {
  return new ApiError(failure instanceof StoreOutOfSpace ? 507 : 500, failure.full(), { shouldRetry: false });
}

export function errorResponse(error: unknown, requestId = newRequestId()): Response {
  const apiError =
    error instanceof ApiError
      ? error
      : error instanceof StoreFailure
        ? storeApiError(error)
        : new ApiError(500, 'internal error in the local runtime');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId };
  // A 4xx is the caller's to fix: tell the SDK not to retry it (409 included, which it would otherwise retry).
  const retry = apiError.shouldRetry ?? apiError.status >= 500;
  headers['x-should-retry'] = retry ? 'true' : 'false';
  const body = {
    type: 'error',
    error: { type: apiError.type, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}) },
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), { status: apiError.status, headers });
}
