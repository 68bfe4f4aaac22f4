import { neededCategories, settingScope } from '../../registry/azure-diagnostic-settings.js';
import type { Pipeline } from '../../registry/pipeline.js';
import { sameText } from '../../text.js';
import { type CheckResult, couldNotRead, fail, pass, unchecked } from './result.js';

/**
 * The Azure path read back: each diagnostic setting the registry declares exists, carries the log
 * categories its kind of resource must send (the table below, plus the registry's own list), and sends
 * to the workspace and the Event Hub the registry names. Read with ARM's diagnostic-settings list on the
 * resource (`{resourceUri}/providers/Microsoft.Insights/diagnosticSettings`, api-version
 * 2021-05-01-preview) or the tenant's Entra list (`/providers/microsoft.aadiam/diagnosticSettings`,
 * api-version 2017-04-01): https://learn.microsoft.com/rest/api/monitor/diagnostic-settings/list
 */
export interface DiagnosticSettingView {
  id: string;
  name: string;
  logs: { category?: string; categoryGroup?: string; enabled: boolean }[];
  workspaceId?: string;
  eventHubAuthorizationRuleId?: string;
  eventHubName?: string;
}

export interface AzurePlumbing {
  /**
   * The settings on `scope`: a resource id (`/subscriptions/s` for the Activity log, a Key Vault's id)
   * or `/providers/microsoft.aadiam` for the tenant's Entra settings. Undefined when the resource does
   * not exist (ARM 404).
   */
  diagnosticSettings(scope: string): Promise<DiagnosticSettingView[] | undefined>;
}

function missingCategories(setting: DiagnosticSettingView, needed: ReturnType<typeof neededCategories>): string[] {
  const enabled = setting.logs.filter((l) => l.enabled);
  if (enabled.some((l) => needed.groups.some((g) => sameText(l.categoryGroup, g)))) return [];
  return needed.categories.filter((c) => !enabled.some((l) => sameText(l.category, c)));
}

/** What the setting does not send where the registry says, or undefined when it does. */
function destinationProblem(setting: DiagnosticSettingView, azure: NonNullable<Pipeline['azure']>): string | undefined {
  const problems: string[] = [];
  if (azure.workspace && !sameText(setting.workspaceId, azure.workspace))
    problems.push(setting.workspaceId ? `sends to workspace ${setting.workspaceId}` : 'sends to no workspace');
  if (azure.eventHub) {
    const hub = azure.eventHub.split('/').pop();
    const namespace = azure.eventHubNamespace ?? azure.eventHub.replace(/\/eventhubs\/[^/]+$/i, '');
    const rule = setting.eventHubAuthorizationRuleId?.toLowerCase() ?? '';
    if (!rule.startsWith(`${namespace.toLowerCase()}/authorizationrules/`) || !sameText(setting.eventHubName, hub))
      problems.push(
        setting.eventHubAuthorizationRuleId
          ? `sends to event hub ${setting.eventHubName ?? '(one per category)'} via ${setting.eventHubAuthorizationRuleId}`
          : 'sends to no event hub',
      );
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

function checkSetting(
  declared: { id: string; categories: string[] },
  listed: DiagnosticSettingView[] | undefined,
  azure: NonNullable<Pipeline['azure']>,
): CheckResult[] {
  const { id } = declared;
  const name = settingScope(id)?.name;
  const exists = `diagnostic setting ${id} exists`;
  if (listed === undefined) return [fail('azure', `azure.setting#${id}`, exists, 'its resource does not exist')];
  const setting = listed.find((s) => sameText(s.name, name));
  if (!setting) {
    const others = listed.map((s) => s.name).join(', ');
    return [fail('azure', `azure.setting#${id}`, exists, `does not exist (the resource has ${others || 'none'})`)];
  }
  const missing = missingCategories(setting, neededCategories(id, declared.categories));
  const categories = `diagnostic setting ${id} sends the needed log categories`;
  const destination = `diagnostic setting ${id} sends to the registry’s workspace and event hub`;
  const problem = destinationProblem(setting, azure);
  return [
    pass('azure', `azure.setting#${id}`, exists),
    missing.length === 0
      ? pass('azure', `azure.setting.categories#${id}`, categories)
      : fail('azure', `azure.setting.categories#${id}`, categories, `not enabled: ${missing.join(', ')}`),
    !azure.workspace && !azure.eventHub
      ? unchecked(
          'azure',
          `azure.setting.destination#${id}`,
          destination,
          'pipeline.azure.workspace and pipeline.azure.eventHub not in the registry',
        )
      : problem
        ? fail('azure', `azure.setting.destination#${id}`, destination, problem)
        : pass('azure', `azure.setting.destination#${id}`, destination),
  ];
}

const SETTINGS = 'diagnostic settings of the Azure path, with their categories and destination';

/**
 * Every declared setting, each resource's list read once; a list that fails fails its settings.
 * `missing`: why this run has no Azure client.
 */
export async function verifyAzure(
  azure: AzurePlumbing | undefined,
  pipeline: Pipeline | undefined,
  missing = 'no Azure credentials in this run',
) {
  const config = pipeline?.azure;
  const declared = config?.diagnosticSettings ?? [];
  if (!config || declared.length === 0)
    return [unchecked('azure', 'azure.settings', SETTINGS, 'pipeline.azure.diagnosticSettings not in the registry')];
  if (!azure) return [unchecked('azure', 'azure.settings', SETTINGS, missing)];
  const lists = new Map<string, Promise<DiagnosticSettingView[] | undefined>>();
  const results: CheckResult[] = [];
  for (const setting of declared) {
    const scope = settingScope(setting.id)?.scope;
    const key = `azure.setting#${setting.id}`;
    if (scope === undefined) {
      results.push(fail('azure', key, `diagnostic setting ${setting.id} exists`, 'not a diagnostic-settings id'));
      continue;
    }
    const list = lists.get(scope.toLowerCase()) ?? azure.diagnosticSettings(scope);
    lists.set(scope.toLowerCase(), list);
    try {
      results.push(...checkSetting(setting, await list, config));
    } catch (error) {
      const detail = couldNotRead(error);
      results.push(fail('azure', key, `diagnostic setting ${setting.id} exists`, detail));
    }
  }
  return results;
}
