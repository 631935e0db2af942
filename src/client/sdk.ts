// The SDK client, on a runtime's fetch (in process, no socket) or on a URL
// (`incident serve`, or Claude Managed Agents). The SDK loads lazily: --help never pays for it.
import type Anthropic from '@anthropic-ai/sdk';
import { fetchWithIdleStreams } from './stream-watch.js';

export type FetchLike = (url: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type ClientTarget =
  /** In-process runtime: its fetch handler. No socket, so no key. */
  | { fetch: FetchLike }
  /** Remote runtime: its base URL and the key it requires. */
  | { baseURL: string; apiKey: string };

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
  return new AnthropicClient({
    // Given explicitly, the key is the client's only credential: the SDK then reads no
    // ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN, so a Claude key never goes to a runtime URL.
    apiKey: target.apiKey,
    baseURL: target.baseURL,
    maxRetries: 2,
    fetch: fetchWithIdleStreams(globalThis.fetch),
  });
}
