// Prices live in protocol/ so the runtime's budget and the renderers count cost the same way.
export { costUsd, priceFor, type ModelPrice, type TokenCounts } from '../protocol/pricing.js';
