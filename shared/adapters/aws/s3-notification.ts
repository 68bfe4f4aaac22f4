import { z } from 'zod';
import { cap } from '../../core/normalize/fields.js';
import type { S3ObjectRef } from './s3-log-object.js';

/**
 * The body of one SQS message fed by S3 event notifications: S3 → SQS directly, or S3 → SNS → SQS
 * (the SNS envelope when raw delivery is off), and the `s3:TestEvent` S3 sends once when the
 * notification is configured. Parsed per message, so one malformed body fails only its own message.
 */

/** An object the notification says was created. */
export interface S3ObjectNotice extends S3ObjectRef {
  eventName: string;
  eventTime?: string;
  size?: number;
  /** Orders events on one key; with versionId/eTag it identifies this write for idempotency. */
  sequencer?: string;
  eTag?: string;
}

export type S3Notification =
  | { kind: 'objects'; objects: S3ObjectNotice[]; ignored: string[] }
  | { kind: 'test'; bucket: string };

/** A message body that is not an S3 notification at all. */
export class S3NotificationError extends Error {
  override readonly name = 'S3NotificationError';
  constructor(
    readonly messageId: string,
    reason: string,
  ) {
    super(`SQS message ${messageId}: not an S3 event notification: ${reason}`);
  }
}

const s3Record = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().min(1).max(200),
  eventTime: z.string().max(64).optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1).max(255) }),
    object: z.object({
      key: z.string().min(1).max(4096),
      size: z.number().nonnegative().optional(),
      eTag: z.string().max(200).optional(),
      versionId: z.string().max(1024).nullish(),
      sequencer: z.string().max(200).optional(),
    }),
  }),
});

const s3Event = z.object({ Records: z.array(s3Record).min(1).max(1000) });
const testEvent = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string().max(255) });
const snsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

/**
 * Parses one SQS message body. Throws {@link S3NotificationError} naming the message and the problem.
 *
 * @example
 * const notification = parseS3Notification(record.body, record.messageId);
 * if (notification.kind === 'objects') for (const object of notification.objects) await read(object);
 */
export function parseS3Notification(body: string, messageId: string): S3Notification {
  let value = parseJson(body, messageId);
  const sns = snsEnvelope.safeParse(value);
  if (sns.success) value = parseJson(sns.data.Message, messageId);

  const test = testEvent.safeParse(value);
  if (test.success) return { kind: 'test', bucket: test.data.Bucket };
  const parsed = s3Event.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new S3NotificationError(messageId, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const objects: S3ObjectNotice[] = [];
  const ignored: string[] = [];
  for (const record of parsed.data.Records) {
    const { bucket, object } = record.s3;
    const key = decodeKey(object.key);
    // Only creations carry a log file; a lifecycle expiry or delete notification is not an error.
    if (!record.eventName.startsWith('ObjectCreated:')) {
      ignored.push(`${record.eventName} s3://${bucket.name}/${cap(key, 200)}`);
      continue;
    }
    objects.push({
      bucket: bucket.name,
      key,
      eventName: record.eventName,
      ...(record.eventTime ? { eventTime: record.eventTime } : {}),
      ...(object.versionId ? { versionId: object.versionId } : {}),
      ...(object.size !== undefined ? { size: object.size } : {}),
      ...(object.sequencer ? { sequencer: object.sequencer } : {}),
      ...(object.eTag ? { eTag: object.eTag } : {}),
    });
  }
  return { kind: 'objects', objects, ignored };
}

/** S3 notification keys are URL-encoded with `+` for spaces ("red flower.jpg" → "red+flower.jpg"). */
export function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key; // not valid percent-encoding: the key is used as written, GetObject then says if it exists
  }
}

/** What a key in a CloudTrail bucket holds. Only `log` objects are read; digests and Insights are not audit records. */
export type CloudTrailObjectKind = 'log' | 'digest' | 'insight' | 'other';

/**
 * Classifies by the layout CloudTrail writes: `…/AWSLogs/[o-org/]<account>/CloudTrail/<region>/…json.gz`,
 * `CloudTrail-Digest/` and `CloudTrail-Insight/` beside it. HashiCorp Vault audit device files shipped
 * into the bucket under a `vault-audit/` folder (README: under the trail's key prefix, so the function may
 * read them) are logs too: their lines are recognised by their shape. Anything else is `other`.
 */
export function cloudTrailObjectKind(key: string): CloudTrailObjectKind {
  if (key.includes('/CloudTrail-Digest/')) return 'digest';
  if (key.includes('/CloudTrail-Insight/')) return 'insight';
  if (key.includes('/CloudTrail/') || /(^|\/)vault-audit\//.test(key)) return 'log';
  return 'other';
}

function parseJson(text: string, messageId: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new S3NotificationError(messageId, `body is not JSON (${(error as Error).message.slice(0, 120)})`);
  }
}
