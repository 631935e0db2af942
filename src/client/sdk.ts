// The SDK client, on a runtime's fetch (in process, no socket) or on a URL
// (`incident serve`, or Claude Managed Agents). The SDK loads lazily: --help never pays for it.
import type Anthropic from '@anthropic-ai/sdk';

export type FetchLike = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ClientTarget {
  /** In-process runtime: its fetch handler. */
  fetch?: FetchLike;
  /** Remote runtime base URL. */
  baseURL?: string;
  apiKey?: string;
}

export async function makeClient(target: ClientTarget): Promise<Anthropic> {
  const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
  if (target.fetch) {
    return new AnthropicClient({
      apiKey: 'local',
      baseURL: 'http://local.invalid',
      maxRetries: 0,
      fetch: target.fetch as typeof globalThis.fetch,
    });
  }
  return new AnthropicClient({
    apiKey: target.apiKey ?? 'local',
    ...(target.baseURL ? { baseURL: target.baseURL } : {}),
    maxRetries: 2,
  });
}
