// The host side of the hands: the worker's configuration and environment, and the
// manager that starts it lazily and calls its tools over MCP.
export { DRY_RUN_META, HANDS_CONFIG_ENV } from './config.js';
export type { HandsActionJson, HandsConfigJson, HandsLiveJson, HandsMcpServerJson, HandsParameterJson } from './config.js';
export { buildWorkerEnv, DEFAULT_ENV_ALLOW } from './env.js';
export type { CredentialSource } from './env.js';
export { createHandsManager } from './manager.js';
export type { HandsCallOptions, HandsCallResult, HandsManager, HandsManagerOptions } from './manager.js';
export { defaultWorkerScript } from './worker-script.js';
export { sharedStart, type SharedStart } from './shared-start.js';
