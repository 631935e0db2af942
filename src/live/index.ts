// Live sources for the SRE tools: Prometheus, git and log commands behind the bundle interface.
export { LiveConfigSchema, type LiveConfig } from './config.js';
export { livePlan, openLiveBundle, type LiveBundle, type LiveOptions } from './live-bundle.js';
