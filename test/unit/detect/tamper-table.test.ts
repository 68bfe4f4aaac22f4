import { describe, expect, it } from 'vitest';
import { detect } from '../../../shared/core/detect/engine.js';
import { tamperEntryOf } from '../../../shared/core/detect/tamper/match.js';
import { TAMPER_ENTRIES } from '../../../shared/core/detect/tamper-actions.js';
import { DetectionPipeline } from '../../../shared/core/ingest/detection-pipeline.js';
import { JsonSplitter } from '../../../shared/core/ingest/json-splitter.js';
import type { AuditEvent } from '../../../shared/core/model/audit-event.js';
import { type Finding, SEVERITY_ORDER } from '../../../shared/core/model/finding.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';
import { readFixtureJson } from '../../support/fixtures.js';
import {
  failedVariant,
  TAMPER_CASES,
  TAMPER_PIPELINE,
  tamperEvent,
  tamperRegistry,
} from '../../support/tamper-cases.js';

/**
 * Every action of the tamper table against records written from each service's documented record
 * (test/fixtures/tamper/, the page named on each line): each fires on the pipeline's own resource and
 * not on the same call elsewhere, with the severity the table gives it.
 */

const registry = tamperRegistry;
const matcher = new RegistryMatcher(registry);
const PIPELINE = TAMPER_PIPELINE;
const cases = TAMPER_CASES;

/** A file's text through the splitter and the detection pipeline, as replay and the S3 path read it. */
function readFile(text: string, location: string, m: RegistryMatcher) {
  const findings: Finding[] = [];
  const errors: Error[] = [];
  const pipeline = new DetectionPipeline(m, { onFinding: (f) => findings.push(f), onError: (e) => errors.push(e) });
  const splitter = new JsonSplitter((chunk) => pipeline.chunk(chunk, splitter.container ?? 'document', location));
  splitter.push(text);
  splitter.end();
  return { findings, errors };
}

const tamperFindings = (event: AuditEvent) => detect(event, matcher).findings.filter((f) => f.kind === 'audit.tamper');

describe('the tamper table against documented records', () => {
  it.each(cases.filter((c) => c.fires).map((c) => [c.label, c] as const))('fires on %s', (_label, c) => {
    const findings = tamperFindings(c.event);
    expect(findings).toHaveLength(1);
    const entry = tamperEntryOf(c.event, registry.pipeline);
    expect(findings[0]?.severity).toBe(entry?.severity);
    // Every record here is a direct call: 'unless-deployed' entries page.
    expect(findings[0]?.pagesAtOnce).toBe(entry?.pagesAtOnce !== false);
  });

  const deployLike = cases.filter(
    (c) => c.fires && tamperEntryOf(c.event, registry.pipeline)?.pagesAtOnce === 'unless-deployed',
  );
  it.each(deployLike.map((c) => [c.label, c] as const))(
    'opens a ticket for %s when CloudFormation made the call, and pages when only the user agent says so',
    (_label, c) => {
      const byCloudFormation = (record: Record<string, unknown>, fields: string[]) => {
        const copy = structuredClone(record);
        for (const field of fields) {
          if (field === 'invokedBy')
            (copy.userIdentity as Record<string, unknown>).invokedBy = 'cloudformation.amazonaws.com';
          else copy[field] = 'cloudformation.amazonaws.com';
        }
        return tamperFindings(tamperEvent({ ...c, record: copy }, c.label)).map((f) => f.pagesAtOnce);
      };
      expect(byCloudFormation(c.record, ['invokedBy', 'sourceIPAddress', 'userAgent'])).toEqual([false]);
      expect(byCloudFormation(c.record, ['userAgent'])).toEqual([true]);
    },
  );

  it('has deploy-like entries to test above', () => {
    expect(deployLike.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases.filter((c) => !c.fires).map((c) => [c.label, c] as const))('does not fire on %s', (_label, c) => {
    expect(tamperFindings(c.event)).toEqual([]);
  });

  it.each(cases.filter((c) => c.fires).map((c) => [c.label, c] as const))(
    'fires on %s when the call failed',
    (_label, c) => {
      const event = tamperEvent(failedVariant(c), `${c.label}, failed`);
      expect(event.outcome).toBe('failure');
      expect(tamperFindings(event).map((f) => f.severity)).toEqual([
        tamperEntryOf(c.event, registry.pipeline)?.severity,
      ]);
    },
  );

  it('says "unknown" in the finding exactly when the record does not say what changed or on what', () => {
    const wrong = cases
      .filter((c) => c.fires)
      .filter((c) => (tamperFindings(c.event)[0]?.title ?? '').includes('unknown') !== c.case.includes('unknown'));
    expect(wrong.map((c) => c.label)).toEqual([]);
  });

  it.each(cases.filter((c) => c.fires && c.format.startsWith('azure.')).map((c) => [c.label, c] as const))(
    'reads the operation of %s in upper and lower case',
    (_label, c) => {
      for (const spell of [(s: string) => s.toUpperCase(), (s: string) => s.toLowerCase()]) {
        const record = structuredClone(c.record);
        for (const key of ['operationName', 'OperationName', 'OperationNameValue'])
          if (typeof record[key] === 'string') record[key] = spell(record[key] as string);
        expect(tamperFindings(tamperEvent({ ...c, record }, c.label))).toHaveLength(1);
      }
    },
  );

  it('has a firing record for every action of every entry, naming the entry’s own page', () => {
    const missing: string[] = [];
    for (const entry of TAMPER_ENTRIES) {
      for (const action of entry.actions) {
        const hit = cases.some(
          (c) =>
            c.fires &&
            c.event.action.toLowerCase().endsWith(action.toLowerCase()) &&
            tamperEntryOf(c.event, registry.pipeline) === entry,
        );
        if (!hit) missing.push(`${entry.cloud} ${entry.service ?? '*'} ${action}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a record of the same action that does not fire for every narrowed entry (another resource, or no weakening)', () => {
    const missing: string[] = [];
    for (const entry of TAMPER_ENTRIES.filter((e) => e.when !== undefined)) {
      const negative = cases.some(
        (c) =>
          !c.fires &&
          entry.actions.some((a) => c.event.action.toLowerCase().endsWith(a.toLowerCase())) &&
          (entry.service === undefined || c.event.service.toLowerCase() === entry.service),
      );
      if (!negative) missing.push(`${entry.cloud} ${entry.actions.join('/')}`);
    }
    expect(missing).toEqual([]);
  });

  it('gives every entry a severity, a paging decision and a documentation page', () => {
    for (const entry of TAMPER_ENTRIES) {
      expect(Object.keys(SEVERITY_ORDER)).toContain(entry.severity);
      expect([true, false, 'unless-deployed']).toContain(entry.pagesAtOnce);
      if (entry.pagesAtOnce === 'unless-deployed') expect(entry.cloud).toBe('aws');
      expect(new URL(entry.doc).protocol).toBe('https:');
      expect(entry.what.length).toBeGreaterThan(10);
    }
  });

  describe('tenant-level Entra diagnostic settings (microsoft.aadiam), read from a file as replay and the S3 path read it', () => {
    const page = readFixtureJson<{ value: Record<string, unknown>[] }>(
      'azure/docs-written/tenant-activity-log-aadiam.json',
    );
    const other = new RegistryMatcher(
      parseRegistry(
        `${PIPELINE.split('pipeline:')[0]}pipeline:\n  azure:\n    diagnosticSettings:\n      - { id: /providers/microsoft.aadiam/diagnosticSettings/sentinel, categories: [AuditLogs] }\n`,
        'other.yaml',
      ),
    );
    const shapes = [
      ['the REST page {"value":[…]}', JSON.stringify(page)],
      ['`az monitor activity-log list` output (a JSON array)', JSON.stringify(page.value, null, 2)],
      ['one event per line', page.value.map((e) => JSON.stringify(e)).join('\n')],
    ] as const;

    it.each(shapes)(
      '%s: the write (no body: unknown) and the delete fire; another tenant setting does not',
      (_shape, text) => {
        const { findings, errors } = readFile(text, 'aadiam', matcher);
        expect(errors).toEqual([]);
        expect(
          findings.filter((f) => f.kind === 'audit.tamper').map((f) => [f.event.action.toLowerCase(), f.severity]),
        ).toEqual([
          ['microsoft.aadiam/diagnosticsettings/write', 'high'],
          ['microsoft.aadiam/diagnosticsettings/delete', 'critical'],
        ]);
        expect(findings[0]?.title).toContain('unknown');
        expect(readFile(text, 'aadiam', other).findings.filter((f) => f.kind === 'audit.tamper')).toEqual([]);
      },
    );

    it('reads the categories from properties.requestbody when the event carries it', () => {
      const write = page.value[0] as Record<string, unknown>;
      const withBody = (categories: string[]) => ({
        ...write,
        properties: {
          ...(write.properties as object),
          requestbody: JSON.stringify({
            properties: {
              logs: categories.map((category) => ({ category, enabled: true })),
              workspaceId: registry.pipeline?.azure?.workspace,
              eventHubAuthorizationRuleId: `${registry.pipeline?.azure?.eventHubNamespace}/authorizationRules/RootManageSharedAccessKey`,
            },
          }),
        },
      });
      const tamper = (event: unknown) =>
        readFile(JSON.stringify([event]), 'aadiam', matcher).findings.filter((f) => f.kind === 'audit.tamper');
      const entra = ['AuditLogs', 'SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'];
      expect(tamper(withBody([...entra, 'ManagedIdentitySignInLogs']))).toEqual([]);
      expect(tamper(withBody(entra)).map((f) => f.title.includes('unknown'))).toEqual([false]);
    });
  });

  it('without a pipeline section, a call on any resource of the kind fires (a miss is worse than noise)', () => {
    const bare = new RegistryMatcher(
      parseRegistry('accounts: [{ id: r, cloud: aws, match: { arn: "arn:aws:iam::1:root" } }]', 'b'),
    );
    const other = cases.find((c) => c.case === 'DeleteQueue of another queue');
    expect(other).toBeDefined();
    expect(detect(other?.event as AuditEvent, bare).findings.map((f) => f.kind)).toEqual(['audit.tamper']);
  });
});
