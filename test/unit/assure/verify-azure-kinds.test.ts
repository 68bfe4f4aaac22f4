import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DIAGNOSTIC_SETTING_KINDS,
  neededCategories,
  settingScope,
} from '../../../shared/core/registry/azure-diagnostic-settings.js';

/**
 * The table of what each kind of diagnostic setting must send, against what is derived from it or must
 * agree with it: the deployment templates (infra/azure/*.bicep deploy every category verify asks for),
 * the README's verify rows, and the kind each documented id shape falls in.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const bicepCategories = (path: string) =>
  [...(/var categories = \[([^\]]*)\]/.exec(read(path))?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);

const SUB = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
const IDS = {
  'Entra ID (tenant)': '/providers/microsoft.aadiam/diagnosticSettings/glasswatch',
  'subscription Activity log': `${SUB}/providers/Microsoft.Insights/diagnosticSettings/glasswatch`,
  'Key Vault': `${SUB}/resourceGroups/bg/providers/Microsoft.KeyVault/vaults/v/providers/microsoft.insights/diagnosticSettings/audit`,
};

describe('DIAGNOSTIC_SETTING_KINDS', () => {
  it('classifies each documented id shape into exactly its kind, with a documentation page', () => {
    for (const kind of DIAGNOSTIC_SETTING_KINDS) {
      const id = IDS[kind.kind];
      expect(DIAGNOSTIC_SETTING_KINDS.filter((k) => k.id.test(id)).map((k) => k.kind)).toEqual([kind.kind]);
      expect(kind.doc).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
    expect(settingScope(IDS['Entra ID (tenant)'])).toEqual({
      scope: '/providers/microsoft.aadiam',
      name: 'glasswatch',
    });
    expect(settingScope(IDS['Key Vault'])?.scope).toBe(
      `${SUB}/resourceGroups/bg/providers/Microsoft.KeyVault/vaults/v`,
    );
    expect(settingScope(`${SUB}/providers/Microsoft.Insights/alertRules/x`)).toBeUndefined();
  });

  it('asks for no category the deployment templates do not deploy', () => {
    const deployed = {
      'Entra ID (tenant)': bicepCategories('infra/azure/entra-diagnostics.bicep'),
      'subscription Activity log': bicepCategories('infra/azure/subscription-diagnostics.bicep'),
    } as Record<string, string[]>;
    for (const kind of DIAGNOSTIC_SETTING_KINDS.filter((k) => k.kind in deployed))
      expect(deployed[kind.kind], kind.kind).toEqual(expect.arrayContaining([...kind.categories]));
  });

  it('is listed in the README’s verify rows, category by category', () => {
    const readme = read('README.md');
    const verify = readme.slice(readme.indexOf('**Verify (the plumbing read back).**'));
    for (const kind of DIAGNOSTIC_SETTING_KINDS)
      for (const category of kind.categories) expect(verify, `${kind.kind} ${category}`).toContain(`\`${category}\``);
  });

  it('adds the registry’s own categories to the kind’s, without repeating one in another casing', () => {
    expect(neededCategories(IDS['subscription Activity log'], ['administrative', 'Alert']).categories).toEqual([
      'Administrative',
      'Security',
      'Policy',
      'Alert',
    ]);
    expect(
      neededCategories(
        `${SUB}/resourceGroups/r/providers/Microsoft.Sql/servers/s/providers/microsoft.insights/diagnosticSettings/d`,
        ['SQLSecurityAuditEvents'],
      ),
    ).toEqual({
      categories: ['SQLSecurityAuditEvents'],
      groups: ['allLogs'],
    });
  });
});
