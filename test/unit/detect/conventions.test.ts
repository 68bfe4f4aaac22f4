import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../shared/core/detect/rules/index.js';
import { DETECTION_KINDS, SEVERITY_ORDER } from '../../../shared/core/model/finding.js';

/** Conventions every rule keeps, checked so a new rule cannot forget one. */

const DETECT_DIR = fileURLToPath(new URL('../../../shared/core/detect/', import.meta.url));
const RULES_DIR = join(DETECT_DIR, 'rules');
const RULE_TESTS_DIR = fileURLToPath(new URL('./rules/', import.meta.url));
const DOC_HOSTS = [
  'docs.aws.amazon.com',
  'cloud.google.com',
  'developers.google.com',
  'support.google.com',
  'learn.microsoft.com',
  'developer.hashicorp.com',
];

describe.each(RULES.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  it('lives in rules/<id>.ts, which exports exactly this rule', async () => {
    const file = join(RULES_DIR, `${id}.ts`);
    expect(existsSync(file), file).toBe(true);
    const exported = Object.values(await import(file));
    expect(exported).toEqual([rule]);
    expect(exported[0]).toBe(rule);
  });

  it('has complete metadata', () => {
    expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(DETECTION_KINDS).toContain(rule.kind);
    expect(Object.keys(SEVERITY_ORDER)).toContain(rule.severity);
    expect(rule.title.length).toBeGreaterThan(0);
    expect(rule.title.length).toBeLessThanOrEqual(60);
    expect(rule.description.length).toBeGreaterThan(40);
    expect(rule.runbook.length).toBeGreaterThanOrEqual(2);
    expect(rule.runbook.length).toBeLessThanOrEqual(3);
    for (const step of rule.runbook) expect(step.length).toBeGreaterThan(20);
    expect(rule.falsePositives.length).toBeGreaterThan(0);
    expect(rule.references.length).toBeGreaterThan(0);
    for (const reference of rule.references) expect(DOC_HOSTS).toContain(new URL(reference).host);
    // Declared either way: an unset flag is safe but slow, and should be a decision, not an accident.
    expect(typeof rule.needsBreakGlass).toBe('boolean');
  });

  it('has a test file with cases that fire and cases that do not fire', () => {
    const file = join(RULE_TESTS_DIR, `${id}.test.ts`);
    expect(existsSync(file), file).toBe(true);
    const text = readFileSync(file, 'utf8');
    // it('fires …') or it.each(…)('fires …'); likewise 'does not fire …'.
    expect(text).toMatch(/(?:\bit|\))\(\s*['"`]fires\b/);
    expect(text).toMatch(/(?:\bit|\))\(\s*['"`]does not fire\b/);
  });
});

describe('the rule set', () => {
  it('has unique ids', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every detection kind', () => {
    expect(new Set(RULES.map((rule) => rule.kind))).toEqual(new Set(DETECTION_KINDS));
  });

  it('lists every rule file (a file missing from RULES would never run)', () => {
    const files = readdirSync(RULES_DIR).filter((name) => name.endsWith('.ts') && name !== 'index.ts');
    expect(files.map((name) => name.slice(0, -'.ts'.length)).sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });
});

describe('the detect module', () => {
  const sources = readdirSync(DETECT_DIR, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => [name, readFileSync(join(DETECT_DIR, name), 'utf8')] as const);

  it.each(sources)('%s stays under 300 lines', (_name, text) => {
    expect(text.split('\n').length).toBeLessThanOrEqual(300);
  });

  it.each(sources)('%s imports only the core and node built-ins (no SDK, no vendor HTTP)', (_name, text) => {
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const specifier of specifiers) expect(specifier).toMatch(/^(?:\.{1,2}\/|node:)/);
  });
});
