import { ruleContext } from '../../../shared/core/detect/engine.js';
import type { RuleContext } from '../../../shared/core/detect/rule.js';
import type { Actor, AuditEvent } from '../../../shared/core/model/audit-event.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';

/** A registry with one break-glass account per way of matching, and the principals that are them. */
export const matcher = new RegistryMatcher(
  parseRegistry(
    `
accounts:
  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
  - id: aws-breakglass-user
    cloud: aws
    match: { userName: breakglass, accountId: "111122223333" }
  - id: gcp-super-admin
    cloud: gcp
    match: { email: emergency-admin@example.com }
  - id: entra-emergency
    cloud: azure
    match: { userPrincipalName: bg-admin@contoso.com, objectId: 8f2a7c51-3b4e-4d6a-9c1e-2b7d5e0f9a13 }
`,
    'test/unit/detect/break-glass.ts',
  ),
);

export const AWS_ROOT: Actor = {
  type: 'Root',
  display: 'root',
  arn: 'arn:aws:iam::111122223333:root',
  accountId: '111122223333',
};
export const AWS_BREAKGLASS_USER: Actor = {
  type: 'IAMUser',
  display: 'breakglass',
  arn: 'arn:aws:iam::111122223333:user/breakglass',
  userName: 'breakglass',
  accountId: '111122223333',
};
export const AWS_ADMIN: Actor = {
  type: 'IAMUser',
  display: 'ops-admin',
  arn: 'arn:aws:iam::111122223333:user/ops-admin',
  userName: 'ops-admin',
  accountId: '111122223333',
};
export const GCP_SUPER_ADMIN: Actor = {
  type: 'user',
  display: 'Emergency-Admin@example.com',
  email: 'Emergency-Admin@example.com',
};
export const GCP_ADMIN: Actor = { type: 'user', display: 'it-admin@example.com', email: 'it-admin@example.com' };
export const ENTRA_EMERGENCY: Actor = { type: 'User', display: 'BG Admin', upn: 'bg-admin@contoso.com' };
export const ENTRA_ADMIN: Actor = { type: 'User', display: 'Helpdesk', upn: 'helpdesk@contoso.com' };

/** The context the engine would compute for this event. */
export function contextFor(event: AuditEvent): RuleContext {
  return ruleContext(event, matcher);
}
