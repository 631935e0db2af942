// A small path router: `/v1/sessions/:id/events` patterns, matched in order.
import { ApiError, badRequest } from './api-error.js';

export type Params = Record<string, string>;
export type Handler = (request: Request, params: Params, url: URL) => Promise<Response> | Response;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeSegment);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.parts, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === request.method) return route.handler(request, params, url);
    }
    if (pathMatched) throw new ApiError(405, `${request.method} is not allowed on ${url.pathname}`);
    throw new ApiError(404, `no such endpoint: ${request.method} ${url.pathname}`);
  }
}

/** A malformed escape (`%E0%A4%A`) is the caller's mistake, not an internal fault. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`the path segment ${JSON.stringify(segment.slice(0, 80))} is not valid percent-encoding`);
  }
}

function match(parts: readonly string[], segments: readonly string[]): Params | null {
  if (parts.length !== segments.length) return null;
  const params: Params = {};
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? '';
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
