import type { Rule } from '../rule.js';
import { accountChange } from './account-change.js';
import { activity } from './activity.js';
import { auditTamper } from './audit-tamper.js';
import { caExclusionChange } from './ca-exclusion-change.js';
import { credentialAccess } from './credential-access.js';
import { credentialStoreChange } from './credential-store-change.js';
import { emergencyGroup } from './emergency-group.js';
import { rootPrivilegedTask } from './root-privileged-task.js';
import { signinAttempt } from './signin-attempt.js';
import { signinFailure } from './signin-failure.js';
import { signinSuccess } from './signin-success.js';
import { signinWeakAuth } from './signin-weak-auth.js';
import { signinWithoutMfa } from './signin-without-mfa.js';
import { signinWithoutOpening } from './signin-without-opening.js';
import { vaultWrapUse } from './vault-wrap-use.js';

/** Every detection rule, explicitly: a rule file not listed here never runs (the conventions test checks). */
export const RULES: readonly Rule[] = [
  signinSuccess,
  signinFailure,
  signinAttempt,
  signinWithoutMfa,
  signinWeakAuth,
  activity,
  accountChange,
  auditTamper,
  rootPrivilegedTask,
  emergencyGroup,
  caExclusionChange,
  credentialAccess,
  credentialStoreChange,
  signinWithoutOpening,
  vaultWrapUse,
];
