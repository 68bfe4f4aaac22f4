import type { CloudEvent, Request, Response } from '@google-cloud/functions-framework';
import type { EventOrigin } from '../../core/model/audit-event.js';
import type { PushForwarder, PushResult } from './gcp-function.js';

/**
 * The GCP function's two entry points over one processor:
 * - `pubSubPush` (HTTP): the Pub/Sub push subscription of the sink topic posts here; 204 acks, any
 *   other status makes Pub/Sub redeliver with backoff and, after the subscription's maximum delivery
 *   attempts, move the message to the dead-letter topic.
 * - `auditEvent` (CloudEvent `google.cloud.pubsub.topic.v1.messagePublished`, for an Eventarc trigger):
 *   its data is the same `{message, subscription}` body; throwing makes Eventarc retry.
 * A record that cannot be read is refused (422 / throw) after the readable ones were forwarded, so it
 * ends in the dead-letter topic where an operator sees it, instead of being dropped.
 */

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Cloud Logging reads one JSON object per line, with `severity`. */
export const structuredLog: Log = {
  info: (message, fields) => console.log(JSON.stringify({ severity: 'INFO', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ severity: 'ERROR', message, ...fields })),
};

/** Builds the processor once per instance; a failed build is retried by the next request. */
export function once(build: () => Promise<PushForwarder>): () => Promise<PushForwarder> {
  let pending: Promise<PushForwarder> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export function createHandlers(processor: () => Promise<PushForwarder>, log: Log = structuredLog) {
  async function handle(document: unknown, origin: EventOrigin): Promise<PushResult> {
    const result = await (await processor()).process(document, origin);
    for (const error of result.errors) log.error('record not processed', { error: error.message });
    log.info('push forwarded to the AWS ingest bus', {
      records: result.records,
      forwarded: result.forwarded,
      errors: result.errors.length,
    });
    return result;
  }

  return {
    async pubSubPush(req: Request, res: Response): Promise<void> {
      if (req.method !== 'POST') {
        res.status(405).send('POST a Pub/Sub push request');
        return;
      }
      try {
        const result = await handle(req.body, { location: pushLocation(req.body) });
        if (result.errors.length > 0) res.status(422).send(`${result.errors.length} record(s) could not be read`);
        else res.status(204).send();
      } catch (error) {
        log.error('push failed; Pub/Sub will redeliver', {
          error: (error as Error).message,
          name: (error as Error).name,
        });
        res.status(500).send('temporarily unable to process');
      }
    },

    async auditEvent(event: CloudEvent<unknown>): Promise<void> {
      const result = await handle(event.data, {
        location: `eventarc:${String(event.source ?? '')}/${String(event.id ?? '')}`,
      });
      if (result.errors.length > 0) throw new Error(`${result.errors.length} record(s) could not be read`);
    },
  };
}

/** The subscription named in the body, for messages about a body the envelope cannot open. */
function pushLocation(body: unknown): string {
  const subscription = (body as { subscription?: unknown } | null)?.subscription;
  return typeof subscription === 'string' ? `pubsub-push:${subscription.slice(0, 256)}` : 'pubsub-push';
}
