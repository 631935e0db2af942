// List prices per million tokens, matched by the longest model-id prefix. Cache reads
// cost a tenth of input and cache writes a quarter more, as the Messages API bills them.
// An unknown model shows tokens only: a guessed price is worse than none.

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

const PRICES: ReadonlyArray<readonly [prefix: string, price: ModelPrice]> = [
  ['claude-opus-4', { inputPerMTok: 5, outputPerMTok: 25 }],
  // The first Opus 4 releases kept the older, higher price.
  ['claude-opus-4-0', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-opus-4-1', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-opus-4-2025', { inputPerMTok: 15, outputPerMTok: 75 }],
  ['claude-sonnet-4', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-3-7-sonnet', { inputPerMTok: 3, outputPerMTok: 15 }],
  ['claude-haiku-4', { inputPerMTok: 1, outputPerMTok: 5 }],
  ['claude-3-5-haiku', { inputPerMTok: 0.8, outputPerMTok: 4 }],
];

const CACHE_READ_FACTOR = 0.1;
const CACHE_WRITE_FACTOR = 1.25;

export function priceFor(model: string | null | undefined): ModelPrice | null {
  if (!model) return null;
  let best: readonly [string, ModelPrice] | null = null;
  for (const entry of PRICES) {
    if (model.startsWith(entry[0]) && (best === null || entry[0].length > best[0].length)) best = entry;
  }
  return best ? best[1] : null;
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
}

/** US dollars at list price, or null when the model is not priced. */
export function costUsd(tokens: TokenCounts, model: string | null | undefined): number | null {
  const price = priceFor(model);
  if (!price) return null;
  const input =
    tokens.inputTokens +
    tokens.cacheReadInputTokens * CACHE_READ_FACTOR +
    tokens.cacheCreationInputTokens * CACHE_WRITE_FACTOR;
  return (input * price.inputPerMTok + tokens.outputTokens * price.outputPerMTok) / 1_000_000;
}
