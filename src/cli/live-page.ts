// `incident diagnose` with no bundle: the environment's live sources are the data, and the
// session's only file is the page. It is written here from --service (or the sources'
// `service`), else read from the sources' Alertmanager, so the session has a title and the
// hands a service to read metrics of.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultEnvironmentPath, loadEnvironmentDefinition } from '../definitions/index.js';
import { InputError, RuntimeFailure } from '../errors.js';

export interface PageFlags {
  service?: string;
  title?: string;
}

export interface PageFolder {
  dir: string;
  remove(): Promise<void>;
}

/** A folder holding only the page, for a diagnosis over the environment's live sources. */
export async function livePageFolder(environmentFile: string | undefined, flags: PageFlags): Promise<PageFolder> {
  const file = environmentFile ?? defaultEnvironmentPath();
  const definition = await loadEnvironmentDefinition(file);
  const sources = definition.sources;
  if (sources === undefined) {
    throw new InputError(`no bundle given, and the environment ${definition.name} has no live sources`, {
      hint: 'give the bundle folder (incident diagnose ./bundle), or --environment <file> with a sources: section (README: Live sources)',
    });
  }
  const { incidentYaml } = await import('../collect/alert.js');
  const service = flags.service ?? sources.service;
  let name: string;
  let content: string;
  if (service !== undefined) {
    name = 'incident.yaml';
    content = incidentYaml({ kind: 'manual', service, ...(flags.title !== undefined ? { title: flags.title } : {}) }, Date.now());
  } else if (sources.alertmanager !== undefined) {
    const { fetchAlert } = await import('../collect/alert.js');
    try {
      const fetched = await fetchAlert({ kind: 'alertmanager', url: sources.alertmanager, ...(sources.alert !== undefined ? { alertname: sources.alert } : {}) }, { timeoutMs: sources.timeout_ms });
      name = 'alert.json';
      content = `${JSON.stringify(fetched.payload, null, 2)}\n`;
    } catch (error) {
      throw new RuntimeFailure(`the page could not be read from Alertmanager: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'name the paged service instead: --service <name>',
      });
    }
  } else {
    throw new InputError('no bundle given, and nothing names the paged service', {
      hint: `pass --service <name>, or set sources.service or sources.alertmanager in ${file}`,
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'incident-page-'));
  await writeFile(join(dir, name), content);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
