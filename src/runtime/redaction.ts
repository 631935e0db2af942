// What the runtime stores is redacted, whoever wrote it: an event (a user's message, a
// model's text, an endpoint's error, a tool call's input) and a session's title and
// metadata pass through the same redactor as tool results before they are committed, so
// a secret never reaches the log, the stream, an export or a listing. The values it knows
// are the runtime's own keys and the declared credentials of the session's environment
// (read, as the worker gets them, from the runtime's environment); token shapes are
// redacted whoever owns them.
import { createRedactor, type NamedSecret, type Redactor } from '../protocol/redact.js';
import type { EnvironmentDefinition } from '../definitions/index.js';
import type { NewEvent } from '../store/index.js';
import type { Session } from './session-log.js';

/** The runtime's own secrets: never stored, whatever text carries them. */
const RUNTIME_SECRETS: readonly string[] = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'INCIDENT_RUNTIME_KEY'];

/**
 * Keys whose string values are identifiers or enums (event and session envelopes): kept as
 * they are, since a credential value that happens to be a substring of an id or a status
 * must not break the log. Everything else is text and is redacted.
 */
const IDENTIFIER_KEYS: ReadonlySet<string> = new Set(['type', 'id', 'name', 'status', 'evaluated_permission']);
const IDENTIFIER_SUFFIX = /_(?:id|ids|at)$/;
/** Maps written by a model or a person: every value under them is text, whatever its key. */
const FREE_FORM_KEYS: ReadonlySet<string> = new Set(['input', 'metadata']);

function redactDeep(value: unknown, redact: (text: string) => string, key: string | null, freeForm: boolean): unknown {
  if (typeof value === 'string') {
    const identifier = !freeForm && key !== null && (IDENTIFIER_KEYS.has(key) || IDENTIFIER_SUFFIX.test(key));
    return identifier ? value : redact(value);
  }
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact, key, freeForm));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = redactDeep(item, redact, name, freeForm || FREE_FORM_KEYS.has(name));
    return out;
  }
  return value;
}

/** The trusted definition a session's environment runs (the operator's registry), or null. */
export type DefinitionOf = (environmentId: string) => Pick<EnvironmentDefinition, 'credentials'> | null;

export class StoreRedaction {
  readonly #cache = new Map<string, Redactor>();

  /** `env`: the environment the runtime (and the worker it starts) reads secrets from. */
  constructor(
    private readonly definitionOf: DefinitionOf,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  /** The secrets known for a session: the runtime's own and its environment's declared credentials. */
  #secrets(environmentId: string | null): NamedSecret[] {
    const secrets: NamedSecret[] = [];
    const add = (name: string, value: string | undefined): void => {
      if (value !== undefined && value !== '') secrets.push({ name, value });
    };
    for (const variable of RUNTIME_SECRETS) add(variable.toLowerCase(), this.env[variable]);
    const definition = environmentId === null ? null : this.definitionOf(environmentId);
    for (const credential of definition?.credentials ?? []) add(credential.name, this.env[credential.from_env]);
    return secrets;
  }

  /** The redactor for one session; environments can change, so the secrets are read each time and the regexes reused. */
  #redactor(environmentId: string | null): Redactor {
    const secrets = this.#secrets(environmentId);
    const key = JSON.stringify(secrets);
    let redactor = this.#cache.get(key);
    if (redactor === undefined) {
      redactor = createRedactor(secrets);
      this.#cache.set(key, redactor);
    }
    return redactor;
  }

  events(session: Pick<Session, 'environment_id'> | undefined, events: readonly NewEvent[]): NewEvent[] {
    const { redact } = this.#redactor(session?.environment_id ?? null);
    return events.map((event) => redactDeep(event, redact, null, false) as NewEvent);
  }

  /** A session record with its title and metadata redacted (the agent snapshot is the agent's definition, kept as defined). */
  session<T extends Pick<Session, 'environment_id' | 'title' | 'metadata'>>(session: T): T {
    const { redact } = this.#redactor(session.environment_id);
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(session.metadata ?? {})) metadata[key] = redact(value);
    return { ...session, title: session.title === null ? null : redact(session.title), metadata };
  }
}
