import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fixturePath } from '../../../support/fixtures.js';

/** CloudTrail records of the Stratus Red Team detonations (real, recorded), as an organization trail would hold them. */
export type TrailRecord = Record<string, unknown> & { eventID: string; userIdentity: { arn?: string } };

export const STRATUS: readonly TrailRecord[] = (
  JSON.parse(
    gunzipSync(readFileSync(fixturePath('aws/stratus-red-team/stratus_all_detonations.Records.json.gz'))).toString(
      'utf8',
    ),
  ) as {
    Records: TrailRecord[];
  }
).Records;

/** Records of one principal (by ARN). */
export function recordsOf(arn: string): TrailRecord[] {
  return STRATUS.filter((r) => r.userIdentity.arn === arn);
}

/** Records nobody in the test registry made: the noise of a real log file. */
export function noise(count: number, exclude: readonly string[]): TrailRecord[] {
  return STRATUS.filter((r) => !exclude.includes(r.userIdentity.arn ?? '')).slice(0, count);
}

/** A CloudTrail log file as CloudTrail writes it to S3: gzip of `{"Records":[…]}`. */
export function logFile(records: readonly unknown[]): Buffer {
  return gzipSync(JSON.stringify({ Records: records }));
}

/** The key layout of an organization trail. */
export function trailKey(account: string, name: string): string {
  return `AWSLogs/o-exampleorg1/${account}/CloudTrail/us-east-1/2024/08/02/${account}_CloudTrail_us-east-1_20240802T0910Z_${name}.json.gz`;
}
