import { describe, expect, it } from 'vitest';
import {
  cloudTrailObjectKind,
  decodeKey,
  parseS3Notification,
} from '../../../../shared/adapters/aws/s3-notification.js';
import { readFixtureJson, readFixtureText } from '../../../support/fixtures.js';

const PUT = readFixtureText('aws-events/aws-docs-cc-by-sa/s3-object-created-put.json');

describe('parseS3Notification', () => {
  it('reads the object of the AWS docs ObjectCreated:Put notification', () => {
    expect(parseS3Notification(PUT, 'm1')).toEqual({
      kind: 'objects',
      ignored: [],
      objects: [
        {
          bucket: 'mybucket',
          key: 'HappyFace.jpg',
          eventName: 'ObjectCreated:Put',
          eventTime: '1970-01-01T00:00:00.000Z',
          versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
          size: 1024,
          sequencer: '0055AED6DCD90281E5',
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        },
      ],
    });
  });

  it('reads the body of the Powertools S3 → SQS fixture', () => {
    const event = readFixtureJson<{ Records: { body: string }[] }>('aws-events/powertools/sqs-s3-notification.json');
    const parsed = parseS3Notification(event.Records[0]?.body ?? '', 'm2');
    expect(parsed.kind === 'objects' && parsed.objects.map((o) => `${o.bucket}/${o.key}`)).toEqual(['xxx/test.pdf']);
  });

  it('recognises the s3:TestEvent S3 sends when the notification is configured', () => {
    expect(parseS3Notification(readFixtureText('aws-events/aws-docs-cc-by-sa/s3-test-event.json'), 'm3')).toEqual({
      kind: 'test',
      bucket: 'bucketname',
    });
  });

  it('unwraps an SNS envelope (S3 → SNS → SQS without raw delivery)', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'x',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      Message: PUT,
    });
    const parsed = parseS3Notification(body, 'm4');
    expect(parsed.kind === 'objects' && parsed.objects[0]?.key).toBe('HappyFace.jpg');
  });

  it('ignores notifications that are not creations', () => {
    const removed = PUT.replace('ObjectCreated:Put', 'ObjectRemoved:Delete');
    expect(parseS3Notification(removed, 'm5')).toEqual({
      kind: 'objects',
      objects: [],
      ignored: ['ObjectRemoved:Delete s3://mybucket/HappyFace.jpg'],
    });
  });

  it('names the message and the problem for anything else', () => {
    expect(() => parseS3Notification('not json', 'm6')).toThrow(
      /SQS message m6: not an S3 event notification: body is not JSON/,
    );
    expect(() => parseS3Notification('{"Records":[{"eventSource":"aws:sqs"}]}', 'm7')).toThrow(
      /SQS message m7: .*Records\.0\.eventSource/,
    );
    expect(() => parseS3Notification('{"Records":[]}', 'm8')).toThrow(/SQS message m8/);
  });
});

describe('S3 keys', () => {
  it('decodes the URL encoding of notification keys (+ for spaces)', () => {
    expect(decodeKey('AWSLogs/o-1/red+flower%281%29.json.gz')).toBe('AWSLogs/o-1/red flower(1).json.gz');
    expect(decodeKey('bad%E0%A4%A')).toBe('bad%E0%A4%A');
  });

  it('tells log files from digests, Insights and other objects by the CloudTrail layout', () => {
    const base = 'AWSLogs/o-abc1234567/111122223333';
    expect(cloudTrailObjectKind(`${base}/CloudTrail/us-east-1/2024/08/02/x.json.gz`)).toBe('log');
    expect(cloudTrailObjectKind(`${base}/CloudTrail-Digest/us-east-1/2024/08/02/x.json.gz`)).toBe('digest');
    expect(cloudTrailObjectKind(`${base}/CloudTrail-Insight/us-east-1/2024/08/02/x.json.gz`)).toBe('insight');
    expect(cloudTrailObjectKind(`${base}/Config/us-east-1/x.json.gz`)).toBe('other');
    // HashiCorp Vault audit files shipped under a vault-audit/ folder.
    expect(cloudTrailObjectKind('AWSLogs/vault-audit/vault-prod/2026/11/20/audit.json.gz')).toBe('log');
    expect(cloudTrailObjectKind('AWSLogs/my-vault-audit/x.json.gz')).toBe('other');
  });
});
