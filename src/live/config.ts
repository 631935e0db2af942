// What the hands are told about the live systems they read (an environment's `sources`,
// passed through the worker's configuration): where Prometheus, Alertmanager, the git
// repositories and the log commands are, which window around the page to read, and the
// bounds of what one gathering may hold. Names of credentials only, never their values.
import { z } from 'zod';

const positive = z.number().int().positive();

export const LiveConfigSchema = z.object({
  prometheus: z.string().min(1).optional(),
  alertmanager: z.string().min(1).optional(),
  /** The alert to take as the page from Alertmanager. */
  alert: z.string().min(1).optional(),
  /** The paged service when neither the session's files nor Alertmanager name one. */
  service: z.string().min(1).optional(),
  git: z.array(z.string().min(1)).default([]),
  gitRef: z.string().min(1).optional(),
  gitServices: z.record(z.string(), z.string().min(1)).default({}),
  /** `--logs` specs: a file, a glob, or a command line (`name=` in front names the log). */
  logs: z.array(z.string().min(1)).default([]),
  /** Declared credentials the log commands and git receive, as upper-cased variables. */
  credentials: z.array(z.string().min(1)).default([]),
  since: z.string().min(1),
  until: z.string().min(1),
  timeoutMs: positive,
  limits: z
    .object({
      points: positive.optional(),
      queries: positive.optional(),
      series: positive.optional(),
      services: positive.optional(),
      logBytes: positive.optional(),
      patchBytes: positive.optional(),
      changes: positive.optional(),
    })
    .default({}),
});

export type LiveConfig = z.infer<typeof LiveConfigSchema>;
