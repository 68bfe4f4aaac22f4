import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip, gunzipSync } from 'node:zlib';

/**
 * Synthetic CloudTrail S3 log files for benchmarks, built from the REAL record shapes in
 * test/fixtures (Stratus Red Team detonations, OTRF lab, AWS docs sign-ins). Only eventID and
 * eventTime change per record; every 5,000th record is a root console sign-in (the needle).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = join(ROOT, 'bench', '.data');

type CloudTrailRecord = Record<string, unknown>;

async function templates(): Promise<CloudTrailRecord[]> {
  const stratus = JSON.parse(
    gunzipSync(
      await readFile(join(ROOT, 'test/fixtures/aws/stratus-red-team/stratus_all_detonations.Records.json.gz')),
    ).toString(),
  ) as { Records: CloudTrailRecord[] };
  const otrf = (
    await readFile(join(ROOT, 'test/fixtures/aws/otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.ndjson'), 'utf8')
  )
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CloudTrailRecord)
    .filter((r) => typeof r.eventTime === 'string');
  return [...stratus.Records, ...otrf];
}

const NEEDLE: CloudTrailRecord = {
  eventVersion: '1.08',
  userIdentity: {
    type: 'Root',
    principalId: '111122223333',
    arn: 'arn:aws:iam::111122223333:root',
    accountId: '111122223333',
  },
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Firefox/120.0',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' },
  eventType: 'AwsConsoleSignIn',
  recipientAccountId: '111122223333',
};

export const NEEDLE_EVERY = 5_000;

/** Writes `{"Records":[…]}` with `count` records, gzipped; returns the path. Reuses an existing file. */
export async function generateCloudTrailFile(count: number, name = `cloudtrail-${count}.json.gz`): Promise<string> {
  const path = join(DATA_DIR, name);
  await mkdir(DATA_DIR, { recursive: true });
  try {
    await readFile(`${path}.done`);
    return path;
  } catch {
    // not generated yet
  }
  const shapes = await templates();
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(path);
  gzip.pipe(out);
  const start = Date.parse('2026-11-01T00:00:00Z');
  const write = (text: string) => (gzip.write(text) ? undefined : new Promise((r) => gzip.once('drain', r)));
  await write('{"Records":[');
  for (let i = 0; i < count; i++) {
    const shape = i % NEEDLE_EVERY === NEEDLE_EVERY - 1 ? NEEDLE : (shapes[i % shapes.length] as CloudTrailRecord);
    const record = {
      ...shape,
      eventID: `bench-${i}`,
      eventTime: new Date(start + i * 1000).toISOString().replace('.000Z', 'Z'),
    };
    await write(`${i === 0 ? '' : ','}${JSON.stringify(record)}`);
  }
  await write(']}');
  gzip.end();
  await new Promise<void>((resolve) => out.on('close', () => resolve()));
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`${path}.done`, String(count));
  return path;
}
