/**
 * The Azure diagnostic settings the Azure path reads from, as one table: `glasswatch verify` checks a
 * deployed setting against it and the tamper rule judges a rewritten setting by it, so both always
 * agree on what a setting must send.
 */

import { sameText } from '../text.js';

/**
 * What each kind of setting must send for the Azure path: knowledge about the clouds, with the page
 * that lists the categories. `groups` are category groups that include every needed category.
 */
export const DIAGNOSTIC_SETTING_KINDS = [
  {
    kind: 'Entra ID (tenant)',
    id: /^\/providers\/microsoft\.aadiam\/diagnosticsettings\/[^/]+$/i,
    categories: [
      'AuditLogs',
      'SignInLogs',
      'NonInteractiveUserSignInLogs',
      'ServicePrincipalSignInLogs',
      'ManagedIdentitySignInLogs',
    ],
    groups: [],
    doc: 'https://learn.microsoft.com/entra/identity/monitoring-health/howto-configure-diagnostic-settings',
  },
  {
    kind: 'subscription Activity log',
    id: /^\/subscriptions\/[^/]+\/providers\/microsoft\.insights\/diagnosticsettings\/[^/]+$/i,
    categories: ['Administrative', 'Security', 'Policy'],
    groups: [],
    doc: 'https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema',
  },
  {
    kind: 'Key Vault',
    id: /\/providers\/microsoft\.keyvault\/vaults\/[^/]+\/providers\/microsoft\.insights\/diagnosticsettings\/[^/]+$/i,
    categories: ['AuditEvent'],
    groups: ['audit', 'allLogs'],
    doc: 'https://learn.microsoft.com/azure/key-vault/general/logging',
  },
] as const;

const SETTINGS_SEGMENT = /\/providers\/microsoft\.(insights|aadiam)\/diagnosticsettings\/([^/]+)$/i;

/** Where a setting id's list is read, and the setting's name. */
export function settingScope(id: string): { scope: string; name: string } | undefined {
  const match = SETTINGS_SEGMENT.exec(id);
  if (!match?.[2]) return undefined;
  const scope = id.slice(0, match.index);
  return { scope: match[1]?.toLowerCase() === 'aadiam' ? '/providers/microsoft.aadiam' : scope, name: match[2] };
}

/** The table's categories for this setting's kind plus the registry's, and the groups that cover them. */
export function neededCategories(id: string, declared: readonly string[]): { categories: string[]; groups: string[] } {
  const kind = DIAGNOSTIC_SETTING_KINDS.find((k) => k.id.test(id));
  const categories: string[] = [...(kind?.categories ?? [])];
  for (const c of declared) if (!categories.some((k) => sameText(k, c))) categories.push(c);
  return { categories, groups: [...(kind?.groups ?? ['allLogs'])] };
}
