import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/core/act/actions.js';
import { respondersSchema } from '../../../shared/core/act/config-schema.js';
import { accountFacts, evaluateCompliance, statusLights } from '../../../shared/core/assure/compliance.js';
import type { DrillResult } from '../../../shared/core/assure/drill/steps.js';
import { Correlator } from '../../../shared/core/correlate/correlator.js';
import { DetectionPipeline } from '../../../shared/core/ingest/detection-pipeline.js';
import type { Finding } from '../../../shared/core/model/finding.js';
import { InMemoryAssuranceStore } from '../../../shared/core/ports/in-memory-assurance-store.js';
import { InMemoryDeliveryLedger } from '../../../shared/core/ports/in-memory-delivery-ledger.js';
import { createAlertSender } from '../../../shared/runtime/assure/alert-sender.js';
import { runComplianceCheck } from '../../../shared/runtime/assure/compliance-check.js';
import { readFixtureJsonl } from '../../support/fixtures.js';
import { account, MemoryIncidentRepository, matcher, registry } from './support/world.js';

/**
 * Compliance from real CloudTrail sign-in records (AWS docs): a root sign-in with MFA and a root
 * password change, judged on a hand-moved "now".
 */

type Doc = Record<string, unknown>;
const SIGN_INS = readFixtureJsonl<{ event: Doc }>('aws/aws-docs-cc-by-sa/cloudtrail_console_signin_examples.jsonl').map(
  (r) => r.event,
);
const byName = (name: string, mfa?: string) =>
  SIGN_INS.find(
    (e) => e.eventName === name && (mfa === undefined || (e.additionalEventData as Doc)?.MFAUsed === mfa),
  ) as Doc;
const SIGN_IN_MFA = byName('ConsoleLogin', 'YES');
const SIGN_IN_NO_MFA = byName('ConsoleLogin', 'No');
const PASSWORD_UPDATED = byName('PasswordUpdated');
const AT = Date.parse(String(PASSWORD_UPDATED.eventTime));
const DAY = 86_400_000;

async function incidentsOf(records: Doc[]) {
  const findings: Finding[] = [];
  const pipeline = new DetectionPipeline(matcher, {
    onFinding: (f) => findings.push(f),
    onError: (e) => {
      throw e;
    },
  });
  for (const [i, r] of records.entries()) pipeline.document(r, { location: 'signin.jsonl', line: i + 1 });
  const repository = new MemoryIncidentRepository();
  await new Correlator(repository, matcher).record(findings);
  return { repository, incidents: await repository.listIncidents() };
}

describe('compliance facts and violations', () => {
  it('reads the rotation, the last real use and MFA of the last sign-in from the incidents', async () => {
    const { incidents } = await incidentsOf([SIGN_IN_MFA, PASSWORD_UPDATED]);
    const facts = accountFacts(account('aws-prod-root'), incidents, []);
    expect(facts).toMatchObject({ lastRotationMs: AT, lastRealUseMs: AT, lastSignIn: { timeMs: AT, mfa: true } });
    expect(facts.lastDrillMs).toBeUndefined();
  });

  it('flags rotation after its age, drills after a quarter, and no MFA on the last sign-in', async () => {
    const prod = account('aws-prod-root');
    const facts = accountFacts(prod, (await incidentsOf([SIGN_IN_MFA, PASSWORD_UPDATED])).incidents, []);
    expect(evaluateCompliance(prod, facts, AT, AT + 29 * DAY)).toEqual([]);
    expect(evaluateCompliance(prod, facts, AT, AT + 31 * DAY).map((v) => [v.kind, v.period])).toEqual([
      ['rotation-overdue', new Date(AT + 30 * DAY).toISOString().slice(0, 10)],
    ]);
    expect(evaluateCompliance(prod, facts, AT, AT + 93 * DAY).map((v) => v.kind)).toEqual([
      'rotation-overdue',
      'drill-overdue',
    ]);
    const drill = {
      account: 'aws-prod-root',
      status: 'passed',
      startedAt: new Date(AT + 90 * DAY).toISOString(),
    } as DrillResult;
    const drilled = accountFacts(prod, (await incidentsOf([SIGN_IN_MFA])).incidents, [drill]);
    expect(evaluateCompliance(prod, drilled, AT, AT + 93 * DAY).map((v) => v.kind)).toEqual(['rotation-overdue']);
    const noMfa = accountFacts(prod, (await incidentsOf([SIGN_IN_NO_MFA])).incidents, []);
    expect(evaluateCompliance(prod, noMfa, AT, AT + DAY)).toMatchObject([
      { kind: 'mfa-not-seen', period: new Date(AT).toISOString(), summary: 'aws-prod-root: last sign-in without MFA' },
    ]);
  });

  it('flags an account unused for a year for review, and shows lights', async () => {
    const prod = account('aws-prod-root');
    const facts = accountFacts(prod, (await incidentsOf([SIGN_IN_MFA, PASSWORD_UPDATED])).incidents, []);
    expect(evaluateCompliance(prod, facts, AT, AT + 366 * DAY).map((v) => v.kind)).toContain('unused-a-year');
    expect(statusLights(prod, facts, AT + 26 * DAY)).toEqual({
      rotation: 'warn',
      drill: 'unknown',
      lastUse: 'ok',
      mfa: 'ok',
    });
    expect(statusLights(prod, facts, AT + 400 * DAY)).toMatchObject({ rotation: 'bad', lastUse: 'warn' });
  });

  it('never judges an account overdue before watching could have seen a rotation', () => {
    const gcp = account('gcp-super-admin');
    const facts = accountFacts(gcp, [], []);
    expect(evaluateCompliance(gcp, facts, AT, AT + 10 * DAY)).toEqual([]);
  });
});

describe('runComplianceCheck', () => {
  it('opens each violation ticket once, however often the check runs, and a new one per period', async () => {
    const { repository } = await incidentsOf([SIGN_IN_MFA, PASSWORD_UPDATED]);
    const sent: Action[] = [];
    const ledger = new InMemoryDeliveryLedger();
    const alerts = createAlertSender(
      respondersSchema.parse({ jira: { baseUrl: 'https://example.atlassian.net', projectKey: 'SEC' } }),
      {
        drivers: {
          jira: {
            deliver: async (a) => {
              sent.push(a);
              return { ok: true, ref: { issueKey: `SEC-${sent.length}` } };
            },
          },
        },
        ledger,
      },
    );
    const deps = {
      registry,
      repository,
      ledger,
      store: new InMemoryAssuranceStore(),
      plan: alerts.plan,
      runtime: 'local' as const,
      alerts,
    };
    const day31 = await runComplianceCheck(deps, AT + 31 * DAY);
    expect(day31.violations.map((v) => `${v.account}:${v.kind}`)).toContain('aws-prod-root:rotation-overdue');
    const opened = sent.length;
    expect(sent.every((a) => a.kind === 'ticket.open' && a.severity === 'low')).toBe(true);
    await runComplianceCheck(deps, AT + 32 * DAY);
    expect(sent).toHaveLength(opened);
    await runComplianceCheck(deps, AT + 93 * DAY);
    const titles = sent.slice(opened).map((a) => (a.kind === 'ticket.open' ? a.ticket.title : ''));
    expect(titles).toContain('Break-glass compliance: aws-prod-root: no passed drill within 92 days');
  });
});
