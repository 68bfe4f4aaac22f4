import { describeStore } from '../../registry/credential-stores.js';
import { credentialActionOf } from '../credential-actions.js';
import { judgeReader } from '../credential-readers.js';
import type { Rule } from '../rule.js';

/**
 * The store of a break-glass credential changed: the secret deleted or scheduled for deletion, its
 * resource policy, key or value changed, its rotation cancelled, a new version written outside the
 * rotation. A change to the envelope is a change to the account.
 */
export const credentialStoreChange: Rule = {
  id: 'credential-store-change',
  kind: 'account.change',
  title: 'Break-glass credential store changed',
  description:
    'A call that deletes, re-keys, re-permissions or overwrites the secret the registry names as where a ' +
    'break-glass credential is kept (Secrets Manager DeleteSecret, PutResourcePolicy, UpdateSecret, ' +
    'PutSecretValue, CancelRotateSecret…; Parameter Store DeleteParameter(s), PutParameter; Key Vault ' +
    'SecretSet/SecretDelete/SecretPurge; Secret Manager DeleteSecret, SetIamPolicy, AddSecretVersion, ' +
    'Disable/DestroySecretVersion; HashiCorp Vault writes, deletes, destroys and metadata changes of the KV path, ' +
    'and writes or deletes of the ACL policies the store names, whose content the audit log HMACs). Writes by ' +
    'the declared rotation principals are the rotation itself.',
  severity: 'high',
  runbook: [
    'Confirm the change with the credential custodians; a new value written outside the rotation means the vault no longer holds the working credential.',
    'Restore the policy, key or secret (Secrets Manager RestoreSecret within the recovery window; Key Vault soft-delete recovery; Vault KV v2 undelete, or the policy from version control) and check who can read it now.',
  ],
  references: [
    'https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html',
    'https://learn.microsoft.com/azure/key-vault/general/logging',
    'https://cloud.google.com/secret-manager/docs/audit-logging',
    'https://developer.hashicorp.com/vault/docs/audit',
  ],
  falsePositives: ['A planned rotation or re-keying by a principal not declared in rotationReaders.'],
  needsBreakGlass: false,
  evaluate(event, ctx) {
    if (!ctx.registry.watchesCredentials) return undefined;
    const call = credentialActionOf(event);
    if (call?.kind !== 'change') return undefined;
    const owner = ctx.registry.credentialOwner(call.keys(event));
    if (!owner || judgeReader(owner.account, event.actor) === 'rotation') return undefined;
    return { account: owner.account, detail: describeStore(owner.key) };
  },
};
