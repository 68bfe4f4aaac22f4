import type { Rule } from '../rule.js';
import { wrapUse } from '../vault-wrapping.js';

/**
 * A HashiCorp Vault control-group authorization or unwrap. Alone the record names only an HMAC'd token
 * or accessor, not the secret: the rule names every one as a candidate, and the correlate stage keeps it
 * only when the incident store holds the wrapped read of a break-glass secret with that token or
 * accessor (correlate/wrapped-openings.ts), moving it onto that account's incident. The approver is the
 * authorization's caller; the unwrap is the disclosure, critical when nothing authorized a read by
 * someone outside the approval path.
 */
export const vaultWrapUse: Rule = {
  id: 'vault-wrap-use',
  kind: 'credential.access',
  title: 'Vault wrapped break-glass credential',
  description:
    'A sys/control-group/authorize (the approver, by the wrapping token accessor) or sys/wrapping/unwrap (the ' +
    'disclosure, by the wrapping token) in the HashiCorp Vault audit log, joined to the wrapped read of a ' +
    'break-glass secret by the HMAC the audit device wrote for the token or accessor. The incident timeline ' +
    'names the approver and the unwrap; an unwrap of a read by a reader outside the approval path with no ' +
    'authorization recorded is critical, "unwrapped without a recorded authorization".',
  severity: 'high',
  runbook: [
    'Check the approver named in the timeline is a custodian entitled to authorize the opening, and ask them for the emergency it belongs to.',
    'An unwrap without a recorded authorization: check the control group on the path (vault policy read) and the audit device settings (hmac_accessor), then rotate the credential.',
  ],
  references: [
    'https://developer.hashicorp.com/vault/docs/enterprise/control-groups',
    'https://developer.hashicorp.com/vault/docs/concepts/response-wrapping',
    'https://developer.hashicorp.com/vault/api-docs/system/control-group',
    'https://developer.hashicorp.com/vault/api-docs/system/wrapping-unwrap',
  ],
  falsePositives: [
    'An authorization whose accessor the audit device wrote in plain text for the read (hmac_accessor=false) but HMAC’d in the request: not joined, so not reported (the unwrap still is).',
  ],
  needsBreakGlass: false,
  evaluate(event, ctx) {
    if (!ctx.registry.watchesCredentials) return undefined;
    const wrap = wrapUse(event);
    return wrap ? { account: null, wrap } : undefined;
  },
};
