import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PublishError } from '../../../../shared/adapters/aws/errors.js';
import {
  publishRotationEvidence,
  ROTATION_EVIDENCE_DETAIL_TYPE,
} from '../../../../shared/runtime/aws/rotation-evidence.js';
import { auditEvent } from '../../../support/audit-events.js';
import { putEventsAsDocumented } from '../../../support/eventbridge-contract.js';

const eventBridge = mockClient(EventBridgeClient);
afterAll(() => eventBridge.restore());
beforeEach(() => eventBridge.reset());

const client = () => new EventBridgeClient({ region: 'us-east-1' });
const events = Array.from({ length: 95 }, (_, i) =>
  auditEvent({ id: `aws:evidence-${i}`, action: 'UpdateLoginProfile', service: 'iam.amazonaws.com' }),
);

describe('publishRotationEvidence', () => {
  it('puts every event once, 10 per request, several requests in flight, without the raw record', async () => {
    const received: NonNullable<PutEventsCommandInput['Entries']> = [];
    const answer = putEventsAsDocumented(received);
    let inFlight = 0;
    let most = 0;
    eventBridge.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return answer(input);
    });
    await publishRotationEvidence(client(), 'bus', events);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(10);
    expect(most).toBeGreaterThan(1);
    expect(received.map((e) => JSON.parse(e.Detail ?? '{}').id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(received[0]).toMatchObject({
      EventBusName: 'bus',
      Source: 'glasswatch',
      DetailType: ROTATION_EVIDENCE_DETAIL_TYPE,
    });
    expect(JSON.parse(received[0]?.Detail ?? '{}')).not.toHaveProperty('raw');
  });

  it('still puts the other batches when one fails, then names every event not accepted, in the events’ order', async () => {
    const answer = putEventsAsDocumented();
    eventBridge.on(PutEventsCommand).callsFake(async (input: PutEventsCommandInput) => {
      const ids = (input.Entries ?? []).map((e) => JSON.parse(e.Detail ?? '{}').id as string);
      if (ids.includes('aws:evidence-0')) throw Object.assign(new Error('bus gone'), { name: 'InternalException' });
      const output = answer(input);
      // One entry of the last batch refused, as EventBridge reports a throttled entry.
      if (!ids.includes('aws:evidence-93')) return output;
      return {
        ...output,
        FailedEntryCount: 1,
        Entries: ids.map((id) =>
          id === 'aws:evidence-93' ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: id },
        ),
      };
    });
    const error = await publishRotationEvidence(client(), 'bus', events).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(10);
    const message = (error as Error).message;
    const named = [...message.matchAll(/rotation evidence (aws:evidence-\d+)/g)].map((m) => m[1]);
    expect(named).toEqual([...Array.from({ length: 10 }, (_, i) => `aws:evidence-${i}`), 'aws:evidence-93']);
    expect(message).toContain('ThrottlingException slow down');
  });
});
