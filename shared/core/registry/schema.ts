import { z } from 'zod';
import { respondersSchema } from '../act/config-schema.js';
import { TASK_POLICY_NAMES, type TaskPolicyName } from '../detect/root-access.js';
import { GUID } from '../text.js';
import { credentialSchema } from './credential-schema.js';
import { pipelineSchema } from './pipeline.js';

/**
 * The break-glass registry: which accounts are watched, who owns them, when drills happen and which
 * responders are told. Every object is strict: an unknown key is a typo until proven otherwise, and a
 * typo in the one file that says which accounts are emergency accounts must not pass silently.
 */

const isoInstant = z.iso.datetime({ offset: true });

const awsMatch = z
  .object({
    arn: z.string().min(1).optional(),
    userName: z.string().min(1).optional(),
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
  })
  .strict()
  .refine((m) => (m.arn !== undefined) !== (m.userName !== undefined), {
    message: 'aws match needs exactly one of arn or userName (userName may add accountId)',
  })
  .refine((m) => !(m.arn !== undefined && m.accountId !== undefined), {
    message: 'accountId goes with userName; an arn already names its account',
    path: ['accountId'],
  });

const gcpMatch = z.object({ email: z.email() }).strict();

const azureMatch = z
  .object({
    userPrincipalName: z.string().min(3).optional(),
    // Entra object ids are GUIDs without RFC 4122 version bits in general: any 8-4-4-4-12 hex.
    objectId: z.string().regex(GUID, 'a GUID, 8-4-4-4-12 hex digits').optional(),
  })
  .strict()
  .refine((m) => m.userPrincipalName !== undefined || m.objectId !== undefined, {
    message: 'azure match needs userPrincipalName or objectId',
  });

const entraGroupId = z.string().regex(GUID, 'a GUID, 8-4-4-4-12 hex digits');

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'letters, digits, dot, dash, underscore; at most 64'),
  description: z.string().max(500).optional(),
  /** Who reviews incidents of this account and receives the review invite. */
  owners: z.array(z.email()).default([]),
  /**
   * The authentication strength every sign-in of this account must prove: `phishing-resistant` (passkey,
   * FIDO2, Windows Hello, certificate) or `mfa`. A sign-in provably weaker is `signin.weak-auth`.
   */
  requiredAuth: z.enum(['phishing-resistant', 'mfa']).optional(),
  /** Minutes without events after which a session ends. Overrides defaults.sessionGapMinutes. */
  sessionGapMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  rotation: z
    .object({
      /** Longest age of the credential before compliance flags it. */
      maxAgeDays: z.number().int().min(1).max(366).default(30),
      /** AWS: Secrets Manager secret holding the break-glass credential, rotated after use. */
      secretId: z.string().min(1).optional(),
    })
    .strict()
    .optional(),
  /** Where the credential is kept and who may open it (issue: reading it is a break-glass event). */
  credential: credentialSchema.optional(),
};

/**
 * Who may open privileged root sessions (`sts:AssumeRoot`) on a root entry, and for which task policies.
 * Without it every session is `high`; with it a declared caller under a declared policy is `medium`
 * and anything else `critical`.
 */
const privilegedTasks = z
  .object({
    /** ARNs of the calling principal (IAM user, role, or role session), `*` wildcards allowed. */
    allowedCallers: z.array(z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::/, 'an IAM or STS ARN')).min(1),
    taskPolicies: z
      .array(
        z.enum(TASK_POLICY_NAMES as [TaskPolicyName, ...TaskPolicyName[]], {
          error: `one of ${TASK_POLICY_NAMES.join(', ')}`,
        }),
      )
      .min(1),
  })
  .strict();

export const accountSchema = z.discriminatedUnion('cloud', [
  z
    .object({ ...common, cloud: z.literal('aws'), match: awsMatch, privilegedTasks: privilegedTasks.optional() })
    .strict()
    .refine((a) => a.privilegedTasks === undefined || a.match.arn?.endsWith(':root') === true, {
      message: 'only a root entry (match.arn ending in :root) receives privileged root sessions',
      path: ['privilegedTasks'],
    }),
  z.object({ ...common, cloud: z.literal('gcp'), match: gcpMatch }).strict(),
  z
    .object({
      ...common,
      cloud: z.literal('azure'),
      match: azureMatch,
      /**
       * Object ids of the Conditional Access exclusion groups that hold this emergency account (Microsoft's
       * emergency-access guidance): whoever else joins one skips Conditional Access (MFA) like it.
       */
      caExclusionGroups: z.array(entraGroupId).optional(),
    })
    .strict(),
]);

/**
 * A group that holds emergency rights and is kept empty until an emergency ("empty emergency group":
 * Entra and Google groups, IAM Identity Center emergency access). Any member added is a break-glass
 * event; a removal is a change to it. `groupId`: Entra object id or Identity Center group id;
 * `groupEmail`: the Google group.
 */
export const groupSchema = z.discriminatedUnion('cloud', [
  z
    .object({ ...groupCommon(), cloud: z.literal('azure'), match: z.object({ groupId: entraGroupId }).strict() })
    .strict(),
  z
    .object({
      ...groupCommon(),
      cloud: z.literal('aws'),
      match: z
        .object({
          groupId: z
            .string()
            .regex(
              /^([0-9a-f]{10}-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
              'an Identity Center group id',
            ),
          identityStoreId: z
            .string()
            .regex(/^d-[0-9a-f]{10}$/, 'an identity store id (d-…)')
            .optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ ...groupCommon(), cloud: z.literal('gcp'), match: z.object({ groupEmail: z.email() }).strict() }).strict(),
]);

function groupCommon() {
  return {
    id: common.id,
    description: common.description,
    owners: common.owners,
    sessionGapMinutes: common.sessionGapMinutes,
  };
}

export const drillWindowSchema = z
  .object({ account: z.string().min(1), start: isoInstant, end: isoInstant })
  .strict()
  .refine((d) => Date.parse(d.start) < Date.parse(d.end), { message: 'start must be before end', path: ['end'] });

export const defaultsSchema = z
  .object({
    sessionGapMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
  })
  .strict();

export const registrySchema = z
  .object({
    version: z.literal(1).optional(),
    defaults: defaultsSchema.default({ sessionGapMinutes: 60 }),
    accounts: z.array(accountSchema).min(1, 'at least one break-glass account'),
    drills: z.array(drillWindowSchema).default([]),
    /** Emergency groups (kept empty): see {@link groupSchema}. */
    groups: z.array(groupSchema).default([]),
    /** Responder configuration; its schema belongs to the act stage. */
    responders: respondersSchema.optional(),
    /** Names of Glasswatch's own delivery path (see pipeline.ts). */
    pipeline: pipelineSchema.optional(),
  })
  .strict();

export type RegistryInput = z.input<typeof registrySchema>;
export type Registry = z.output<typeof registrySchema>;
export type BreakGlassAccount = z.output<typeof accountSchema>;
export type DrillWindow = z.output<typeof drillWindowSchema>;
export type BreakGlassGroup = z.output<typeof groupSchema>;
