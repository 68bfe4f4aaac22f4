import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentRepository } from '../../../shared/adapters/dynamodb/incident-repository.js';
import { ensureTable, type LocalDynamo, startLocalDynamo } from '../../../shared/adapters/dynamodb/local-dynalite.js';
import { pageMessage } from '../../../shared/core/act/render/page.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import { detect } from '../../../shared/core/detect/engine.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import type { Incident } from '../../../shared/core/model/incident.js';
import { normalizeCloudTrail } from '../../../shared/core/normalize/aws/cloudtrail.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * Password spraying: failed sign-ins against the break-glass roots of several accounts from one
 * address within the session gap are one incident naming every account tried. Built from the documented
 * failed root ConsoleLogin (CloudTrail user guide, AWS console sign-in events), one per member account.
 */

const matcher = new RegistryMatcher(
  parseRegistry('accounts: [{ id: member-roots, cloud: aws, match: { arn: "arn:aws:iam::*:root" } }]', 'spray.yaml'),
);
const documented = readFixtureJsonl<{ event: Record<string, unknown> }>(
  'aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl',
)[7]?.event as Record<string, unknown>;

/** The documented failed root sign-in, against `account`, from `ip`, `minutes` after 16:00. */
function failure(account: string, ip: string, minutes: number): AuditEvent {
  const record = structuredClone(documented);
  record.userIdentity = { ...(record.userIdentity as object), arn: `arn:aws:iam::${account}:root`, accountId: account };
  record.recipientAccountId = account;
  record.sourceIPAddress = ip;
  record.eventTime = new Date(Date.parse('2022-11-10T16:00:00Z') + minutes * 60_000).toISOString();
  record.eventID = `spray-${account}-${ip}-${minutes}`;
  return normalizeCloudTrail(record, { location: 'spray' });
}

let dynamo: LocalDynamo;
let tables = 0;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

async function run(batches: AuditEvent[][]): Promise<Incident[]> {
  const tableName = `spray-${++tables}`;
  await ensureTable(dynamo.client, tableName);
  const repository = new DynamoIncidentRepository(dynamo.client, tableName);
  const correlator = new Correlator(repository, matcher);
  for (const batch of batches) await correlator.record(batch.flatMap((e) => detect(e, matcher).findings));
  return (await repository.listIncidents()).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
}

describe('sign-in failures against several break-glass accounts from one source (spraying)', () => {
  it('are one incident naming every account tried, whichever batch each failure arrives in', async () => {
    const incidents = await run([
      [failure('111111111111', '192.0.2.0', 0), failure('222222222222', '192.0.2.0', 2)],
      [failure('333333333333', '192.0.2.0', 5), failure('111111111111', '192.0.2.0', 6)],
    ]);
    expect(incidents).toHaveLength(1);
    const [incident] = incidents as [Incident];
    expect(incident.events).toHaveLength(4);
    expect(incident.detections).toEqual(['signin.failure']);
    const flags = pageMessage(incident, 'opened').facts.find((f) => f.label === 'Flags')?.value;
    expect(flags).toBe(
      'sign-in failures from 192.0.2.0 against 3 break-glass accounts: member-roots (root (111111111111)), ' +
        'member-roots (root (222222222222)), member-roots (root (333333333333))',
    );
  });

  it('stay apart when the sources differ, or when the gap has passed', async () => {
    const incidents = await run([
      [failure('111111111111', '192.0.2.0', 0), failure('222222222222', '198.51.100.9', 1)],
      [failure('333333333333', '192.0.2.0', 200)],
    ]);
    expect(incidents).toHaveLength(3);
    for (const incident of incidents) {
      expect(pageMessage(incident, 'opened').facts.find((f) => f.label === 'Flags')).toBeUndefined();
    }
  });

  it('leave one account’s failures and its following success in that account’s incident', async () => {
    const success = failure('111111111111', '192.0.2.0', 3);
    const record = structuredClone(success.raw) as Record<string, unknown>;
    record.responseElements = { ConsoleLogin: 'Success' };
    delete record.errorMessage;
    record.eventID = 'spray-success';
    const incidents = await run([
      [failure('111111111111', '192.0.2.0', 0), failure('111111111111', '192.0.2.0', 1)],
      [normalizeCloudTrail(record, { location: 'spray' })],
    ]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.correlationKey).toBe('acct:member-roots/aws:111111111111:root');
    expect(incidents[0]?.detections).toContain('signin.success');
  });
});
