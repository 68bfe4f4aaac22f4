import { ListObjectsV2Command, type ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { SourceReadError } from '../../core/ingest/errors.js';
import { isLogFileName } from '../files/log-files.js';
import { describeAwsError } from './errors.js';
import { LOG_OBJECT_READER } from './s3-log-object.js';
import { cloudTrailObjectKind } from './s3-notification.js';

/**
 * Every log object under an S3 prefix, for `glasswatch replay s3://bucket/prefix` and the backfill: the
 * same reading rules as a folder (log-like names only) and as the trail path (CloudTrail digests and
 * Insights are not audit records).
 */

export interface S3Prefix {
  bucket: string;
  prefix: string;
}

export interface ListedObject {
  key: string;
  size: number;
  eTag?: string;
}

/** `s3://bucket/prefix` (prefix may be empty) → its parts; anything else → undefined. */
export function parseS3Url(text: string): S3Prefix | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  return match ? { bucket: match[1] as string, prefix: match[2] ?? '' } : undefined;
}

/** Read under a prefix: log-like names, not CloudTrail digests or Insights. */
export function isLogObjectKey(key: string): boolean {
  const kind = cloudTrailObjectKind(key);
  return kind !== 'digest' && kind !== 'insight' && isLogFileName(key);
}

/**
 * An S3 client for local commands. With `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` set (the SDK's
 * standard endpoint variables, read here from the command's environment) it talks to that endpoint
 * with path-style addressing, as s3rver, MinIO and most S3-compatible stores need.
 */
export function localS3Client(env: Readonly<Record<string, string | undefined>>): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const keys =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {};
  return new S3Client({
    region,
    ...LOG_OBJECT_READER,
    ...keys,
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
}

/** Lists every object under the prefix (ListObjectsV2, 1,000 a page), in key order. */
export async function listLogObjects(s3: S3Client, { bucket, prefix }: S3Prefix): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
    } catch (error) {
      throw new SourceReadError(`s3://${bucket}/${prefix}`, `S3 ListObjectsV2 failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    for (const item of page.Contents ?? []) {
      if (item.Key && isLogObjectKey(item.Key)) {
        objects.push({
          key: item.Key,
          size: item.Size ?? 0,
          ...(item.ETag ? { eTag: item.ETag.replaceAll('"', '') } : {}),
        });
      }
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}
