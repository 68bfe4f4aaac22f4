import { afterEach, describe, expect, it } from 'vitest';
import {
  GCP_CURSOR_POLICY,
  PollBudgetError,
  SourceUnavailableError,
} from '../../../shared/core/ingest/cursor/index.js';
import { gcpPoller } from '../../../shared/runtime/pollers/pollers.js';
import { readFixtureJson } from '../../support/fixtures.js';
import { googleApiError, ScriptedCloudLogging } from './scripted-cloud-logging.js';
import { type PollerWorld, pollerWorld, storedEventCounts } from './world.js';

/**
 * The Cloud Logging poller end to end: scripted entries.list answers, the real core on real LogEntries
 * (cloud-custodian test data from GCP projects), correlation and cursors in DynamoDB (dynalite).
 * dkhanas@gmail.com, the caller of the logging entries, plays the break-glass account.
 */

const entry = (file: string) => readFixtureJson<Record<string, unknown>>(`gcp/cloud-custodian/${file}`);
const SINK = entry('log-create-project-sink.json'); // CreateSink, received 2019-05-21T14:47:38.927Z
const METRIC = entry('log-create-project-metric.json'); // CreateLogMetric, received 14:55:14.142Z
const EXCLUSION = entry('log-create-project-exclusion.json'); // CreateExclusion (tampering), received 15:14:36.926Z
const OTHER = entry('iam-role-create.json'); // another principal: no finding
const LATE = entry('bq-table-create.json'); // dkhanas again; re-stamped below as a late arrival

const ACCOUNTS = [{ id: 'gcp-breakglass', cloud: 'gcp' as const, match: { email: 'dkhanas@gmail.com' } }];
const RESOURCES = ['projects/test-project-232910'];

let world: PollerWorld;
afterEach(() => world?.close());

async function setup(nowIso = '2019-05-21T15:20:00Z') {
  world = await pollerWorld(ACCOUNTS, GCP_CURSOR_POLICY, nowIso);
  const logging = new ScriptedCloudLogging();
  logging.receive(SINK, String(SINK.receiveTimestamp));
  logging.receive(METRIC, String(METRIC.receiveTimestamp));
  logging.receive(EXCLUSION, String(EXCLUSION.receiveTimestamp));
  logging.receive(OTHER, '2019-05-21T15:01:00.000000001Z');
  const poller = gcpPoller({ ...world.parts, entries: logging, resourceNames: RESOURCES });
  return { logging, poller };
}

describe('Cloud Logging poller', () => {
  it('reads the window by receiveTimestamp, correlates the break-glass entries and commits the newest receive time', async () => {
    const { logging, poller } = await setup();
    const report = await poller.poll();

    expect(logging.requests[0]?.resourceNames).toEqual(RESOURCES);
    expect(logging.requests[0]?.orderBy).toBe('timestamp asc');
    expect(logging.requests[0]?.filter).toContain(
      'protoPayload.authenticationInfo.principalEmail=("dkhanas@gmail.com")',
    );
    expect(logging.requests[0]?.filter).toContain(
      'receiveTimestamp>="2019-05-20T15:05:00.000Z" AND receiveTimestamp<"2019-05-21T15:19:00.000Z"',
    );
    expect(report.read).toEqual({ new: 4, seen: 0, repeat: 0 });
    expect(report.pipeline).toMatchObject({ records: 4, events: 4, errors: 0 });
    expect(report.changes.map((c) => c.kind)).toEqual(['opened']);
    const [incident] = await world.repository.listIncidents();
    expect(incident?.account).toBe('gcp-breakglass');
    expect(incident?.detections).toEqual(expect.arrayContaining(['activity', 'audit.tamper']));
    expect(incident?.events).toHaveLength(3);
    expect(world.delivered).toEqual([report.changes]);

    expect(report.outcome).toBe('advanced');
    expect((await world.store.load(poller.source.name))?.watermarkMs).toBe(Date.parse('2019-05-21T15:14:36.926Z'));
    // Only what the next overlap (15 min) reads again is remembered: the exclusion and the other principal's entry.
    expect(await world.store.loadSeen(poller.source.name, 0)).toEqual(
      new Set([
        `${EXCLUSION.logName}|${EXCLUSION.timestamp}|${EXCLUSION.insertId}`,
        `${OTHER.logName}|${OTHER.timestamp}|${OTHER.insertId}`,
      ]),
    );
  });

  it('reads a late arrival inside the overlap exactly once', async () => {
    const { logging, poller } = await setup();
    await poller.poll();
    // Received after the first poll passed, but stamped before its watermark (within the 15-minute overlap).
    logging.receive({ ...LATE, timestamp: '2019-05-21T15:09:00.000Z' }, '2019-05-21T15:12:00.000000000Z');
    world.clock.now = Date.parse('2019-05-21T15:25:00Z');

    const second = await poller.poll();
    expect(second.read).toEqual({ new: 1, seen: 2, repeat: 0 });
    expect(second.changes.map((c) => [c.kind, c.newEvents.length])).toEqual([['extended', 1]]);
    expect(second.outcome).toBe('unchanged'); // the late entry is older than the watermark: it does not move it

    world.clock.now = Date.parse('2019-05-21T15:30:00Z');
    const third = await poller.poll();
    expect(third.read).toEqual({ new: 0, seen: 3, repeat: 0 });
    expect(third.changes).toEqual([]);
    expect([...(await storedEventCounts(world.repository)).values()]).toEqual([1, 1, 1, 1]);
  });

  it('re-reads after a crash before the commit without counting anything twice', async () => {
    const { poller } = await setup();
    world.failNextDelivery = new Error('incident bus unavailable');
    await expect(poller.poll()).rejects.toThrow('incident bus unavailable');
    const afterCrash = await world.store.load(poller.source.name);
    expect(afterCrash?.watermarkMs).toBe(Date.parse('2019-05-20T15:20:00Z')); // initialized, not advanced
    expect(await world.store.loadSeen(poller.source.name, 0)).toEqual(new Set());

    const retry = await poller.poll();
    expect(retry.read.new).toBe(4);
    expect(retry.changes).toEqual([]); // the correlator had recorded them: nothing is new the second time
    expect(retry.outcome).toBe('advanced');
    expect([...(await storedEventCounts(world.repository)).values()]).toEqual([1, 1, 1]);
  });

  it('an empty page advances nothing, and neither does an empty poll', async () => {
    world = await pollerWorld(ACCOUNTS, GCP_CURSOR_POLICY, '2019-05-21T15:20:00Z');
    const logging = new ScriptedCloudLogging();
    logging.emptyPagesFirst = 2;
    const poller = gcpPoller({ ...world.parts, entries: logging, resourceNames: RESOURCES });
    const first = await poller.poll();
    expect(first).toMatchObject({ pages: 3, outcome: 'empty', read: { new: 0, seen: 0, repeat: 0 } });
    expect(logging.requests.map((r) => r.pageToken)).toEqual([undefined, 'empty:1', 'empty:2']);
    const initialized = await world.store.load(poller.source.name);

    world.clock.now += 5 * 60_000;
    const second = await poller.poll();
    expect(second.outcome).toBe('empty');
    expect(await world.store.load(poller.source.name)).toEqual(initialized);
  });

  it('follows page tokens through a window with the same filter', async () => {
    world = await pollerWorld(ACCOUNTS, GCP_CURSOR_POLICY, '2019-05-21T15:20:00Z');
    const logging = new ScriptedCloudLogging();
    for (const e of [SINK, METRIC, EXCLUSION]) logging.receive(e, String(e.receiveTimestamp));
    const poller = gcpPoller({ ...world.parts, entries: logging, resourceNames: RESOURCES, pageSize: 1 });
    const report = await poller.poll();
    expect(report.pages).toBe(3);
    expect(logging.requests.map((r) => r.pageToken)).toEqual([undefined, 'page:1', 'page:2']);
    expect(new Set(logging.requests.map((r) => r.filter)).size).toBe(1);
    expect(report.read.new).toBe(3);
  });

  it('at its deadline, pages what it read so far but commits nothing', async () => {
    world = await pollerWorld(ACCOUNTS, GCP_CURSOR_POLICY, '2019-05-21T15:20:00Z');
    const logging = new ScriptedCloudLogging();
    for (const e of [SINK, METRIC, EXCLUSION]) logging.receive(e, String(e.receiveTimestamp));
    const slow: typeof logging = Object.assign(Object.create(logging), {
      list: async (request: Parameters<typeof logging.list>[0]) => {
        world.clock.now += 4 * 60_000; // each page takes four minutes
        return logging.list(request);
      },
    });
    const poller = gcpPoller({ ...world.parts, entries: slow, resourceNames: RESOURCES, pageSize: 1 });
    const deadline = world.clock.now + 6 * 60_000;
    await expect(poller.poll(deadline)).rejects.toThrow(PollBudgetError);
    expect(logging.requests).toHaveLength(2);
    expect(world.delivered.flat().map((c) => [c.kind, c.newEvents.length])).toEqual([['opened', 2]]);
    expect((await world.store.load(poller.source.name))?.watermarkMs).toBe(Date.parse('2019-05-20T15:20:00Z'));
  });

  it('retries throttling, waiting out Retry-After, and then reads the window', async () => {
    const { logging, poller } = await setup();
    logging.failures.push(googleApiError(429, '3'), googleApiError(503));
    const report = await poller.poll();
    expect(world.sleeps).toEqual([3_000, 1_000]);
    expect(logging.requests).toHaveLength(3);
    expect(report.outcome).toBe('advanced');
  });

  it('gives up on a refusal without committing anything', async () => {
    const { logging, poller } = await setup();
    logging.failures.push(googleApiError(403));
    const failed = poller.poll();
    await expect(failed).rejects.toThrow(SourceUnavailableError);
    await expect(failed).rejects.toThrow(/entries\.list page 1: gave up after 1 attempt\(s\): Cloud Logging 403/);
    expect(world.sleeps).toEqual([]);
    expect((await world.store.load(poller.source.name))?.watermarkMs).toBe(Date.parse('2019-05-20T15:20:00Z'));
  });

  it('reports an entry in the gRPC shape and processes the rest of the page', async () => {
    const { logging, poller } = await setup();
    logging.receive(
      {
        ...OTHER,
        insertId: 'grpc-shaped',
        protoPayload: { type_url: 'type.googleapis.com/google.cloud.audit.AuditLog', value: 'CgdzZXJ2aWNl' },
      },
      '2019-05-21T15:02:00Z',
    );
    const report = await poller.poll();
    expect(world.recordErrors.map((e) => e.message)).toEqual([
      expect.stringMatching(
        /#\d: protoPayload is a binary google\.protobuf\.Any \(type\.googleapis\.com\/google\.cloud\.audit\.AuditLog\)/,
      ),
    ]);
    expect(report.pipeline).toMatchObject({ records: 5, events: 4, errors: 1 });
    expect(report.outcome).toBe('advanced');
  });
});
