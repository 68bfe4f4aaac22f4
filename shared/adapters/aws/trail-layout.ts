import { ListObjectsCommand, type ListObjectsCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError } from './errors.js';

/**
 * Where CloudTrail writes log files in a bucket, and the day prefixes of a date range:
 * `<KeyPrefix>AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/` — an organization trail adds
 * the organization id. https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */

const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DAY_MS = 86_400_000;

export class TrailListingError extends Error {
  override readonly name = 'TrailListingError';
}

/**
 * The sub-"folders" directly under a prefix, by skipping: the first key under the prefix names the first
 * folder, the next request starts after everything in it, and so on — one LIST call (MaxKeys 1) per
 * folder, however many objects each holds. Not Delimiter listing: s3rver's file store finds common
 * prefixes only one level deep; and ListObjects (Marker) rather than V2 (StartAfter), whose truncated
 * answers s3rver cannot encrypt a continuation token for on Node ≥ 17 (DES). Both cost the same on S3.
 */
export async function listFolders(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  for (;;) {
    let page: ListObjectsCommandOutput;
    try {
      page = await s3.send(
        new ListObjectsCommand({
          Bucket: bucket,
          Prefix: prefix,
          MaxKeys: 1,
          ...(after ? { Marker: after } : {}),
        }),
      );
    } catch (error) {
      throw new TrailListingError(`s3://${bucket}/${prefix}: ListObjects failed: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    const key = page.Contents?.[0]?.Key;
    if (key === undefined) return names;
    const slash = key.indexOf('/', prefix.length);
    if (slash === -1) {
      after = key; // an object directly under the prefix, not a folder
      continue;
    }
    const name = key.slice(prefix.length, slash);
    names.push(name);
    // U+10FFFF sorts after every character S3 keys can hold (UTF-8 byte order): past the whole folder.
    after = `${prefix}${name}/\u{10FFFF}`;
  }
}

export interface TrailScope {
  /** Only these accounts (all when empty). */
  accounts?: readonly string[];
  /** Only these Regions (all when empty). */
  regions?: readonly string[];
}

/** `<keyPrefix>AWSLogs/…/CloudTrail/<region>/` of every account and Region the bucket holds logs of. */
export async function regionPrefixes(
  s3: S3Client,
  bucket: string,
  keyPrefix: string,
  scope: TrailScope = {},
): Promise<string[]> {
  const logs = keyPrefix.endsWith('AWSLogs/') ? keyPrefix : `${keyPrefix}AWSLogs/`;
  const accountPrefixes: string[] = [];
  for (const name of await listFolders(s3, bucket, logs)) {
    if (ORGANIZATION.test(name)) {
      for (const account of await listFolders(s3, bucket, `${logs}${name}/`)) {
        if (ACCOUNT.test(account)) accountPrefixes.push(`${logs}${name}/${account}/`);
      }
    } else if (ACCOUNT.test(name)) accountPrefixes.push(`${logs}${name}/`);
  }
  const wanted = (list: readonly string[] | undefined, value: string) => !list?.length || list.includes(value);
  const prefixes: string[] = [];
  for (const accountPrefix of accountPrefixes) {
    if (!wanted(scope.accounts, accountPrefix.split('/').at(-2) as string)) continue;
    for (const region of await listFolders(s3, bucket, `${accountPrefix}CloudTrail/`)) {
      if (REGION.test(region) && wanted(scope.regions, region)) prefixes.push(`${accountPrefix}CloudTrail/${region}/`);
    }
  }
  return prefixes;
}

/** The UTC days from `since` to `until` inclusive, as `YYYY/MM/DD/` key segments. */
export function daySegments(since: string, until: string): string[] {
  const start = Date.parse(`${since}T00:00:00Z`);
  const end = Date.parse(`${until}T00:00:00Z`);
  const days: string[] = [];
  for (let t = start; t <= end; t += DAY_MS)
    days.push(`${new Date(t).toISOString().slice(0, 10).replaceAll('-', '/')}/`);
  return days;
}
