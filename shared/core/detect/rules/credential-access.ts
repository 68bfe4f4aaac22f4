import { describeStore } from '../../registry/credential-stores.js';
import { credentialActionOf } from '../credential-actions.js';
import { APPROVAL_WORDS, approvalOf, judgeReader } from '../credential-readers.js';
import { DOCS } from '../references.js';
import type { Rule } from '../rule.js';
import { wrappedRead } from '../vault-wrapping.js';

/**
 * Someone read a break-glass credential from the store the registry names: the envelope was opened.
 * The finding belongs to the account that owns the credential, not to the reader, so the opening and
 * the sign-in that follows are one incident. Reads by the declared rotation principals are the
 * rotation itself, not an opening.
 */
export const credentialAccess: Rule = {
  id: 'credential-access',
  kind: 'credential.access',
  title: 'Break-glass credential read from its store',
  description:
    'A GetSecretValue / BatchGetSecretValue (AWS Secrets Manager), GetParameter(s) with decryption ' +
    '(Parameter Store), SecretGet / SecretBackup (Azure Key Vault), AccessSecretVersion (Google Secret ' +
    'Manager) or a read of the KV path (HashiCorp Vault audit device, v1 or v2) on a store the registry names for ' +
    'a break-glass account. Denied reads count: an attempt to ' +
    "open the envelope is news. A reader on the account's approvedReaders list, or any read inside a drill window " +
    'the registry declares for the account, is a break-glass opening ' +
    '(high); anyone else reading it is critical, "outside the approval path"; without a list every read is ' +
    'high and the page says the approval path is not declared. A Vault read answered with a response-wrapping ' +
    'token (a control group holding it, or response wrapping) is high, "opened through a Vault control group / ' +
    'response wrapping": its unwrap is the disclosure (vault-wrap-use).',
  severity: 'high',
  runbook: [
    'Ask the reader (named in the page) for the emergency or change this opening belongs to; an opening nobody claims means the credential is in unknown hands: rotate it now.',
    'Follow the incident: a sign-in of the account should follow within minutes; an opening with no use is still rotated.',
    'If the reader is not on the approval path, find how they obtained read access to the store (resource policy, IAM, Key Vault access policy or RBAC, Secret Manager IAM, the Vault policies the audit entry lists) and remove it.',
  ],
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html',
    'https://learn.microsoft.com/azure/key-vault/general/logging',
    'https://cloud.google.com/secret-manager/docs/audit-logging',
    'https://developer.hashicorp.com/vault/docs/audit',
    DOCS.entraEmergencyAccess,
  ],
  falsePositives: [
    'A declared drill that reads the credential.',
    'An approved custodian checking that the credential is still readable (still an opening: confirm and close).',
  ],
  needsBreakGlass: false,
  evaluate(event, ctx) {
    if (!ctx.registry.watchesCredentials) return undefined;
    const call = credentialActionOf(event);
    if (call?.kind !== 'read') return undefined;
    const owner = ctx.registry.credentialOwner(call.keys(event));
    if (!owner) return undefined;
    const verdict = judgeReader(owner.account, event.actor);
    if (verdict === 'rotation') return undefined;
    const store = describeStore(owner.key);
    const wrap = wrappedRead(event);
    // Approval evidence beyond the list: Vault returned a wrapping token, not the secret (the unwrap
    // discloses it: correlate/wrapped-openings.ts), or the read falls in a drill window the registry declares.
    const drill = verdict !== 'approved' && ctx.registry.drillAt(owner.account.id, event.timeMs) !== undefined;
    const approval = wrap && verdict !== 'approved' ? 'held' : drill ? 'drill' : approvalOf(verdict);
    return {
      account: owner.account,
      severity: approval === 'outside' ? 'critical' : 'high',
      detail: `${APPROVAL_WORDS[approval]}${wrap && approval === 'approved' ? ', response wrapped' : ''}; ${store}`,
      // The accessor is a log string: a note (sanitized where rendered), never the registry-only detail.
      ...(wrap
        ? {
            note: `opened through a Vault control group / response wrapping, accessor ${wrap.accessor ?? 'not recorded'}`,
          }
        : {}),
      opening: { store, approval },
      ...(wrap ? { wrap: { ...wrap, store, readerApproved: verdict === 'approved' } } : {}),
    };
  },
};
