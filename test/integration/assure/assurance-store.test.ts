import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import type { DrillResult } from '../../../shared/core/assure/drill/steps.js';
import type { OpenAlert } from '../../../shared/core/assure/health.js';
import { fail, pass, unchecked } from '../../../shared/core/assure/verify/result.js';

/** The assurance store on dynalite: the same keys, conditions and index queries Lambda runs. */

const T0 = Date.parse('2026-03-02T12:34:56Z');
let dynamo: LocalDynamo;
let store: DynamoAssuranceStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo({ tableName: 'assurance' });
  store = new DynamoAssuranceStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => {
  await dynamo?.close();
});

const drill = (id: string, account: string, startedAt: string): DrillResult => ({
  drillId: id,
  account,
  cloud: 'aws',
  kind: 'synthetic',
  runtime: 'local',
  startedAt,
  finishedAt: startedAt,
  status: 'passed',
  steps: [{ step: 'page', status: 'passed', latencyMs: 12, boundMs: 100, detail: 'ok' }],
});

describe('DynamoAssuranceStore', () => {
  it('keeps drill results per account under DRILL#<account>, newest first', async () => {
    await store.saveDrill(drill('d-1', 'acct-a', '2026-01-01T00:00:00.000Z'));
    await store.saveDrill(drill('d-2', 'acct-a', '2026-02-01T00:00:00.000Z'));
    await store.saveDrill(drill('d-3', 'acct-b', '2026-02-02T00:00:00.000Z'));
    await store.saveDrill(drill('d-2', 'acct-a', '2026-02-01T00:00:00.000Z'));
    expect((await store.listDrills('acct-a')).map((d) => d.drillId)).toEqual(['d-2', 'd-1']);
    expect(await store.listDrills('acct-a', 1)).toEqual([drill('d-2', 'acct-a', '2026-02-01T00:00:00.000Z')]);
  });

  it('moves heartbeats forward only, even with concurrent writers, and first-seen back only', async () => {
    const key = { source: 'cloudtrail-eventbridge' as const, region: 'eu-west-1' };
    const times = Array.from({ length: 20 }, (_, i) => T0 + ((i * 7) % 20) * 1000);
    await Promise.all(times.map((t) => store.recordHeartbeat(key, t)));
    expect(await store.recordHeartbeat(key, T0 - 60_000)).toBe(false);
    expect(await store.recordHeartbeat(key, T0 + 60_000)).toBe(true);
    const beats = await store.listHeartbeats();
    expect(beats.find((b) => b.region === 'eu-west-1')).toEqual({
      ...key,
      lastSeenMs: T0 + 60_000,
      firstSeenMs: T0 - 60_000,
    });
  });

  it('widens coverage per path, source, scope and Region: last seen forward, first seen back, under concurrency', async () => {
    const key = {
      path: 'aws.s3' as const,
      source: 'aws.cloudtrail' as const,
      scope: '111122223333',
      region: 'eu-west-1',
    };
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.recordCoverage({ ...key, firstSeenMs: T0 + i * 1000, lastSeenMs: T0 + i * 2000 }),
      ),
    );
    await store.recordCoverage({ ...key, firstSeenMs: T0 - 5000, lastSeenMs: T0 });
    await store.recordCoverage({ ...key, scope: '444455556666', firstSeenMs: T0, lastSeenMs: T0 });
    const rows = await store.listCoverage();
    expect(rows.find((r) => r.scope === '111122223333')).toEqual({
      ...key,
      firstSeenMs: T0 - 5000,
      lastSeenMs: T0 + 22_000,
    });
    expect(rows.map((r) => r.scope).sort()).toEqual(['111122223333', '444455556666']);
    // A window both newer and older than the stored one moves both ends.
    await store.recordCoverage({ ...key, firstSeenMs: T0 - 9000, lastSeenMs: T0 + 30_000 });
    expect((await store.listCoverage()).find((r) => r.scope === '111122223333')).toEqual({
      ...key,
      firstSeenMs: T0 - 9000,
      lastSeenMs: T0 + 30_000,
    });
    // Written under SRC#, the key prefix the template lets every ingest role write (template-security.test.ts).
    const { Items } = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableName }));
    const keys = (Items ?? []).map((i) => String(i.pk?.S)).filter((pk) => pk.includes('COV#'));
    expect(keys).toHaveLength(2);
    for (const pk of keys) expect(pk.startsWith('SRC#COV#aws.s3#aws.cloudtrail#')).toBe(true);
  });

  it('adds error counters per hour and sums the window', async () => {
    const key = { source: 'gcp-pull' as const, region: '-' };
    await store.addErrors(key, T0 - 3 * 3_600_000, { ruleErrors: 7, pollerErrors: 0, recordErrors: 0 });
    await store.addErrors(key, T0 - 3_600_000, { ruleErrors: 0, pollerErrors: 1, recordErrors: 3, lastError: 'older' });
    await store.addErrors(key, T0, { ruleErrors: 1, pollerErrors: 0, recordErrors: 2, lastError: 'newest' });
    expect(await store.errorCounts(T0 - 3_600_000)).toEqual([
      { ...key, ruleErrors: 1, pollerErrors: 1, recordErrors: 5, lastError: 'newest' },
    ]);
  });

  it('remembers open alerts until removed', async () => {
    const alert: OpenAlert = {
      key: 'silent:cloudtrail-s3#-',
      kind: 'pipeline.silent',
      alertId: 'pipeline.silent:silent:cloudtrail-s3#-:2026-03-02T10:00:00.000Z',
      sinceMs: T0,
      summary: 'silent',
      cloud: 'aws',
      facts: [{ label: 'Source', value: 'CloudTrail log files (S3)' }],
    };
    await store.saveOpenAlert(alert);
    expect(await store.openAlerts()).toEqual([alert]);
    await store.removeOpenAlert(alert.key);
    expect(await store.openAlerts()).toEqual([]);
  });

  it('keeps each check’s last result under CHECK#<key> in run order, dropping checks a later run no longer makes', async () => {
    const logging = pass('aws', 'aws.trail.logging', 'trail is logging');
    const rule = fail('aws', 'aws.rule#eu-west-1#glasswatch-H-ForwardRule-1', 'rule enabled', 'state DISABLED');
    const azure = unchecked('azure', 'azure.settings', 'diagnostic settings', 'no Azure credentials in this run');
    await store.saveChecks([rule, logging, azure], T0);
    expect(await store.listChecks()).toEqual([rule, logging, azure].map((r) => ({ ...r, checkedAtMs: T0 })));
    const later = { ...logging, status: 'fail' as const, detail: 'IsLogging is false (StopLogging)' };
    await store.saveChecks([later, azure], T0 + 3_600_000);
    expect(await store.listChecks()).toEqual([later, azure].map((r) => ({ ...r, checkedAtMs: T0 + 3_600_000 })));
    const items = await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableName }));
    const keys = (items.Items ?? []).map((i) => i.pk?.S ?? '').filter((pk) => pk.startsWith('CHECK#'));
    expect(keys.sort()).toEqual(['CHECK#aws.trail.logging', 'CHECK#azure.settings']);
  });
});
