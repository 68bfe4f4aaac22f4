import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { readFixtureText } from '../../support/fixtures.js';
import { type LocalS3, startLocalS3 } from '../aws/support/local-s3.js';
import { logFile, noise, recordsOf } from '../aws/support/trail-records.js';

/**
 * `glasswatch replay s3://bucket/prefix` against s3rver: every log object under the prefix (gzip or
 * plain) over two days of an organization trail's layout, digests skipped, an unreadable object named
 * while the rest are read, through the SDK's standard endpoint variables.
 */

const SESSION_ARN = 'arn:aws:iam::056392974792:user/christophe';
const OUTSIDE_ARN = 'arn:aws:iam::017622104382:user/christophe';
const ORG = 'AWSLogs/o-exampleorg1';
const day = (account: string, date: string, name: string, ext = 'json.gz') =>
  `${ORG}/${account}/CloudTrail/us-east-1/${date}/${account}_CloudTrail_us-east-1_${date.replaceAll('/', '')}T0910Z_${name}.${ext}`;

let s3: LocalS3;
let dir: string;
let registry: string;
const session = recordsOf(SESSION_ARN);

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket('org-trail');
  const half = Math.floor(session.length / 2);
  const filler = noise(40, [SESSION_ARN, OUTSIDE_ARN]);
  await s3.put('org-trail', day('056392974792', '2024/08/01', 'a'), logFile([...filler, ...session.slice(0, half)]));
  // Plain (not gzip) JSON: read by its first bytes, whatever the name says.
  await s3.put(
    'org-trail',
    day('056392974792', '2024/08/02', 'b', 'json'),
    JSON.stringify({ Records: session.slice(half) }),
  );
  await s3.put(
    'org-trail',
    day('056392974792', '2024/08/02', 'broken'),
    Buffer.concat([gzipSync('{"Records":['), Buffer.from('not gzip')]).subarray(0, 40),
  );
  await s3.put('org-trail', `${ORG}/056392974792/CloudTrail-Digest/us-east-1/2024/08/02/digest.json.gz`, 'not a log');
  // Outside the prefix replayed: never read.
  await s3.put(
    'org-trail',
    `AWSLogs/o-otherorg999/017622104382/CloudTrail/us-east-1/2024/08/02/x.json.gz`,
    logFile(recordsOf(OUTSIDE_ARN)),
  );
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-replay-s3-'));
  registry = join(dir, 'registry.yaml');
  await writeFile(
    registry,
    `accounts:\n  - { id: bg-session, cloud: aws, match: { arn: "${SESSION_ARN}" } }\n  - { id: bg-outside, cloud: aws, match: { arn: "${OUTSIDE_ARN}" } }\n` +
      `responders:\n  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }\n`,
  );
});

afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

describe('glasswatch replay s3://bucket/prefix', () => {
  it.each([
    ['AWS_ENDPOINT_URL_S3', () => ({ AWS_ENDPOINT_URL_S3: s3.endpoint })],
    ['AWS_ENDPOINT_URL', () => ({ AWS_ENDPOINT_URL: s3.endpoint })],
  ])('reads every log object under the prefix through %s, naming the unreadable one', async (_name, endpoint) => {
    const run = await runCli(['replay', '--registry', registry, '--json', '--ephemeral', `s3://org-trail/${ORG}/`], {
      ...credentials,
      ...endpoint(),
    });
    const errors = run.stderr.filter((line) => line.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`s3://org-trail/${day('056392974792', '2024/08/02', 'broken')}`);
    expect(run.code).toBe(2);
    // Break-glass incidents only: the filler's own tamper actions open incidents of their actors.
    const incidents = run.stdout
      .map((line) => JSON.parse(line) as { account: string | null; eventCount: number })
      .filter((i) => i.account !== null);
    expect(incidents.map((i) => i.account)).toEqual(['bg-session']);
    expect(incidents[0]?.eventCount).toBe(new Set(session.map((r) => r.eventID)).size);
  });

  it('reads Azure archives from S3 like files: PT1H.json JSON Lines and a tenant Activity Log page', async () => {
    await s3.createBucket('azure-archive');
    const blob =
      'insights-activity-logs/resourceId=/TENANTS/72F988BF-86F1-41AF-91AB-2D7CD011DB47/y=2026/m=11/d=20/h=03/m=00/PT1H.json';
    await s3.put('azure-archive', blob, readFixtureText('azure/docs-written/PT1H.json'));
    await s3.put(
      'azure-archive',
      'tenant-activity/2026-11-20.json.gz',
      gzipSync(readFixtureText('azure/docs-written/tenant-activity-log-aadiam.json')),
    );
    const entra = join(dir, 'entra.yaml');
    await writeFile(
      entra,
      'accounts:\n  - { id: entra-ea1, cloud: azure, match: { userPrincipalName: ea1@contoso.onmicrosoft.com } }\n' +
        `responders:\n  outbox: { dir: ${JSON.stringify(join(dir, 'outbox'))} }\n`,
    );
    const run = await runCli(['replay', '--registry', entra, '--json', '--ephemeral', 's3://azure-archive/'], {
      ...credentials,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
    });
    expect(run.stderr.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(run.code).toBe(0);
    const incidents = run.stdout.map((line) => JSON.parse(line) as { account: string; eventCount: number });
    expect(incidents.map((i) => i.account)).toEqual(['entra-ea1']);
    // The write and the delete; the archived copy of the delete is the same event, counted once.
    expect(incidents[0]?.eventCount).toBe(2);
  });

  it('fails with the prefix named when the bucket cannot be listed', async () => {
    const run = await runCli(
      ['replay', '--registry', registry, '--json', '--ephemeral', 's3://no-such-bucket/AWSLogs/'],
      { ...credentials, AWS_ENDPOINT_URL_S3: s3.endpoint },
    );
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/s3:\/\/no-such-bucket\/AWSLogs\/.*NoSuchBucket/);
  });
});
