import { describe, expect, it, vi } from 'vitest';
import { detect, ruleContext } from '../../../shared/core/detect/engine.js';
import { RuleError, RuleSetError } from '../../../shared/core/detect/errors.js';
import { MAX_PRINCIPAL_LENGTH, MAX_TITLE_LENGTH } from '../../../shared/core/detect/findings.js';
import type { Rule } from '../../../shared/core/detect/rule.js';
import { RULES } from '../../../shared/core/detect/rules/index.js';
import { auditEvent, signInEvent } from '../../support/audit-events.js';
import { AWS_ADMIN, AWS_ROOT, ENTRA_ADMIN, GCP_SUPER_ADMIN, matcher } from './break-glass.js';

function rule(overrides: Partial<Rule>): Rule {
  return {
    id: 'test-rule',
    kind: 'activity',
    title: 'Test rule',
    description: 'test',
    severity: 'low',
    runbook: [],
    references: [],
    falsePositives: [],
    evaluate: () => ({ account: null }),
    ...overrides,
  };
}

const stopLogging = (actor = AWS_ADMIN) =>
  auditEvent({ service: 'cloudtrail.amazonaws.com', action: 'StopLogging', actor });

describe('detect', () => {
  it('builds one finding per firing rule, with the account, cloud, principal and title', () => {
    const event = stopLogging(AWS_ROOT);
    const { findings, errors } = detect(event, matcher);
    expect(errors).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.kind, f.account, f.correlationKey])).toEqual([
      ['activity', 'activity', 'aws-prod-root', 'acct:aws-prod-root'],
      ['audit-tamper', 'audit.tamper', 'aws-prod-root', 'acct:aws-prod-root'],
    ]);
    expect(findings[0]).toMatchObject({
      cloud: 'aws',
      principal: 'root',
      title: 'Break-glass account activity: StopLogging',
      event,
    });
  });

  it('returns each rule at most once per event, and the same findings when run twice', () => {
    const event = signInEvent({ actor: AWS_ROOT, mfa: { used: false, methods: [] } });
    const first = detect(event, matcher).findings;
    expect(first.map((f) => f.ruleId)).toEqual(['signin-success', 'signin-without-mfa']);
    expect(new Set(first.map((f) => f.ruleId)).size).toBe(first.length);
    expect(detect(event, matcher).findings).toEqual(first);
  });

  it('finds nothing in an ordinary event', () => {
    expect(detect(auditEvent(), matcher)).toEqual({ findings: [], errors: [] });
  });

  describe('isolation', () => {
    it('turns a throwing rule into a RuleError naming the rule, event and origin; the other rules still run', () => {
      const boom = rule({
        id: 'boom',
        evaluate: () => {
          throw new TypeError('cannot read x');
        },
      });
      const event = { ...stopLogging(), origin: { location: 's3://trail/log.json.gz', index: 7 } };
      const { findings, errors } = detect(event, matcher, [boom, ...RULES]);
      expect(findings.map((f) => f.ruleId)).toEqual(['audit-tamper']);
      expect(errors).toHaveLength(1);
      const [error] = errors;
      expect(error).toBeInstanceOf(RuleError);
      expect(error?.ruleId).toBe('boom');
      expect(error?.eventId).toBe(event.id);
      expect(error?.cause).toBeInstanceOf(TypeError);
      expect(error?.message).toBe(
        `s3://trail/log.json.gz#7: rule boom failed on event ${event.id}: TypeError: cannot read x`,
      );
    });

    it('reports a rule that throws a non-Error value, and still runs the rules after it', () => {
      const odd = rule({
        id: 'odd',
        evaluate: () => {
          throw 'plain string';
        },
      });
      const after = rule({ id: 'after' });
      const { findings, errors } = detect(auditEvent(), matcher, [odd, after]);
      expect(findings.map((f) => f.ruleId)).toEqual(['after']);
      expect(errors[0]?.message).toMatch(/: rule odd failed on event aws:test-\d+: plain string$/);
    });

    it('rejects a rule list with duplicate ids, naming both positions', () => {
      const rules = [rule({ id: 'a' }), rule({ id: 'b' }), rule({ id: 'a' })];
      expect(() => detect(auditEvent(), matcher, rules)).toThrow(RuleSetError);
      expect(() => detect(auditEvent(), matcher, rules)).toThrow('rules[2] (id a): duplicate of rules[0]');
    });
  });

  describe('correlation keys', () => {
    it('is acct:<registry id> when the match names an account, even when someone else acted', () => {
      const event = auditEvent({
        service: 'iam.amazonaws.com',
        action: 'DeleteLoginProfile',
        actor: AWS_ADMIN,
        targets: [{ userName: 'breakglass', accountId: '111122223333' }],
      });
      const [finding] = detect(event, matcher).findings;
      expect(finding).toMatchObject({
        ruleId: 'account-change',
        account: 'aws-breakglass-user',
        correlationKey: 'acct:aws-breakglass-user',
        principal: 'ops-admin',
      });
    });

    it('is actor:<cloud>:<principal> for tampering by an unregistered principal, preferring the ARN', () => {
      const actor = { ...AWS_ADMIN, arn: 'arn:aws:iam::111122223333:user/Ops-Admin' };
      const [finding] = detect(stopLogging(actor), matcher).findings;
      expect(finding).toMatchObject({
        account: null,
        correlationKey: 'actor:aws:arn:aws:iam::111122223333:user/ops-admin',
      });
    });

    it.each([
      [
        { type: 'user', display: 'X', email: 'Ops@Example.com', upn: 'u', objectId: 'o', userName: 'n' },
        'ops@example.com',
      ],
      [
        { type: 'User', display: 'X', upn: 'Helpdesk@Contoso.com', objectId: 'o', userName: 'n' },
        'helpdesk@contoso.com',
      ],
      [{ type: 'User', display: 'X', objectId: 'ABC-1', userName: 'n' }, 'abc-1'],
      [{ type: 'IAMUser', display: 'X', userName: 'Deployer' }, 'deployer'],
      [{ type: 'Unknown', display: 'Some Service' }, 'some service'],
      [{ type: 'Unknown', display: '' }, 'unknown'],
    ])('uses the most specific identifier of %o', (actor, key) => {
      const event = auditEvent({ cloud: 'azure', action: 'Microsoft.Insights/diagnosticSettings/delete', actor });
      expect(detect(event, matcher).findings[0]?.correlationKey).toBe(`actor:azure:${key}`);
    });
  });

  it('caps the principal and the title, which come from untrusted log text', () => {
    const actor = { type: 'Root', display: 'r'.repeat(5000), arn: AWS_ROOT.arn };
    const [finding] = detect(auditEvent({ actor, action: 'A'.repeat(5000) }), matcher).findings;
    expect(finding?.principal.length).toBe(MAX_PRINCIPAL_LENGTH);
    expect(finding?.title.length).toBe(MAX_TITLE_LENGTH);
    expect(finding?.title.endsWith('…')).toBe(true);
  });

  describe('early exit when no break-glass account is involved', () => {
    it('skips rules that declare needsBreakGlass and runs the others', () => {
      const needs = vi.fn(() => undefined);
      const anyone = vi.fn(() => undefined);
      const unset = vi.fn(() => undefined);
      const rules = [
        rule({ id: 'needs', needsBreakGlass: true, evaluate: needs }),
        rule({ id: 'anyone', needsBreakGlass: false, evaluate: anyone }),
        rule({ id: 'unset', evaluate: unset }),
      ];
      detect(auditEvent({ actor: AWS_ADMIN }), matcher, rules);
      expect(needs).not.toHaveBeenCalled();
      expect(anyone).toHaveBeenCalledOnce();
      expect(unset).toHaveBeenCalledOnce();

      detect(auditEvent({ actor: AWS_ROOT }), matcher, rules);
      detect(auditEvent({ cloud: 'gcp', targets: [{ email: GCP_SUPER_ADMIN.email }] }), matcher, rules);
      expect(needs).toHaveBeenCalledTimes(2);
    });
  });
});

describe('ruleContext', () => {
  it('matches the session obtained, not the caller, when the event says so (authenticatedAs)', () => {
    const event = signInEvent({ actor: AWS_ADMIN, authenticatedAs: { arn: AWS_ROOT.arn } });
    expect(ruleContext(event, matcher).actorAccount?.id).toBe('aws-prod-root');
  });

  it('takes the first target that is a break-glass account', () => {
    const event = auditEvent({
      cloud: 'azure',
      actor: ENTRA_ADMIN,
      targets: [{ upn: 'nobody@contoso.com' }, { objectId: '8f2a7c51-3b4e-4d6a-9c1e-2b7d5e0f9a13' }],
    });
    const ctx = ruleContext(event, matcher);
    expect(ctx).toMatchObject({ registry: matcher, actorAccount: undefined, targetAccount: { id: 'entra-emergency' } });
  });
});
