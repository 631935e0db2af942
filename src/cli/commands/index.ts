// Every command registers itself here, in the order `--help` lists them.
import type { Command } from 'commander';
import { registerDefinitionCommands } from './definitions.js';

type Register = (program: Command) => void;

const registrations: Register[] = [registerDefinitionCommands];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
