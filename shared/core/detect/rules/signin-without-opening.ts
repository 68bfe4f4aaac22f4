import type { Rule } from '../rule.js';

/**
 * A break-glass account whose credential store is declared signed in. The rule names every such
 * sign-in as a candidate; whether the store was opened in the `credential.openingWindowHours` before it
 * needs history, so the correlate stage keeps the finding only when the incident store holds no
 * opening of that account's store in the window (correlate/openings.ts).
 */
export const signinWithoutOpening: Rule = {
  id: 'signin-without-opening',
  kind: 'signin.without-opening',
  title: 'Break-glass sign-in without opening the vault',
  description:
    'A break-glass account signed in and no read of the credential from the store the registry names ' +
    '(credential.stores, rotation.secretId) was seen in the credential.openingWindowHours (default 12) ' +
    'before it: the credential exists outside the vault (written down, cached, copied), so the approval ' +
    'path the vault enforces was bypassed.',
  severity: 'high',
  runbook: [
    'Ask the person signed in where the credential came from; a copy outside the vault must be destroyed.',
    'Check that the store audit logs reach Glasswatch (a Key Vault diagnostic setting, Secret Manager Data Access logs): a missing log looks the same as a bypassed vault.',
    'Rotate the credential after the session, so the only working copy is the one in the vault.',
  ],
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html',
    'https://learn.microsoft.com/azure/key-vault/general/logging',
    'https://cloud.google.com/secret-manager/docs/audit-logging',
  ],
  falsePositives: [
    'The store read arrived after the sign-in was judged (store logs delivered later than sign-in logs).',
    'The store read happened more than openingWindowHours before the sign-in.',
    'The store audit logs are not delivered to Glasswatch.',
  ],
  needsBreakGlass: true,
  evaluate(event, ctx) {
    if (event.category !== 'authentication' || event.outcome !== 'success' || !ctx.actorAccount) return undefined;
    if (event.rootSession !== undefined) return undefined;
    if (ctx.registry.openingWindowMs(ctx.actorAccount.id) === undefined) return undefined;
    return { account: ctx.actorAccount };
  },
};
