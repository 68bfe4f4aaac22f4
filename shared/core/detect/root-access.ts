import type { ActionTable } from './action-table.js';

/**
 * AWS centralized root access (Organizations, November 2024), as data: what each task policy of
 * `sts:AssumeRoot` is for, and which calls bring root credentials back or weaken the feature. The
 * root-privileged-task rule, the account-change rule, the page, the sweeper and the EventBridge
 * forwarding rule all read these tables; tests check every derived artefact covers every entry.
 */

const PRIVILEGED_TASK_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html';
const MANAGED_POLICIES_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html';

/** One task policy (`arn:aws:iam::aws:policy/root-task/<name>`): its purpose and the calls it allows. */
export interface TaskPolicy {
  purpose: string;
  /** CloudTrail eventSource → eventNames the policy allows. */
  actions: Readonly<Record<string, readonly string[]>>;
  reference: string;
}

/** Allowed to every session whatever its policy: STS documents that it needs no permission. */
const ALWAYS_ALLOWED: Readonly<Record<string, readonly string[]>> = { 'sts.amazonaws.com': ['GetCallerIdentity'] };

/**
 * The five task policies AWS offers (IAM User Guide, "Perform a privileged task on an AWS Organizations
 * member account", and the AWS managed policies for IAM). A call outside its session's policy is flagged
 * on the page: AWS denies it, and someone tried it anyway.
 */
export const TASK_POLICIES = {
  IAMAuditRootUserCredentials: {
    purpose: 'review the root user credentials of a member account',
    actions: {
      'iam.amazonaws.com': [
        'GetAccountSummary',
        'GetLoginProfile',
        'GetUser',
        'ListAccessKeys',
        'GetAccessKeyLastUsed',
        'ListMFADevices',
        'ListSigningCertificates',
      ],
    },
    reference: MANAGED_POLICIES_DOC,
  },
  IAMCreateRootUserPassword: {
    purpose: 'allow password recovery: create a root login profile',
    actions: { 'iam.amazonaws.com': ['CreateLoginProfile', 'GetLoginProfile', 'GetUser'] },
    reference: MANAGED_POLICIES_DOC,
  },
  IAMDeleteRootUserCredentials: {
    purpose: 'delete the root user credentials (password, access keys, signing certificates, MFA devices)',
    actions: {
      'iam.amazonaws.com': [
        'DeleteLoginProfile',
        'DeleteAccessKey',
        'DeleteSigningCertificate',
        'DeactivateMFADevice',
        'GetLoginProfile',
        'GetUser',
        'ListAccessKeys',
        'ListMFADevices',
        'ListSigningCertificates',
      ],
    },
    reference: MANAGED_POLICIES_DOC,
  },
  S3UnlockBucketPolicy: {
    purpose: 'remove a bucket policy that denies every principal',
    actions: { 's3.amazonaws.com': ['DeleteBucketPolicy', 'GetBucketPolicy', 'PutBucketPolicy', 'ListAllMyBuckets'] },
    reference: MANAGED_POLICIES_DOC,
  },
  SQSUnlockQueuePolicy: {
    purpose: 'remove a queue policy that denies every principal',
    actions: { 'sqs.amazonaws.com': ['GetQueueAttributes', 'SetQueueAttributes', 'ListQueues'] },
    reference: MANAGED_POLICIES_DOC,
  },
} as const satisfies Record<string, TaskPolicy>;

export type TaskPolicyName = keyof typeof TASK_POLICIES;

export const TASK_POLICY_NAMES = Object.keys(TASK_POLICIES) as TaskPolicyName[];

/**
 * Whether a session under `policy` may make this call: true or false for a known policy, undefined
 * when the policy is unknown (a new AWS task policy, or a record that did not name it): never guessed.
 */
export function allowedByTaskPolicy(policy: string | undefined, service: string, action: string): boolean | undefined {
  if (policy === undefined || !Object.hasOwn(TASK_POLICIES, policy)) return undefined;
  const actions = TASK_POLICIES[policy as TaskPolicyName].actions as Readonly<Record<string, readonly string[]>>;
  const source = service.toLowerCase();
  return [actions, ALWAYS_ALLOWED].some((table) => Object.hasOwn(table, source) && table[source]?.includes(action));
}

/**
 * Root credentials coming back, or the centralized-root-access feature weakened: `account.change` on
 * the root entry. `CreateLoginProfile` in a root session and the root password recovery
 * (`signin.amazonaws.com`) are changes the root user makes to itself, in the account-change rule's
 * self-or-target table; the organization-wide switches below name no target, so the account-change
 * rule attributes them to the root entry of the account they were called in.
 */
export const ROOT_ACCESS_CHANGES: ActionTable = {
  aws: [
    {
      service: 'iam.amazonaws.com',
      actions: [
        'EnableOrganizationsRootCredentialsManagement',
        'DisableOrganizationsRootCredentialsManagement',
        'EnableOrganizationsRootSessions',
        'DisableOrganizationsRootSessions',
      ],
      reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html',
    },
    {
      // Only with `requestParameters.servicePrincipal: iam.amazonaws.com` (see isRootAccessChange).
      service: 'organizations.amazonaws.com',
      actions: ['RegisterDelegatedAdministrator'],
      reference:
        'https://docs.aws.amazon.com/organizations/latest/APIReference/API_RegisterDelegatedAdministrator.html',
    },
  ],
};

/** The root password recovery events (`signin.amazonaws.com`), the root resetting its own password. */
export const ROOT_PASSWORD_RECOVERY: ActionTable = {
  aws: [
    {
      service: 'signin.amazonaws.com',
      actions: ['PasswordRecoveryRequested', 'PasswordRecoveryCompleted'],
      reference:
        'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html',
    },
  ],
};

export const ROOT_TASK_REFERENCES = [
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html',
  PRIVILEGED_TASK_DOC,
] as const;
