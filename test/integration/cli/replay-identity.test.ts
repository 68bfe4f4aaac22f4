import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { IDENTITY_REGISTRY, IDENTITY_SHAPES_FILE } from '../../support/identity-shapes.js';

/**
 * `glasswatch replay` on every AWS identity shape written from the documentation, and the Entra ones:
 * one incident per registry entry (per concrete principal for a wildcard entry), principals a responder
 * can look up, MFA as the records prove it.
 */

interface IncidentLine {
  account: string;
  principal: string;
  correlationKey: string;
  detections: string[];
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'glasswatch-identity-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('glasswatch replay: identity shapes', () => {
  it('resolves roles, IAM users by ARN, Identity Center, partitions, wildcards and Entra principals', async () => {
    const aws = readFixtureJsonl<{ event: unknown }>(IDENTITY_SHAPES_FILE).map((r) => JSON.stringify(r.event));
    const entra = readFixtureJsonl<{ record: unknown }>('azure/written-from-docs/entra_signin_shapes.jsonl').map((r) =>
      JSON.stringify({ records: [r.record] }),
    );
    await writeFile(join(dir, 'aws.jsonl'), `${aws.join('\n')}\n`);
    await writeFile(join(dir, 'entra.jsonl'), `${entra.join('\n')}\n`);
    await writeFile(
      join(dir, 'registry.yaml'),
      `${IDENTITY_REGISTRY}  - id: entra-ea1
    cloud: azure
    requiredAuth: phishing-resistant
    match: { userPrincipalName: ea1@contoso.com }
`,
    );
    const run = await runCli([
      'replay',
      '--registry',
      join(dir, 'registry.yaml'),
      '--json',
      '--ephemeral',
      join(dir, 'aws.jsonl'),
      join(dir, 'entra.jsonl'),
    ]);
    expect(run.stderr.filter((line) => line.startsWith('error'))).toEqual([]);
    const incidents = run.stdout
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as IncidentLine)
      .map(({ account, principal, correlationKey, detections }) => ({
        account,
        principal,
        correlationKey,
        detections: [...detections].sort(),
      }));
    const of = (account: string) => incidents.filter((i) => i.account === account);
    expect(of('bg-role')).toEqual([
      {
        account: 'bg-role',
        // The denied attempt opened the session, a minute before the allowed one.
        principal: 'arn:aws:iam::111122223333:role/ops/BreakGlass session JohnDoe-breakglass (assumed by JohnDoe)',
        correlationKey: 'acct:bg-role',
        detections: ['activity', 'signin.failure', 'signin.success'],
      },
    ]);
    expect(of('bg-user').map((i) => [i.principal, i.detections])).toEqual([['ops-admin', ['account.change']]]);
    expect(of('bg-saml-role').map((i) => i.detections)).toEqual([['signin.success']]);
    expect(of('bg-web-role').map((i) => i.detections)).toEqual([['signin.success']]);
    expect(of('bg-idc').map((i) => [i.principal, i.detections])).toEqual([['bg-idc-admin', ['signin.success']]]);
    expect(of('gov-root').map((i) => i.detections)).toEqual([['signin.success']]);
    expect(
      of('every-root')
        .map((i) => [i.principal, i.correlationKey])
        .sort(),
    ).toEqual([
      ['root (111122223333)', 'acct:every-root/aws:111122223333:root'],
      ['root (444455556666)', 'acct:every-root/aws:444455556666:root'],
    ]);
    const [entraIncident, ...more] = of('entra-ea1');
    expect(more).toEqual([]);
    expect(entraIncident?.principal).toMatch(/^(ea1@contoso\.com \(Emergency Admin 1\)|8f2a7c51-)/);
    expect(entraIncident?.detections).toEqual(['signin.success', 'signin.weak-auth', 'signin.without-mfa']);
  });
});
