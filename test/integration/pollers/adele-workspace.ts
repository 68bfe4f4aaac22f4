import { readFixtureJsonl } from '../../support/fixtures.js';

/**
 * The Log Analytics rows both Azure poller tests read (Azure Sentinel training lab: Adele Vance signs
 * in from 175.45.176.99, then deletes Key Vaults and resource groups) and the registry in which Adele
 * plays the emergency-access account. Each sign-in is ingested 3 minutes after it happened.
 */
export const SIGN_INS = readFixtureJsonl<Record<string, unknown>>(
  'azure/sentinel-training-lab/sign-in_adelete.la-json.jsonl',
);
export const ACTIVITY = readFixtureJsonl<Record<string, unknown>>(
  'azure/sentinel-training-lab/azureActivity_adele.la-json.jsonl',
);
export const ACCOUNTS = [
  { id: 'entra-ea1', cloud: 'azure' as const, match: { userPrincipalName: 'adelev@m365x816222.onmicrosoft.com' } },
];
export const WORKSPACE = '7c759f10-811c-4db8-ad6d-f07d8ae3f8ea';
export const MIN = 60_000;
export const LAST_SIGN_IN_INGESTED = Math.max(...SIGN_INS.map((r) => Date.parse(String(r.CreatedDateTime)) + 3 * MIN));
