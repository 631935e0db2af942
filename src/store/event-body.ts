// Reading a stored event body back: a torn, overwritten or foreign row says what is
// wrong with it instead of throwing, so every reader can name the damage.

/** The shape every stored event has (the wire object plus its id and time). */
export interface EventBody {
  id: string;
  type: string;
  processed_at: string;
  [key: string]: unknown;
}

export function readBody(body: unknown): { event: EventBody | null; damage: string | null } {
  if (body === null || body === undefined) return { event: null, damage: 'its stored content is missing' };
  if (typeof body !== 'string') return { event: null, damage: 'its stored content is not text' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { event: null, damage: 'its stored JSON does not parse' };
  }
  const candidate = parsed as { id?: unknown; type?: unknown } | null;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.type !== 'string' || typeof candidate.id !== 'string') {
    return { event: null, damage: 'its stored JSON is not an event' };
  }
  return { event: parsed as EventBody, damage: null };
}
