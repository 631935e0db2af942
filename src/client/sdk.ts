// The SDK client, on a runtime's fetch (in process, no socket) or on a URL
// (`incident serve`, or Claude Managed Agents). The SDK loads lazily: --help never pays for it.
import type Anthropic from '@anthropic-ai/sdk';
import { fetchWithIdleStreams } from './stream-watch.js';

export type FetchLike = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type ClientTarget =
  /** In-process runtime: its fetch handler. No socket, so no key. */
  | { fetch: FetchLike }
  /** Remote runtime: its base URL and its key (null: none known; the runtime will say it needs one). */
  | { baseURL: string; apiKey: string | null }
  /** Claude Managed Agents: the Claude API key, at the SDK's default address unless one is given (ANTHROPIC_BASE_URL). */
  | { cloud: { apiKey: string; baseURL?: string } };

/**
 * The cloud's keep-alive interval is not documented: a quiet stream is given the time
 * Node's own fetch allows a silent body (300 s) before it is taken for dead.
 */
export const CLOUD_STREAM_IDLE_MS = 290_000;

export async function makeClient(target: ClientTarget): Promise<Anthropic> {
  const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
  if ('fetch' in target) {
    return new AnthropicClient({
      apiKey: 'local',
      baseURL: 'http://local.invalid',
      maxRetries: 0,
      fetch: target.fetch as typeof globalThis.fetch,
    });
  }
  if ('cloud' in target) {
    return new AnthropicClient({
      apiKey: target.cloud.apiKey,
      // Undefined leaves the SDK's own default (https://api.anthropic.com).
      ...(target.cloud.baseURL ? { baseURL: target.cloud.baseURL } : {}),
      maxRetries: 2,
      fetch: fetchWithIdleStreams(globalThis.fetch, CLOUD_STREAM_IDLE_MS),
    });
  }
  return new AnthropicClient({
    // Given explicitly, the key is the client's only credential: the SDK then reads no
    // ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or credentials profile, so a Claude
    // credential never goes to a runtime URL. With no key, a placeholder does that job
    // and the header is left out.
    apiKey: target.apiKey ?? 'none',
    ...(target.apiKey === null ? { defaultHeaders: { authorization: null } } : {}),
    baseURL: target.baseURL,
    maxRetries: 2,
    fetch: fetchWithIdleStreams(globalThis.fetch),
  });
}
