import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { LOG_OBJECT_READER } from '../../adapters/aws/s3-log-object.js';
import type { Observability } from './observability.js';

/**
 * SDK clients, created once per cold start and traced (X-Ray subsegments per call when tracing is on).
 * Region and credentials come from the Lambda environment; `AWS_ENDPOINT_URL_<SERVICE>` (an SDK
 * feature) points a client at a local server in tests.
 */

/** DynamoDB: the SDK's standard retries (3 attempts) cover throttling; conditional failures are answers, not errors. */
export function dynamoClient(observability: Observability): DynamoDBClient {
  return observability.traced(new DynamoDBClient({}));
}

export function eventBridgeClient(observability: Observability): EventBridgeClient {
  return observability.traced(new EventBridgeClient({}));
}

/**
 * The trail bucket's reader (log objects, listings): path-style addressing only where asked (s3rver in
 * tests); real S3 uses virtual-hosted buckets.
 */
export function s3Client(observability: Observability, options: { forcePathStyle?: boolean } = {}): S3Client {
  return observability.traced(
    new S3Client({ ...LOG_OBJECT_READER, ...(options.forcePathStyle ? { forcePathStyle: true } : {}) }),
  );
}

/** One client per Region: LookupEvents only sees the Region it is called in. 5 attempts: the 2 TPS quota throttles readily. */
export function cloudTrailClient(observability: Observability, region: string): CloudTrailClient {
  return observability.traced(new CloudTrailClient({ region, maxAttempts: 5 }));
}
