import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentEvent } from '../../../shared/core/model/incident.js';
import { runCli } from '../../support/cli.js';
import { ENTRA_CHANGE_CASES, ENTRA_CHANGES_REGISTRY } from '../../support/entra-changes.js';

/**
 * `glasswatch replay` on an Event Hub capture of every documented Entra account change: the emergency
 * account's changes form its incident, each event with the table's words; the same activities on
 * another user are read and fire nothing.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-entra-changes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('glasswatch replay: Entra account changes', () => {
  it('words every documented change of the emergency account and leaves other users alone', async () => {
    await writeFile(join(dir, 'registry.yaml'), ENTRA_CHANGES_REGISTRY);
    await writeFile(join(dir, 'audit.json'), JSON.stringify({ records: ENTRA_CHANGE_CASES.map((c) => c.record) }));
    const run = await runCli([
      'replay',
      '--registry',
      join(dir, 'registry.yaml'),
      '--json',
      '--ephemeral',
      join(dir, 'audit.json'),
    ]);
    expect(run.code).toBe(0);
    const incidents = run.stdout
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { account: string; severity: string; events: IncidentEvent[] });
    expect(incidents.map((i) => i.account)).toEqual(['entra-ea1']);
    // The temporary access pass makes the session critical.
    expect(incidents[0]?.severity).toBe('critical');
    const events = incidents.flatMap((i) => i.events);
    const positives = ENTRA_CHANGE_CASES.filter((c) => c.expect !== null);
    expect(events).toHaveLength(positives.length);
    for (const c of positives) {
      expect(events.find((e) => e.id === `azure:${c.record.properties.id}`)?.note, c.name).toContain(c.expect);
    }
  });
});
