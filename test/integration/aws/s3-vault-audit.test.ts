import { gzipSync } from 'node:zlib';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixtureText } from '../../support/fixtures.js';
import { VAULT_ROOT_ACCOUNT } from '../../support/vault-registry.js';
import {
  type LocalStack,
  lambdaContext,
  s3Notification,
  sqsEvent,
  sqsRecord,
  startLocalStack,
} from './support/stack.js';

/**
 * HashiCorp Vault audit device files on the S3 path, end to end in process: an audit file shipped
 * gzip'd into the trail bucket under `vault-audit/` → ObjectCreated via SQS → the s3-log-files handler
 * → s3rver → detection → correlator on dynalite. The reads and store changes of the AWS root's Vault
 * path are one incident of the AWS account; request entries and a `list` are skipped, not failures.
 */

const REGISTRY = `
accounts:
${VAULT_ROOT_ACCOUNT}
`;

type Handler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse>;

let stack: LocalStack;
let handler: Handler;

beforeAll(async () => {
  stack = await startLocalStack(REGISTRY);
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  await stack.useFreshTables();
  ({ handler } = (await import('../../../functions/ingest/s3-log-files.js')) as unknown as { handler: Handler });
});

describe('s3-log-files handler: Vault audit files', () => {
  it('reads a gzip audit file under vault-audit/ into one incident on the owning AWS account', async () => {
    const key = 'AWSLogs/vault-audit/vault-prod/2026/11/20/audit-0001.json.gz';
    await stack.s3.put(stack.bucket, key, gzipSync(readFixtureText('vault/written-from-docs/audit.log')));
    const result = await handler(
      sqsEvent([sqsRecord(s3Notification(stack.bucket, key, 'seq-1'), 'm-1')]),
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([]);
    const incidents = await stack.repository().listIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ account: 'aws-prod-root', cloud: 'aws', severity: 'critical' });
    expect(incidents[0]?.detections).toEqual(expect.arrayContaining(['credential.access', 'account.change']));
    expect(incidents[0]?.events.map((e) => e.id)).toEqual([
      'vault:4e1f3c2a-9b8d-4c7e-a6f5-0d1e2f3a4b5c',
      'vault:b4c0e1a7-2f5d-4d3b-9a8e-1c2d3e4f5a6b',
      'vault:c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
      'vault:2c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f',
      'vault:3d4e5f6a-7b8c-4d9e-9f0a-2b3c4d5e6f7a',
    ]);
  });

  it('a control-group held read in one object, its authorization and unwrap in the next: joined through the store', async () => {
    const lines = readFixtureText('vault/control-group/audit.log').split('\n');
    const put = async (n: number, from: number, to: number) => {
      const key = `AWSLogs/vault-audit/vault-prod/2026/11/20/audit-cg-${n}.json.gz`;
      await stack.s3.put(stack.bucket, key, gzipSync(lines.slice(from - 1, to).join('\n')));
      const result = await handler(
        sqsEvent([sqsRecord(s3Notification(stack.bucket, key, `cg-${n}`), `cg-${n}`)]),
        lambdaContext(),
      );
      expect(result.batchItemFailures).toEqual([]);
    };
    await put(1, 1, 2);
    await put(2, 3, 4);
    await put(3, 5, 5);
    await put(4, 6, 9);
    const incidents = (await stack.repository().listIncidents()).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
    expect(incidents.map((i) => [i.severity, i.events.length])).toEqual([
      ['high', 3],
      ['critical', 2],
    ]);
    expect(incidents[0]?.events.map((e) => [e.actor, e.opening?.approval])).toEqual([
      ['userpass-dev', 'held'],
      ['oidc-manager@example.com', undefined],
      ['(unknown)', 'authorized'],
    ]);
    expect(incidents[1]?.events[1]?.note).toContain('unwrapped without a recorded authorization');
  });

  it('does not read an object outside a CloudTrail or vault-audit/ folder', async () => {
    const key = 'AWSLogs/other/audit-0001.json.gz';
    await stack.s3.put(stack.bucket, key, gzipSync(readFixtureText('vault/written-from-docs/audit.log')));
    const result = await handler(
      sqsEvent([sqsRecord(s3Notification(stack.bucket, key, 'seq-2'), 'm-2')]),
      lambdaContext(),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(await stack.repository().listIncidents()).toEqual([]);
  });
});
