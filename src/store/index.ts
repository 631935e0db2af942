// The local runtime's state: one SQLite database plus content-addressed blobs.
import type { ChainProblem } from './hash-chain.js';
import { BlobStore } from './blobs.js';
import { databaseFile, openDatabase, transaction, type Database } from './db.js';
import { EventLog, type NewEvent, type StoredEvent } from './events.js';
import { storeFailureOf } from './failures.js';
import { LeaseTable } from './leases.js';
import { AgentRecords, EnvironmentDefinitionRecords, EnvironmentRecords, FileRecords, ResourceRecords, SessionRecords } from './records.js';
import { WorkRecords } from './work.js';

export { stateHome } from './home.js';
export { orderedId } from './ids.js';
export { SizeLimitExceeded } from './blobs.js';
export { DamagedEvent, DamagedRecord, isOutOfSpace, StoreFailure, StoreFileDamaged, StoreOutOfSpace } from './failures.js';
export { chainHash, verifyChain, type ChainRow } from './hash-chain.js';
export type { BlobIndexer, StagedBlob } from './blobs.js';
export { LEASE_TTL_MS } from './leases.js';
export type { ChainProblem } from './hash-chain.js';
export type { StoredEvent, NewEvent, ListOptions, ChainedEvent } from './events.js';
export type { EnvironmentRow, FileRow, ResourceRow, Page } from './records.js';
export { WORK_STATES, type WorkChange, type WorkRow, type WorkState } from './work.js';

export class Store {
  readonly db: Database;
  readonly events: EventLog;
  readonly agents: AgentRecords;
  readonly environments: EnvironmentRecords;
  readonly environmentDefinitions: EnvironmentDefinitionRecords;
  readonly files: FileRecords;
  readonly sessions: SessionRecords;
  readonly resources: ResourceRecords;
  readonly blobs: BlobStore;
  readonly leases: LeaseTable;
  readonly work: WorkRecords;

  constructor(readonly home: string, options: { readOnly?: boolean } = {}) {
    this.db = openDatabase({ home, readOnly: options.readOnly ?? false });
    this.events = new EventLog(this.db);
    this.agents = new AgentRecords(this.db);
    this.environments = new EnvironmentRecords(this.db);
    this.environmentDefinitions = new EnvironmentDefinitionRecords(this.db);
    this.files = new FileRecords(this.db);
    this.sessions = new SessionRecords(this.db);
    this.resources = new ResourceRecords(this.db);
    this.blobs = new BlobStore(home);
    this.leases = new LeaseTable(this.db);
    this.work = new WorkRecords(this.db);
  }

  transaction<T>(work: () => T): T {
    return transaction(this.db, work);
  }

  /**
   * Appends events to a session's log and, in the same transaction, lets the caller
   * update the session row (its status must always match the last status event).
   */
  append(sessionId: string, events: readonly NewEvent[], alsoInTransaction?: () => void): StoredEvent[] {
    return this.transaction(() => {
      const stored = this.events.appendInTransaction(sessionId, events);
      alsoInTransaction?.();
      return stored;
    });
  }

  /**
   * Names a raw failure of this store (SQLITE_FULL or ENOSPC: out of space; a damaged
   * database file) as a StoreFailure; anything else comes back unchanged.
   */
  failure(error: unknown): unknown {
    return storeFailureOf(error, databaseFile(this.home));
  }

  verify(sessionId: string): ChainProblem[] {
    return this.events.verify(sessionId);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
