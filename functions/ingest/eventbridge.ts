import { parser } from '@aws-lambda-powertools/parser/middleware';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { UnreadableInputError } from '../../shared/runtime/aws/errors.js';
import { createIngestRuntime, detect, recordDetection, recordHealth } from '../../shared/runtime/aws/ingest-runtime.js';
import { withPowertools } from '../../shared/runtime/aws/observability.js';
import { GCP_PUSH_SOURCE, gcpPushRecord } from '../../shared/runtime/pollers/gcp-push-events.js';

/**
 * CloudTrail records EventBridge forwards from every Region (console sign-ins, break-glass API calls,
 * tamper actions): one event per invocation, asynchronous. A failure is retried by Lambda and then
 * lands in the dead-letter queue, which is alarmed. Events reach this function only through the ingest
 * bus's rules, so it is the one trusted transport for `glasswatch.drill` events (the bus policy lets
 * only this account's drill function put that source); no other ingest path marks its input trusted.
 * Cloud Audit Log entries the GCP push function forwards (`glasswatch.gcp-push`) come the same way and
 * are read with the GCP normalizer only: the push path's heartbeat and rotation evidence are recorded here.
 */
const runtime = createIngestRuntime();

/** Real events carry every field; the AWS docs' examples and captured envelopes omit version, time or resources. */
const forwardedEvent = EventBridgeSchema.partial({ version: true, time: true, resources: true, account: true });

async function ingestEvent(event: z.output<typeof forwardedEvent>, _context: Context): Promise<void> {
  const location = `eventbridge:${event.region}:${event.id}`;
  const pushed = event.source === GCP_PUSH_SOURCE;
  const detection = await detect(runtime, (pipeline) => {
    if (!pushed) return pipeline.document(event, { location, trustedTransport: 'eventbridge' });
    const record = gcpPushRecord(event.detail, event.id);
    if (record instanceof Error) throw record;
    pipeline.record(record);
  });
  try {
    const { counts, errors } = detection;
    // A well-formed event of a kind not read (Insights, another detail-type) is skipped and counted:
    // it is not retried or dead-lettered. Only an event nothing could be read from fails.
    if (counts.events === 0 && counts.skipped === 0) {
      throw new UnreadableInputError(location, errors.count, errors.first);
    }
    await recordDetection(runtime, detection);
  } finally {
    const transport = pushed ? 'gcp.push' : 'aws.eventbridge';
    await recordHealth(runtime, transport, { lastSeen: detection.lastSeen, errors: detection.errors.kept });
  }
}

export const handler = withPowertools(ingestEvent, runtime.observability).use(parser({ schema: forwardedEvent }));
