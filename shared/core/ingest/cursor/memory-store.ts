import type { CommitOutcome, CursorStore } from '../../ports/cursor-store.js';
import type { CursorCommit, CursorState, SeenRecord } from './types.js';

/**
 * {@link CursorStore} in memory, with the same forward-only semantics as the DynamoDB store: local
 * runs, benchmarks and unit tests of the poll loop.
 */
export class InMemoryCursorStore implements CursorStore {
  private readonly cursors = new Map<string, CursorState>();
  private readonly seen = new Map<string, Map<string, SeenRecord>>();

  constructor(private readonly now: () => number = Date.now) {}

  async load(source: string): Promise<CursorState | undefined> {
    const state = this.cursors.get(source);
    return state ? { ...state } : undefined;
  }

  async loadSeen(source: string, fromMs: number): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const record of this.seen.get(source)?.values() ?? []) if (record.cursorTimeMs >= fromMs) ids.add(record.id);
    return ids;
  }

  async initialize(source: string, watermarkMs: number): Promise<boolean> {
    if (this.cursors.has(source)) return false;
    this.cursors.set(source, { source, watermarkMs, updatedAt: new Date(this.now()).toISOString() });
    return true;
  }

  async commit(source: string, commit: CursorCommit): Promise<CommitOutcome> {
    const seen = this.seen.get(source) ?? new Map<string, SeenRecord>();
    this.seen.set(source, seen);
    for (const record of commit.remember) seen.set(record.id, record);
    const stored = this.cursors.get(source);
    if (stored && stored.watermarkMs >= commit.watermarkMs) return 'unchanged';
    this.cursors.set(source, {
      source,
      watermarkMs: commit.watermarkMs,
      updatedAt: new Date(this.now()).toISOString(),
    });
    return 'advanced';
  }
}
