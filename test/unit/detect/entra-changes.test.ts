import { describe, expect, it } from 'vitest';
import { pageMessage } from '../../../shared/core/act/render/page.js';
import { openIncident } from '../../../shared/core/correlate/session.js';
import { detect, ruleContext } from '../../../shared/core/detect/engine.js';
import { canonicalActivity, ENTRA_CHANGES, entraChangeOf } from '../../../shared/core/detect/entra-changes.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import type { Finding } from '../../../shared/core/model/finding.js';
import {
  normalizeAzureDiagnostic,
  normalizeGraphDirectoryAudit,
  normalizeLogAnalyticsRow,
} from '../../../shared/core/normalize/azure/index.js';
import { openDocument } from '../../../shared/core/normalize/index.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import {
  auditLogsRow,
  ENTRA_CHANGE_CASES,
  ENTRA_CHANGES_FIXTURE,
  ENTRA_CHANGES_REGISTRY,
  type EntraChangeCase,
} from '../../support/entra-changes.js';

/**
 * The Entra change table (shared/core/detect/entra-changes.ts): every documented activity fires on the
 * emergency account with its own page wording, in the diagnostic and the Log Analytics spelling, and
 * not on another user; an activity the table does not know still fires with generic wording.
 */
const matcher = new RegistryMatcher(parseRegistry(ENTRA_CHANGES_REGISTRY, 'entra-changes.yaml'));

const diagnostic = (c: EntraChangeCase): AuditEvent =>
  normalizeAzureDiagnostic(c.record, { location: ENTRA_CHANGES_FIXTURE, line: ENTRA_CHANGE_CASES.indexOf(c) + 1 });
const logAnalytics = (c: EntraChangeCase): AuditEvent =>
  normalizeLogAnalyticsRow(auditLogsRow(c.record), { location: 'workspace', index: ENTRA_CHANGE_CASES.indexOf(c) });
/** The Graph directoryAudit is the diagnostic record's `properties`. */
const graph = (c: EntraChangeCase): AuditEvent =>
  normalizeGraphDirectoryAudit(c.record.properties, {
    location: 'directoryAudits',
    index: ENTRA_CHANGE_CASES.indexOf(c),
  });
const changes = (event: AuditEvent) => detect(event, matcher).findings.filter((f) => f.ruleId === 'account-change');
const positives = ENTRA_CHANGE_CASES.filter((c) => c.expect !== null);
const negatives = ENTRA_CHANGE_CASES.filter((c) => c.expect === null);

/** The table entry (and wording) a case's record reads as, for the coverage checks. */
function entryOf(c: EntraChangeCase) {
  const event = diagnostic(c);
  const ctx = ruleContext(event, matcher);
  const account = ctx.targetAccount?.id ?? 'someone';
  return entraChangeOf(event, { account, actor: event.actor.display, self: ctx.actorAccount?.id === account });
}

describe('Entra change table', () => {
  it.each(positives.map((c) => [c.name, c] as const))('%s fires on the emergency account with its wording', (_, c) => {
    const spellings = [diagnostic(c), logAnalytics(c), graph(c)];
    expect(new Set(spellings.map((e) => e.id)).size).toBe(1);
    for (const event of spellings) {
      const [finding] = changes(event);
      expect(finding).toMatchObject({ kind: 'account.change', account: 'entra-ea1' });
      expect(finding?.note).toContain(c.expect);
    }
  });

  it.each(negatives.map((c) => [c.name, c] as const))('%s (another user) fires nothing', (_, c) => {
    expect(detect(diagnostic(c), matcher).findings).toEqual([]);
    expect(detect(logAnalytics(c), matcher).findings).toEqual([]);
    expect(detect(graph(c), matcher).findings).toEqual([]);
  });

  it('has a positive fixture for every activity of every entry, read as that entry', () => {
    for (const entry of ENTRA_CHANGES) {
      for (const activity of entry.activities) {
        const cases = positives.filter(
          (c) => canonicalActivity(c.record.operationName) === canonicalActivity(activity),
        );
        expect(
          cases.some((c) => entryOf(c)?.entries.includes(entry)),
          `${activity} (${entry.what})`,
        ).toBe(true);
      }
    }
  });

  it('has a negative fixture (the same activity on another user) for every entry', () => {
    for (const entry of ENTRA_CHANGES) {
      const activities = new Set(entry.activities.map(canonicalActivity));
      const negative = negatives.filter((c) => activities.has(canonicalActivity(c.record.operationName)));
      expect(negative.length, entry.what).toBeGreaterThan(0);
    }
  });

  it('names its documentation page, service and category on every entry, each activity once per reading', () => {
    for (const entry of ENTRA_CHANGES) {
      expect(entry.doc).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      expect(entry.service).not.toBe('');
      expect(entry.category).toMatch(/^(UserManagement|RoleManagement)$/);
      expect(new Set(entry.activities.map(canonicalActivity)).size).toBe(entry.activities.length);
    }
  });

  it('a temporary access pass issued by an administrator is critical, and the page says so', () => {
    const c = ENTRA_CHANGE_CASES.find((x) => x.name === 'admin-registered-temporary-access-pass') as EntraChangeCase;
    const [finding] = changes(diagnostic(c));
    expect(finding?.severity).toBe('critical');
    const page = pageMessage(openIncident(finding as Finding, matcher), 'opened');
    expect(page.severity).toBe('critical');
    expect(page.facts.find((f) => f.label === 'Flags')?.value).toContain(
      'temporary access pass issued for entra-ea1 by helpdesk@contoso.com',
    );
  });

  it('an admin registering another method is high, not the pass wording', () => {
    const c = positives.find((x) => x.name === 'admin-registered-security-info') as EntraChangeCase;
    const [finding] = changes(diagnostic(c));
    expect(finding).toMatchObject({ severity: 'high' });
    expect(finding?.note).toBe('authentication method registered on entra-ea1 by helpdesk@contoso.com (Helpdesk)');
  });

  it('the Global Administrator removal and eligible-only assignment say so on the page', () => {
    for (const [name, words] of [
      ['remove-member-from-role', 'Global Administrator role removed from entra-ea1'],
      ['pim-add-eligible-member-to-role-in-pim-completed-permanent', 'made eligible-only (PIM)'],
    ] as const) {
      const c = ENTRA_CHANGE_CASES.find((x) => x.name === name) as EntraChangeCase;
      const page = pageMessage(openIncident(changes(diagnostic(c))[0] as Finding, matcher), 'opened');
      expect(page.facts.find((f) => f.label === 'Flags')?.value).toContain(words);
    }
  });

  it('opens a Graph directoryAudits page (GET /auditLogs/directoryAudits) as Graph records, by index', () => {
    const page = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits',
      value: ENTRA_CHANGE_CASES.slice(0, 3).map((c) => c.record.properties),
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$skiptoken=x',
    };
    const records = openDocument(page, { location: 'audits.json' });
    expect(Array.isArray(records) && records.map((r) => [r.format, r.origin.index])).toEqual([
      ['azure.graph-directory-audit', 0],
      ['azure.graph-directory-audit', 1],
      ['azure.graph-directory-audit', 2],
    ]);
    const one = openDocument(ENTRA_CHANGE_CASES[0]?.record.properties, { location: 'line' });
    expect(Array.isArray(one) && one.map((r) => r.format)).toEqual(['azure.graph-directory-audit']);
  });

  it('one Update user that disables the account and changes its methods says both', () => {
    const c = positives.find((x) => x.name === 'update-user-account-enabled-false') as EntraChangeCase;
    const record = structuredClone(c.record);
    const [user] = record.properties.targetResources as { modifiedProperties: unknown[] }[];
    user?.modifiedProperties.push({
      displayName: 'StrongAuthenticationMethod',
      oldValue: '[{"MethodType":6}]',
      newValue: '[]',
    });
    expect(changes(diagnostic({ ...c, record }))[0]?.note).toBe(
      'authentication methods of entra-ea1 changed by helpdesk@contoso.com (Helpdesk) (StrongAuthenticationMethod); ' +
        'account entra-ea1 disabled by helpdesk@contoso.com (Helpdesk)',
    );
  });

  it('says so when the record does not name who acted', () => {
    const c = positives.find((x) => x.name === 'delete-user') as EntraChangeCase;
    const record = structuredClone(c.record);
    record.properties.initiatedBy = {};
    expect(changes(diagnostic({ ...c, record }))[0]?.note).toBe(
      'account entra-ea1 deleted by someone the record does not name',
    );
  });

  it('compares activities case-insensitively and without the unified audit log’s trailing period', () => {
    expect(canonicalActivity('Reset user password.')).toBe(canonicalActivity('reset USER password'));
    const c = positives.find((x) => x.name === 'disable-account') as EntraChangeCase;
    const record = structuredClone(c.record);
    record.operationName = 'Disable account.';
    record.properties.activityDisplayName = 'Disable account.';
    expect(changes(diagnostic({ ...c, record }))[0]?.note).toBe(
      'account entra-ea1 disabled by helpdesk@contoso.com (Helpdesk)',
    );
  });
});
