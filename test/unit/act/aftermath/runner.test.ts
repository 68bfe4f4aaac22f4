import { describe, expect, it } from 'vitest';
import type { Action } from '../../../../shared/core/act/actions.js';
import type { ActionRunner } from '../../../../shared/core/act/aftermath/runner.js';
import { TRIGGER_SOURCE } from '../../../../shared/core/act/aftermath/types.js';
import type { ActionOutcome } from '../../../../shared/core/act/driver.js';
import type { IncidentChange } from '../../../../shared/core/model/incident.js';
import { InMemoryRotationWatchStore } from '../../../../shared/core/ports/in-memory-rotation-watch-store.js';
import type { RotationWatch } from '../../../../shared/core/ports/rotation-watch-store.js';
import { session } from '../support/incidents.js';
import { AWS_EXECUTORS, aftermathSetup, JIRA, PAGERDUTY, SCHEDULER } from './support.js';

/**
 * The aftermath runner's own decisions (shared/core/act/aftermath/runner.ts): compare-and-set races on
 * the watch store, giving up after five lost races or when the watch disappears, which trigger runs
 * what, and "all delivered" before a watch is marked requested.
 */

/** A store that loses the next `races` compare-and-sets to a concurrent writer (`interfere` runs first). */
class RacingStore extends InMemoryRotationWatchStore {
  races = 0;
  casCalls = 0;
  gets = 0;
  interfere?: (next: RotationWatch, expected: number | undefined) => Promise<void>;
  vanish = false;

  override async get(incidentId: string): Promise<RotationWatch | undefined> {
    this.gets++;
    return this.vanish ? undefined : super.get(incidentId);
  }

  override async compareAndSet(next: RotationWatch, expected: number | undefined): Promise<boolean> {
    this.casCalls++;
    if (this.vanish && expected !== undefined) return false; // gone: a write on its revision fails
    if (this.races > 0) {
      this.races--;
      await this.interfere?.(next, expected);
      if (!this.interfere) return false;
    }
    return super.compareAndSet(next, expected);
  }
}

/** Runs nothing; answers each action with the status `statusOf` gives (delivered by default). */
function recordingRunner(statusOf: (action: Action) => ActionOutcome['status'] = () => 'delivered') {
  const ran: string[] = [];
  const runner: ActionRunner = {
    async runAll(actions) {
      ran.push(...actions.map((a) => a.key));
      return actions.map((a) => ({
        incidentId: a.incidentId,
        key: a.key,
        output: a.output,
        kind: a.kind,
        status: statusOf(a),
        sent: true,
        attempts: 1,
      }));
    },
  };
  return { runner, ran };
}

const CONFIG = { ...JIRA, ...PAGERDUTY, ...SCHEDULER, ...AWS_EXECUTORS };

function setup(store = new RacingStore()) {
  const s = aftermathSetup(CONFIG, undefined, store);
  const aftermath = s.responders.aftermath;
  if (!aftermath) throw new Error('no aftermath without a registry');
  return { ...s, aftermath, store };
}

/** The change that asks for an immediate rotation: the session's tamper escalation. */
function tamperChange(id: string): IncidentChange {
  const change = session(id, 0, { tamper: true }).find((c) => c.incident.detections.includes('audit.tamper'));
  if (!change) throw new Error('no tamper change');
  return change;
}

describe('Aftermath runner', () => {
  it('a watch created concurrently wins: ensureWatch re-reads and uses the stored one', async () => {
    const { aftermath, store } = setup();
    let competitor: RotationWatch | undefined;
    store.races = 1;
    store.interfere = async (next, expected) => {
      competitor = { ...next, deadlineAt: '2099-01-01T00:00:00.000Z' };
      await InMemoryRotationWatchStore.prototype.compareAndSet.call(store, competitor, expected);
    };
    const { runner } = recordingRunner();
    await aftermath.onChange(tamperChange('inc-race'), runner);
    const [stored] = store.all();
    // The competitor's record stays (its deadline), and is marked requested on top of it.
    expect(stored?.deadlineAt).toBe('2099-01-01T00:00:00.000Z');
    expect(stored?.revision).toBe((competitor?.revision ?? 0) + 1);
    expect(stored?.requestedAt).toBeDefined();
  });

  it('a new watch is created and marked requested without reading the store (each write verifies)', async () => {
    const { aftermath, store } = setup();
    const { runner } = recordingRunner();
    await aftermath.onChange(tamperChange('inc-new'), runner);
    expect(store.all()[0]?.requestedAt).toBeDefined();
    expect([store.gets, store.casCalls]).toEqual([0, 2]);
    // Handled again: the create fails on its condition, and the stored watch is read.
    await aftermath.onChange(tamperChange('inc-new'), runner);
    expect([store.gets, store.casCalls]).toEqual([1, 3]);
  });

  it('gives up after five lost races, naming the incident', async () => {
    const { aftermath, store } = setup();
    store.races = 5;
    const { runner, ran } = recordingRunner();
    await expect(aftermath.onChange(tamperChange('inc-lost'), runner)).rejects.toThrow(
      'rotation watch of incident inc-lost: lost 5 write races',
    );
    expect(store.casCalls).toBe(5);
    expect(ran).toEqual([]); // nothing ran before a watch was stored
  });

  it('an update whose watch disappeared fails, naming the incident', async () => {
    const { aftermath, store } = setup();
    const { runner } = recordingRunner(() => {
      store.vanish = true; // the first delivery removes the watch under the runner
      return 'delivered';
    });
    await expect(aftermath.onChange(tamperChange('inc-gone'), runner)).rejects.toThrow(
      'rotation watch of incident inc-gone disappeared',
    );
  });

  it('marks a watch requested only when every request action was delivered', async () => {
    const { aftermath, store } = setup();
    const failing = recordingRunner((action) =>
      action.kind === 'keys.deactivate' || action.kind === 'task.create' ? 'failed' : 'delivered',
    );
    await aftermath.onChange(tamperChange('inc-part'), failing.runner);
    expect(store.all()[0]?.requestedAt).toBeUndefined();
    // The next due run asks again and, all delivered, marks it.
    const { runner, ran } = recordingRunner();
    await aftermath.runDue(runner, Date.parse(store.all()[0]?.dueAt ?? '') + 1);
    expect(ran.some((key) => key.startsWith('rotation:'))).toBe(true);
    expect(store.all()[0]?.requestedAt).toBeDefined();
  });

  it('onTrigger: review runs the reminders, rotation advances the watch, a missing watch does nothing', async () => {
    const { aftermath, store } = setup();
    const base = {
      source: TRIGGER_SOURCE as typeof TRIGGER_SOURCE,
      version: 1 as const,
      dueAt: '2022-11-14T09:00:00.000Z',
    };
    const review = recordingRunner();
    await aftermath.onTrigger({ ...base, task: 'review', incidentId: 'inc-t' }, review.runner);
    expect(review.ran).toEqual(['review:jira:reminder']);

    const missing = recordingRunner();
    expect(await aftermath.onTrigger({ ...base, task: 'rotation', incidentId: 'inc-none' }, missing.runner)).toEqual(
      [],
    );
    expect(missing.ran).toEqual([]);

    const failing = recordingRunner(() => 'failed');
    await aftermath.onChange(tamperChange('inc-t'), failing.runner);
    expect(store.all()[0]?.requestedAt).toBeUndefined();
    const rotation = recordingRunner();
    await aftermath.onTrigger({ ...base, task: 'rotation', incidentId: 'inc-t' }, rotation.runner);
    expect(rotation.ran).toContain('rotation:jira:task');
    expect(store.all()[0]?.requestedAt).toBeDefined();
  });
});
