// The trust boundary for what a session can execute. An environment's executable parts
// (actions, MCP servers, the worker's allow-list, credentials, limits) come only from
// definitions the runtime's operator registers in code: `incident serve --environment`,
// or the file a local command was given. The runtime hashes each definition itself and
// persists it, so a later process can resume a session on it; an API request can only
// name one of the hashes this process serves.
import { definitionHash, handsPlaceOf, type EnvironmentDefinition, type HandsPlace } from '../definitions/index.js';
import type { Store } from '../store/index.js';

export interface RegisteredEnvironment {
  hash: string;
  definition: EnvironmentDefinition;
}

export class EnvironmentRegistry {
  /** What this process's operator loaded: the definitions a new environment may select. */
  private readonly served = new Map<string, EnvironmentDefinition>();

  constructor(private readonly store: Store) {}

  /** Serves a definition from now on and persists it for the processes that resume its sessions. */
  register(definition: EnvironmentDefinition): RegisteredEnvironment {
    const hash = definitionHash(definition);
    // Stored as plain JSON of the parsed value, which hashes to the same digest when read back.
    this.store.environmentDefinitions.save(hash, definition.name, JSON.stringify(definition));
    this.served.set(hash, definition);
    return { hash, definition };
  }

  /** The definitions this process serves, in the order they were registered. */
  list(): RegisteredEnvironment[] {
    return [...this.served].map(([hash, definition]) => ({ hash, definition }));
  }

  /** True when this process's operator loaded the definition with this hash. */
  serves(hash: string): boolean {
    return this.served.has(hash);
  }

  /**
   * The definition with this hash: served now, or registered by an earlier process of
   * this state home. A stored definition whose content no longer hashes to its key is
   * not trusted (undefined), as if it had never been registered.
   */
  resolve(hash: string): EnvironmentDefinition | undefined {
    const current = this.served.get(hash);
    if (current) return current;
    const row = this.store.environmentDefinitions.get(hash);
    if (!row) return undefined;
    let definition: EnvironmentDefinition;
    try {
      definition = JSON.parse(row.definition) as EnvironmentDefinition;
    } catch {
      return undefined;
    }
    return definitionHash(definition) === hash ? definition : undefined;
  }

  /** The definition an environment record is bound to, or null when it is bound to none (or to one that cannot be trusted). */
  forEnvironment(environmentId: string): EnvironmentDefinition | null {
    const hash = this.store.environments.get(environmentId)?.definitionHash;
    return (hash ? this.resolve(hash) : undefined) ?? null;
  }

  /**
   * Where the hands of sessions on this environment run: as its definition says; for an
   * environment bound to none, on workers when it is self-hosted, else in the runtime.
   */
  handsPlace(environmentId: string): HandsPlace {
    const definition = this.forEnvironment(environmentId);
    if (definition) return handsPlaceOf(definition);
    const config = this.store.environments.get<{ config?: { type?: string } }>(environmentId)?.api.config;
    return config?.type === 'self_hosted' ? 'worker' : 'local';
  }
}
