// Limits of the wire that both sides check: the client before it uploads anything, the
// local runtime for every client.

/** Files one session may mount, as in Claude Managed Agents. */
export const MAX_SESSION_FILES = 500;

/**
 * Bytes of uploads that no session mounts yet which the local runtime keeps at once: what
 * a client can leave behind, and so the largest bundle it takes.
 */
export const DEFAULT_MAX_UNMOUNTED_BYTES = 16 * 1024 ** 3;

/** Files that no session mounts yet which the local runtime keeps at once. */
export const DEFAULT_MAX_UNMOUNTED_FILES = 2_000;
