import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { createIngestRuntime, detect, recordFindings } from '../../../shared/runtime/aws/ingest-runtime.js';
import { createResponderRuntime } from '../../../shared/runtime/aws/responders.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { type LocalStack, lambdaContext, sqsEvent, sqsRecord, startLocalStack } from '../aws/support/stack.js';
import { CREDENTIALS } from '../responders/harness.js';

/**
 * The scheduled drill on the local stand-in of the stack: the drill function puts `glasswatch.drill` on
 * the ingest bus (EventBridge stubbed), the ingest runtime opens the event as EventBridge delivers it —
 * a trusted transport — the responders page a local PagerDuty, and the drill watches dynalite, closes
 * its session through the incident bus and stores the result. A drill page the pager refuses makes the
 * drill fail and page for real.
 */

const INGEST_BUS = 'glasswatch-ingest';
type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

let stack: LocalStack;
let pagerDuty: PagerDutyServer;
let refuseDrillPages = false;
/** What the PagerDuty contract server received (and validated), in order. */
const pages = () => pagerDuty.received.map((r) => r.body as Record<string, unknown>);

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  // A drill page the pager refuses, as PagerDuty refuses an event it cannot take (400 invalid event).
  pagerDuty.injector = (request) =>
    refuseDrillPages && (request.body as { payload?: { summary?: string } }).payload?.summary?.startsWith('DRILL')
      ? {
          kind: 'status',
          status: 400,
          body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ['refused'] }),
        }
      : undefined;
  stack = await startLocalStack(
    `
accounts:
  - { id: aws-prod-root, cloud: aws, match: { arn: "arn:aws:iam::123456789012:root" } }
responders:
  pagerduty: { eventsUrl: "${pagerDuty.eventsUrl}", routingKey: ${CREDENTIALS.routingKey} }
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
`,
    { GLASSWATCH_INGEST_BUS: INGEST_BUS },
  );
});
/** Deliveries the fake EventBridge started: awaited before the next test and before the stack closes. */
const inFlight = new Set<Promise<unknown>>();
async function settled(): Promise<void> {
  const running = [...inFlight];
  inFlight.clear();
  await Promise.all(running);
}

afterEach(settled);
afterAll(async () => {
  await settled();
  await stack?.close();
  await pagerDuty?.close();
});

let drill: Handler;
beforeEach(async () => {
  pagerDuty.received.length = 0;
  refuseDrillPages = false;
  await stack.useFreshTables();
  routeEventBridge();
  ({ handler: drill } = (await import('../../../functions/assure/drill.js')) as unknown as { handler: Handler });
});

/**
 * EventBridge, asynchronously as the real one: drill events on the ingest bus go to the ingest runtime
 * (as the EventBridge rule delivers them: a trusted transport), incident changes to the responders.
 */
function routeEventBridge(): void {
  const ingest = createIngestRuntime();
  const responders = createResponderRuntime();
  let message = 0;
  stack.eventBridge.on(PutEventsCommand).callsFake((input: { Entries?: PutEventsRequestEntry[] }) => {
    const entries = input.Entries ?? [];
    for (const entry of entries) {
      const event = {
        version: '0',
        id: `event-${++message}`,
        source: entry.Source,
        'detail-type': entry.DetailType,
        account: '123456789012',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: JSON.parse(entry.Detail ?? '{}'),
      };
      // Later, as the real bus delivers; a delivery that fails fails the test that caused it (settled()).
      const delivery = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        if (entry.EventBusName === INGEST_BUS) {
          const location = `eventbridge:us-east-1:${event.id}`;
          const { findings } = await detect(ingest, (p) =>
            p.document(event, { location, trustedTransport: 'eventbridge' }),
          );
          await recordFindings(ingest, findings);
        } else {
          await responders.handleBatch(sqsEvent([sqsRecord(JSON.stringify(event), event.id)]).Records, lambdaContext());
        }
      });
      delivery.catch(() => {}); // handled in settled(), which rethrows it
      inFlight.add(delivery);
    }
    return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) };
  });
}

describe('drill function', () => {
  it('drills the account end to end: DRILL page at low urgency, closed session, result stored', async () => {
    const [summary] = (await drill({ accounts: ['aws-prod-root'] }, lambdaContext())) as {
      status: string;
      drillId: string;
    }[];
    expect(summary?.status).toBe('passed');
    const drillEntries = stack.eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((c) => c.args[0].input.Entries ?? [])
      .filter((e) => e.EventBusName === INGEST_BUS);
    expect(drillEntries).toMatchObject([{ Source: 'glasswatch.drill', DetailType: 'Glasswatch Drill' }]);
    expect(pages().map((p) => [p.event_action, (p.payload as { severity?: string } | undefined)?.severity])).toEqual([
      ['trigger', 'info'],
      ['resolve', undefined],
    ]);
    const [stored] = await new DynamoAssuranceStore(stack.dynamo.client, stack.tableName).listDrills('aws-prod-root');
    expect(stored).toMatchObject({ drillId: summary?.drillId, runtime: 'aws', status: 'passed' });
    expect(stored?.steps.find((s) => s.step === 'close')?.status).toBe('passed');
    // No ticketing system in this registry: said so, not faked and not failed.
    expect(stored?.steps.find((s) => s.step === 'ticket')?.status).toBe('unavailable');
    const [incident] = await stack.repository().listIncidents();
    expect(incident).toMatchObject({ drill: true, status: 'closed', severity: 'low' });
  }, 60_000);

  it('fails loudly when the drill page is refused: a real, non-drill page goes out', async () => {
    refuseDrillPages = true;
    const [summary] = (await drill({}, lambdaContext())) as { status: string }[];
    expect(summary?.status).toBe('failed');
    const real = pages().filter((p) => !(p.payload as { summary?: string } | undefined)?.summary?.startsWith('DRILL'));
    expect(real.map((p) => p.payload as { summary: string; severity: string })).toMatchObject([
      { summary: expect.stringMatching(/^Drill failed for aws-prod-root: page not within/), severity: 'error' },
    ]);
  }, 60_000);
});
