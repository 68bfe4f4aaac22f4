/**
 * Error codes a provider writes when a policy refused a call: the call was an attempt, not a failure of
 * the service. A denied break-glass call is still use of the account (and a denied tamper call still an
 * attack): the finding says "denied" and is never dropped. One table, per cloud, with its source.
 */
export const DENIAL_CODES: readonly { code: string; reference: string }[] = [
  // IAM and most AWS services; an SCP or permissions boundary denial reads the same.
  {
    code: 'AccessDenied',
    reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  },
  {
    code: 'AccessDeniedException',
    reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  },
  // Amazon EC2 API error codes.
  {
    code: 'Client.UnauthorizedOperation',
    reference: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html',
  },
  {
    code: 'UnauthorizedOperation',
    reference: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html',
  },
  // Google Cloud audit logs: status.code 7 is PERMISSION_DENIED (the normalizer writes "code 7: …").
  { code: 'code 7', reference: 'https://cloud.google.com/logging/docs/audit/understanding-audit-logs' },
  // Azure Resource Manager: a role or policy refused the call.
  {
    code: 'AuthorizationFailed',
    reference: 'https://learn.microsoft.com/azure/role-based-access-control/troubleshooting',
  },
  {
    code: 'RequestDisallowedByPolicy',
    reference: 'https://learn.microsoft.com/azure/governance/policy/troubleshoot/general',
  },
  // HashiCorp Vault: an ACL refused the request (the normalizer writes "permission denied: <error>").
  { code: 'permission denied', reference: 'https://developer.hashicorp.com/vault/docs/concepts/policies' },
];

const CODES: ReadonlySet<string> = new Set(DENIAL_CODES.map((d) => d.code.toLowerCase()));

/**
 * True when a failure reason (`AccessDenied: …`, or the bare code) is a policy denial. Only the code
 * before the first colon counts: an error message is free text.
 */
export function isDenied(failureReason: string | undefined): boolean {
  if (failureReason === undefined) return false;
  const colon = failureReason.indexOf(':');
  // `Client.UnauthorizedOperation` has no colon; `AccessDenied: User …` has one after the code.
  const code = (colon === -1 ? failureReason : failureReason.slice(0, colon)).trim().toLowerCase();
  return CODES.has(code);
}
