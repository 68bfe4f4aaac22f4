import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describeAwsError, PublishError } from '../../adapters/aws/errors.js';
import { awsCredentialsFromGoogle } from '../../adapters/gcp/aws-web-identity.js';
import type { EventOrigin } from '../../core/model/audit-event.js';
import { isObject } from '../../core/normalize/fields.js';
import { pubSubPushEnvelope } from '../../core/normalize/gcp/envelopes.js';
import { EnvelopeError, normalize, Skipped } from '../../core/normalize/index.js';
import type { RawRecord } from '../../core/normalize/types.js';
import { readSettings } from '../aws/config.js';
import { readPollerSettings } from './config.js';
import { gcpPushEntry } from './gcp-push-events.js';

/** What one pushed document came to. */
export interface PushResult {
  /** Entries the message carried. */
  records: number;
  /** Entries put on the ingest bus. */
  forwarded: number;
  /** Entries (or the wrapper) that could not be read; the caller refuses the delivery so Pub/Sub dead-letters it. */
  errors: Error[];
}

/** The AWS client the function uses; tests pass a stubbed one. */
export interface GcpFunctionClients {
  eventBridge: Pick<EventBridgeClient, 'send'>;
}

/**
 * The GCP push function: Pub/Sub push body → each Cloud Audit Log entry, checked with the same GCP
 * normalizer the AWS side runs (an entry that is not an audit record is refused here, 422, so it
 * dead-letters in GCP where an operator sees it) → one event on the AWS ingest bus (see
 * gcp-push-events.ts). The eventbridge-ingest function correlates, publishes, records the `gcp-push`
 * heartbeat and the rotation evidence, exactly as for every other path. AWS access is a one-hour
 * session of `GcpPushFunctionRole`, obtained from the function's Google identity: no AWS key in GCP.
 *
 * Environment: GLASSWATCH_INGEST_BUS (ARN or name), GLASSWATCH_AWS_REGION, GLASSWATCH_AWS_ROLE_ARN,
 * GLASSWATCH_AWS_AUDIENCE.
 */
export class PushForwarder {
  constructor(
    private readonly clients: GcpFunctionClients,
    private readonly busName: string,
  ) {}

  async process(document: unknown, origin: EventOrigin): Promise<PushResult> {
    let records: RawRecord[];
    try {
      if (!isObject(document) || !pubSubPushEnvelope.matches(document))
        throw new EnvelopeError(origin, 'not a Pub/Sub push request ({message: {data}, subscription})');
      const opened = pubSubPushEnvelope.open(document, origin);
      // The push envelope always opens to its entry; a skip would be a well-formed message with nothing to forward.
      records = opened instanceof Skipped ? [] : opened;
    } catch (error) {
      return { records: 0, forwarded: 0, errors: [error as Error] };
    }
    const errors: Error[] = [];
    const entries: PutEventsRequestEntry[] = [];
    for (const record of records) {
      try {
        normalize(record);
      } catch (error) {
        errors.push(error as Error);
        continue;
      }
      const entry = gcpPushEntry(record.value as Record<string, unknown>, record.origin.location, this.busName);
      if (entry instanceof Error) errors.push(entry);
      else entries.push(entry);
    }
    if (entries.length > 0) await this.put(entries);
    return { records: records.length, forwarded: entries.length, errors };
  }

  /** Throws PublishError when EventBridge refuses an entry, so the push answers 500 and Pub/Sub redelivers. */
  private async put(entries: PutEventsRequestEntry[]): Promise<void> {
    let failures: string[];
    try {
      const output = await this.clients.eventBridge.send(new PutEventsCommand({ Entries: entries }));
      failures = (output.Entries ?? [])
        .filter((result) => result.ErrorCode)
        .map((result) => `${result.ErrorCode} ${result.ErrorMessage ?? ''}`.trim());
    } catch (error) {
      failures = [describeAwsError(error)];
    }
    if (failures.length > 0) throw new PublishError(this.busName, failures);
  }
}

export function gcpPushForwarderFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  clients?: GcpFunctionClients,
): PushForwarder {
  const { GLASSWATCH_INGEST_BUS } = readSettings(env, ['GLASSWATCH_INGEST_BUS']);
  return new PushForwarder(clients ?? federatedClients(env), GLASSWATCH_INGEST_BUS);
}

function federatedClients(env: Readonly<Record<string, string | undefined>>): GcpFunctionClients {
  const settings = readPollerSettings(env, [
    'GLASSWATCH_AWS_REGION',
    'GLASSWATCH_AWS_ROLE_ARN',
    'GLASSWATCH_AWS_AUDIENCE',
  ]);
  const region = settings.GLASSWATCH_AWS_REGION;
  const credentials = awsCredentialsFromGoogle({
    roleArn: settings.GLASSWATCH_AWS_ROLE_ARN,
    audience: settings.GLASSWATCH_AWS_AUDIENCE,
    region,
  });
  return { eventBridge: new EventBridgeClient({ region, credentials, maxAttempts: 5 }) };
}
