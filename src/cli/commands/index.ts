// Every command registers itself here, in the order `--help` lists them.
import type { Command } from 'commander';
import { registerCollect } from './collect.js';
import { registerDefinitionCommands } from './definitions.js';
import { registerDiagnose } from './diagnose.js';
import { registerMcp } from './mcp.js';
import { registerOpen } from './open.js';
import { registerResume } from './resume.js';
import { registerServe } from './serve.js';
import { registerSessions } from './sessions.js';
import { registerTools } from './tools.js';
import { registerWorker } from './worker.js';

type Register = (program: Command) => void;

const registrations: Register[] = [
  registerOpen,
  registerDiagnose,
  registerCollect,
  registerResume,
  registerSessions,
  registerServe,
  registerWorker,
  registerDefinitionCommands,
  registerTools,
  registerMcp,
];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
