import type {
  PartitionContext,
  ReceivedEventData,
  SubscribeOptions,
  Subscription,
  SubscriptionEventHandlers,
} from '@azure/event-hubs';
import { earliestEventPosition } from '@azure/event-hubs';
import { emptyCounts, type PipelineCounts, type SourceLastSeen } from '../../core/ingest/detection-pipeline.js';
import type { IncidentChange } from '../../core/model/incident.js';
import type { PushProcessor } from './push.js';

/** The one method of `EventHubConsumerClient` used here (all partitions): the SDK boundary tests script. */
export interface EventHubSubscriber {
  subscribe(handlers: SubscriptionEventHandlers, options?: SubscribeOptions): Subscription;
}

export interface ConsumeOptions {
  subscriber: EventHubSubscriber;
  processor: PushProcessor;
  /** How long to receive before closing (a scheduled Lambda: a little under the schedule interval). */
  durationMs: number;
  onRecordError?: (error: Error) => void;
  /** Receive errors the SDK recovers from itself (link detached, ownership lost), for logs. */
  onReceiveError?: (error: Error, partitionId: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConsumeReport {
  events: number;
  counts: PipelineCounts;
  changes: IncidentChange[];
  /** Newest event time per source and Region read in this run (for the heartbeat). */
  lastSeen: SourceLastSeen[];
  /** Partition → sequence number checkpointed in this run. */
  checkpoints: Record<string, number>;
}

/** A batch processed but not recorded: the run fails without checkpointing it, and the next run reads it again. */
export class EventHubConsumeError extends Error {
  override readonly name = 'EventHubConsumeError';
}

/**
 * The Event Hubs push path, run as a scheduled consumer: for `durationMs`, every batch of events (each
 * a diagnostic-settings `{"records":[…]}` document) goes through the same core as every other path,
 * and the partition is checkpointed only after its batch was correlated and published. When that
 * fails, no later batch is checkpointed either (the SDK would go on to the next batch), the run ends
 * with the error, and the next run resumes from the last checkpoint. Records that cannot be read are
 * reported and checkpointed past: Event Hubs has no dead-letter queue, and reading them again would
 * not make them readable.
 */
export async function consumeEventHub(options: ConsumeOptions): Promise<ConsumeReport> {
  const report: ConsumeReport = {
    events: 0,
    counts: emptyCounts(),
    changes: [],
    lastSeen: [],
    checkpoints: {},
  };
  let failure: Error | undefined;
  const subscribeOptions: SubscribeOptions = {
    startPosition: earliestEventPosition,
    maxBatchSize: 100,
    maxWaitTimeInSeconds: 5,
  };
  const subscription = options.subscriber.subscribe(
    {
      processEvents: async (events: ReceivedEventData[], context: PartitionContext) => {
        if (failure || events.length === 0) return;
        try {
          for (const event of events) await processEvent(event, context, options, report);
          const last = events[events.length - 1] as ReceivedEventData;
          await context.updateCheckpoint(last);
          report.checkpoints[context.partitionId] = last.sequenceNumber;
        } catch (error) {
          failure ??= new EventHubConsumeError(
            `event hub ${context.eventHubName} partition ${context.partitionId}: batch not recorded, not checkpointed: ${(error as Error).message}`,
            { cause: error },
          );
        }
      },
      processError: async (error: Error, context: PartitionContext) => {
        options.onReceiveError?.(error, context.partitionId);
      },
    },
    subscribeOptions,
  );
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  await sleep(options.durationMs);
  await subscription.close();
  if (failure) throw failure;
  return report;
}

async function processEvent(
  event: ReceivedEventData,
  context: PartitionContext,
  options: ConsumeOptions,
  report: ConsumeReport,
): Promise<void> {
  report.events++;
  const location = `eventhub:${context.eventHubName}/partitions/${context.partitionId}/sequence/${event.sequenceNumber}`;
  const document = decodeBody(event.body);
  if (document instanceof Error) {
    report.counts.documents++;
    report.counts.errors++;
    options.onRecordError?.(new Error(`${location}: ${document.message}`));
    return;
  }
  const result = await options.processor.process(document, { location });
  for (const key of Object.keys(report.counts) as (keyof PipelineCounts)[]) report.counts[key] += result.counts[key];
  report.changes.push(...result.changes);
  for (const seen of result.lastSeen) {
    const known = report.lastSeen.find((s) => s.source === seen.source && s.region === seen.region);
    if (!known) report.lastSeen.push({ ...seen });
    else known.timeMs = Math.max(known.timeMs, seen.timeMs);
  }
  for (const error of result.errors) options.onRecordError?.(error);
}

/**
 * The SDK hands a JSON body over parsed; a body it could not parse (sent as bytes or text by another
 * producer) is parsed here, and anything else is an error for that event only.
 */
function decodeBody(body: unknown): unknown {
  if (body instanceof Uint8Array || typeof body === 'string') {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return new Error(`event body is not JSON (${text.length} characters)`);
    }
  }
  return body;
}
