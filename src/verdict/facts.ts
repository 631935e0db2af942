// The facts a verdict rests on: a change record (an id, a change type and when it took
// effect), a change point (a series and an onset), the page (when the alert started). The
// SRE tools' results are read through their output schemas (src/protocol/results), the
// same fields the brains read. Any other JSON (an external MCP server's tool, or a result a
// stored session logged before the contract) is read by shape, which keeps the verifier
// honest for a tool that prints the same records.
import { readToolResult, type ChangeEntry, type ChangeRecord } from '../protocol/results/index.js';
import { SRE_TOOL_NAMES, type SreToolName } from '../protocol/tools.js';
import type { Observation } from './observations.js';

export const CHANGE_TYPES = ['deploy', 'config', 'feature_flag', 'infra', 'rollback'] as const;

export interface ObservedChange {
  id: string;
  type: string;
  service: string | null;
  /** When it took effect, epoch ms. */
  at: number;
  /** What a rollback reverts, when the record says. */
  reverts: string | null;
}

export interface ObservedChangePoint {
  series: string;
  onset: number;
  significant: boolean;
}

export interface Facts {
  changes: Map<string, ObservedChange>;
  changePoints: ObservedChangePoint[];
  /** When the page fired, epoch ms, when a tool said. */
  alertStart: number | null;
  alertService: string | null;
  /** How many metric series the bundle holds, when a tool said (describe_bundle's counts). */
  seriesInBundle: number | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** An RFC 3339 time (tools print times that way) as epoch ms, else null. */
export function timeOf(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function changeOf(node: Json): ObservedChange | null {
  const id = str(node['id']);
  const type = str(node['type']);
  if (!id || !type || !(CHANGE_TYPES as readonly string[]).includes(type)) return null;
  const at = timeOf(node['at'] ?? node['started_at'] ?? node['timestamp'] ?? node['time']);
  if (at === null) return null;
  const attributes = isObject(node['attributes']) ? node['attributes'] : {};
  const reverts = str(node['reverts']) ?? str(attributes['reverts']) ?? str(node['rolls_back']) ?? str(attributes['rolls_back']);
  return { id, type, service: str(node['service']), at, reverts };
}

function walk(node: unknown, series: string | null, facts: Facts, key: string | null): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, series, facts, key);
    return;
  }
  if (!isObject(node)) return;
  const change = changeOf(node);
  if (change && !facts.changes.has(change.id)) facts.changes.set(change.id, change);
  const here = str(node['series']) ?? (str(node['id'])?.includes('{') ? str(node['id']) : null) ?? series;
  const onset = timeOf(node['onset']);
  if (onset !== null && here !== null) {
    facts.changePoints.push({ series: here, onset, significant: node['significant'] !== false });
  }
  if (key === 'counts' && typeof node['series'] === 'number') {
    facts.seriesInBundle = Math.max(facts.seriesInBundle ?? 0, node['series']);
  }
  if (key === 'page' || key === 'alert') {
    const started = timeOf(node['started_at'] ?? node['startedAt']);
    if (started !== null && facts.alertStart === null) facts.alertStart = started;
    if (facts.alertService === null) facts.alertService = str(node['service']);
  }
  for (const [childKey, child] of Object.entries(node)) walk(child, here, facts, childKey);
}

function addChange(facts: Facts, record: ChangeEntry | ChangeRecord): void {
  const attributes = 'attributes' in record ? (record.attributes ?? {}) : {};
  const change = changeOf({ id: record.id, type: record.type, service: record.service, at: record.at, reverts: attributes['reverts'] ?? attributes['rolls_back'] });
  if (change && !facts.changes.has(change.id)) facts.changes.set(change.id, change);
}

function addChangePoint(facts: Facts, series: string, onset: string, significant: boolean): void {
  const at = timeOf(onset);
  if (at !== null) facts.changePoints.push({ series, onset: at, significant });
}

const isSreTool = (name: string): name is SreToolName => (SRE_TOOL_NAMES as readonly string[]).includes(name);

/** The facts in an SRE tool's result, read through its schema; false (and nothing read) when the result does not match it. */
function readTyped(tool: SreToolName, json: unknown, facts: Facts): boolean {
  switch (tool) {
    case 'describe_bundle': {
      const result = readToolResult(tool, json);
      if (result === null) return false;
      if (result.page) {
        const started = timeOf(result.page.started_at);
        if (started !== null && facts.alertStart === null) facts.alertStart = started;
        if (facts.alertService === null) facts.alertService = result.page.service;
      }
      if (result.counts) facts.seriesInBundle = Math.max(facts.seriesInBundle ?? 0, result.counts.series);
      for (const change of result.changes ?? []) addChange(facts, change);
      if (result.section === 'changes' && Array.isArray(result.items)) {
        for (const item of result.items) if (typeof item === 'object' && 'type' in item && 'at' in item) addChange(facts, item as ChangeEntry);
      }
      return true;
    }
    case 'list_changes': {
      const result = readToolResult(tool, json);
      if (result === null) return false;
      for (const change of result.changes) addChange(facts, change);
      return true;
    }
    case 'detect_changes': {
      const result = readToolResult(tool, json);
      if (result === null) return false;
      for (const point of result.change_points) addChangePoint(facts, point.series, point.onset, point.significant);
      for (const onset of [result.earliest_onset, result.earliest_worse_onset]) if (onset) addChangePoint(facts, onset.series, onset.onset, true);
      return true;
    }
    default:
      // The other SRE tools print no change record, change point or page.
      return readToolResult(tool, json) !== null;
  }
}

export function factsOf(observations: readonly Observation[]): Facts {
  const facts: Facts = { changes: new Map(), changePoints: [], alertStart: null, alertService: null, seriesInBundle: null };
  for (const observation of observations) {
    if (isSreTool(observation.tool) && readTyped(observation.tool, observation.json, facts)) continue;
    // Another tool's JSON, or a result logged before the contract (a stored session resumed): read by shape.
    walk(observation.json, null, facts, null);
  }
  return facts;
}
