import { isPending, type RotationWatch, type RotationWatchStore } from './rotation-watch-store.js';

/** Rotation watches in a Map: for tests and one local `replay` run. Records are copied in and out. */
export class InMemoryRotationWatchStore implements RotationWatchStore {
  private readonly watches = new Map<string, RotationWatch>();

  async get(incidentId: string): Promise<RotationWatch | undefined> {
    const watch = this.watches.get(incidentId);
    return watch ? structuredClone(watch) : undefined;
  }

  async listPending(): Promise<RotationWatch[]> {
    return [...this.watches.values()].filter(isPending).map((w) => structuredClone(w));
  }

  async compareAndSet(next: RotationWatch, expectedRevision: number | undefined): Promise<boolean> {
    if (this.watches.get(next.incidentId)?.revision !== expectedRevision) return false;
    this.watches.set(next.incidentId, structuredClone(next));
    return true;
  }

  /** Every watch, for assertions and reports. */
  all(): RotationWatch[] {
    return [...this.watches.values()].map((w) => structuredClone(w));
  }
}
