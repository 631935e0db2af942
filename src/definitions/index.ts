// Agent and environment definitions: schemas, loading with positioned errors, content hashes.
export {
  AgentDefinitionSchema,
  AgentToolSchema,
  DEFAULT_MAX_STEPS,
  EFFORTS,
  PERMISSIONS,
  isKnownToolName,
  toolPermission,
  type AgentDefinition,
  type AgentModel,
  type AgentTool,
  type Effort,
  type Permission,
} from './agent-schema.js';
export {
  ActionParameterSchema,
  ActionSchema,
  CredentialSchema,
  DEFAULT_ENV_ALLOW,
  DEFAULT_MOUNT_ROOT,
  EnvironmentDefinitionSchema,
  HANDS_METADATA_KEY,
  HANDS_PLACES,
  handsPlaceOf,
  McpServerSchema,
  PARAMETER_TYPES,
  SECRET_NAME,
  WORKER_STARTS,
  type ActionDefinition,
  type ActionParameter,
  type CredentialDefinition,
  type EnvironmentDefinition,
  type HandsPlace,
  type IntakeRoute,
  type McpServerDefinition,
  type ParameterType,
  type SourcesDefinition,
  type WorkerSettings,
} from './environment-schema.js';
export { matchesAll, parseMatcher, type AlertMatcher, type MatchOp } from './alert-matchers.js';
export { placeholderNames } from './argv.js';
export { formatDuration, parseDuration } from './duration.js';
export { AGENT_POLICY_KEYS, agentRecordHash, canonicalJson, definitionHash, HASH_METADATA_KEY, type AgentRecordContent } from './hash.js';
export { InvalidDefinitionError, MAX_REPORTED_ISSUES, validateCommand, type DefinitionKind } from './invalid-definition.js';
export {
  loadAgentDefinition,
  loadEnvironmentDefinition,
  parseAgentDefinition,
  parseEnvironmentDefinition,
  readDefinitionFile,
} from './load.js';
export { defaultAgentPath, defaultEnvironmentPath, packageRoot, shippedAgentsDir, shippedEnvironmentsDir } from './paths.js';
