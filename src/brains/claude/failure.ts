// A failed Messages API request, classified the way the session records it: which
// session.error type it is, whether trying again may help, and how long the endpoint asked
// to wait. The SDK's own error classes say what happened; the retrying itself is the
// runtime's (see runtime/model-retry.ts), because the SDK retries only failures that come
// before the response headers: an overload reported inside an open stream, or a stream
// cut off halfway, it never retries.
import type Anthropic from '@anthropic-ai/sdk';
import { ModelRequestFailure } from '../brain.js';

type Sdk = typeof Anthropic;

/** The delay an endpoint asks for: `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  if (!headers) return null;
  const millis = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis >= 0) return millis;
  const raw = headers.get('retry-after');
  if (raw === null) return null;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function sessionErrorType(status: number | undefined, apiType: string | null): string {
  if (status === 529 || apiType === 'overloaded_error') return 'model_overloaded_error';
  if (status === 429 || apiType === 'rate_limit_error') return 'model_rate_limited_error';
  return 'model_request_failed_error';
}

/** As the SDK decides for a response (408, 409, 429 and 5xx), the endpoint's `x-should-retry` overriding it. */
function retryableStatus(status: number | undefined, apiType: string | null, headers: Headers | undefined): boolean {
  const told = headers?.get('x-should-retry');
  if (told === 'true') return true;
  if (told === 'false') return false;
  // An `error` event inside a stream has no status: its type says whether it is transient.
  if (status === undefined) return apiType === 'overloaded_error' || apiType === 'api_error' || apiType === 'rate_limit_error';
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The failure as the session will record it; `redact` takes the API key out of any text an
 * endpoint echoed back. An abort is passed through untouched: it is not the endpoint's failure.
 */
export function classifyFailure(error: unknown, sdk: Sdk, redact: (text: string) => string): unknown {
  if (error instanceof sdk.APIUserAbortError) return error;
  const text = redact(error instanceof Error ? error.message : String(error));
  if (error instanceof sdk.APIConnectionError) {
    return new ModelRequestFailure(`the connection to the model failed: ${text}`, 'model_request_failed_error', true, null);
  }
  if (error instanceof sdk.APIError) {
    const apiType = error.type ?? null;
    const headers = error.headers as Headers | undefined;
    return new ModelRequestFailure(text, sessionErrorType(error.status, apiType), retryableStatus(error.status, apiType, headers), retryAfterMs(headers));
  }
  if (error instanceof ModelRequestFailure) return error;
  // The body stopped mid-stream (a dropped connection: undici's "terminated", a reset socket).
  return new ModelRequestFailure(`the model's stream broke off: ${text}`, 'model_request_failed_error', true, null);
}
