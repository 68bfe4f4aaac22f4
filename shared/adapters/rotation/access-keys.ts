import {
  type AccessKeyMetadata,
  ListAccessKeysCommand,
  type ListAccessKeysCommandOutput,
  UpdateAccessKeyCommand,
  type UpdateAccessKeyCommandOutput,
} from '@aws-sdk/client-iam';
import type { Action } from '../../core/act/actions.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { failedAttempt, sdkError } from '../scheduler/aws-attempt.js';

/**
 * IAM: access keys created during the break-glass session are set Inactive (not deleted: the review
 * decides, and an Inactive key can be re-enabled if it turns out to be needed). The incident does not
 * keep CreateAccessKey's key id today, so each user's keys are listed and those created within the
 * session window are deactivated (and any key id the incident does name). Every step is idempotent: a retry lists again and skips
 * keys already Inactive; a user deleted meanwhile (NoSuchEntity) has no key left to deactivate.
 */

export interface IamKeyClient {
  send(command: ListAccessKeysCommand, options?: { abortSignal?: AbortSignal }): Promise<ListAccessKeysCommandOutput>;
  send(command: UpdateAccessKeyCommand, options?: { abortSignal?: AbortSignal }): Promise<UpdateAccessKeyCommandOutput>;
}

export interface AccessKeyDeps {
  client: IamKeyClient;
  timeoutMs: number;
  /**
   * The registry's break-glass IAM users, the only users whose keys may be touched (the template
   * scopes the role to the same names). A session that created keys for another user is left to the
   * review: the rotation task names it, and the ref says `notTouched`.
   */
  allowedUsers?: ReadonlySet<string>;
}

/** Users have at most two keys; a page bound guards against a broken paginator. */
const MAX_PAGES = 20;

export function createAccessKeyDriver(deps: AccessKeyDeps): OutputDriver {
  const options = () => ({ abortSignal: AbortSignal.timeout(deps.timeoutMs) });

  async function listKeys(userName: string): Promise<AccessKeyMetadata[] | 'no such user'> {
    const keys: AccessKeyMetadata[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      try {
        const output = await deps.client.send(
          new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }),
          options(),
        );
        keys.push(...(output.AccessKeyMetadata ?? []));
        if (!output.IsTruncated || !output.Marker) break;
        marker = output.Marker;
      } catch (error) {
        if (sdkError(error).name === 'NoSuchEntityException' || sdkError(error).name === 'NoSuchEntity') {
          return 'no such user';
        }
        throw error;
      }
    }
    return keys;
  }

  return {
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'keys.deactivate') return { ok: false, retryable: false, error: `iam cannot ${action.kind}` };
      const from = Date.parse(action.cleanup.from);
      const to = Date.parse(action.cleanup.to);
      const deactivated: string[] = [];
      const gone: string[] = [];
      const notTouched: string[] = [];
      let step = 'ListAccessKeys';
      try {
        for (const userName of action.cleanup.users) {
          if (deps.allowedUsers && !deps.allowedUsers.has(userName)) {
            notTouched.push(userName);
            continue;
          }
          step = `ListAccessKeys ${userName}`;
          const keys = await listKeys(userName);
          if (keys === 'no such user') {
            gone.push(userName);
            continue;
          }
          for (const key of keys) {
            const created = key.CreateDate?.getTime();
            if (!key.AccessKeyId || key.Status !== 'Active') continue;
            const named = action.cleanup.keyIds.includes(key.AccessKeyId);
            if (!named && (created === undefined || created < from || created > to)) continue;
            step = `UpdateAccessKey ${userName} ${key.AccessKeyId}`;
            try {
              await deps.client.send(
                new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId, Status: 'Inactive' }),
                options(),
              );
              deactivated.push(key.AccessKeyId);
            } catch (error) {
              const name = sdkError(error).name;
              if (name !== 'NoSuchEntityException' && name !== 'NoSuchEntity') throw error;
            }
          }
        }
      } catch (error) {
        return failedAttempt('iam', error, step);
      }
      return {
        ok: true,
        ref: {
          users: action.cleanup.users.join(','),
          deactivated: deactivated.join(',') || 'none',
          ...(gone.length > 0 ? { usersGone: gone.join(',') } : {}),
          ...(notTouched.length > 0 ? { notTouched: notTouched.join(',') } : {}),
        },
      };
    },
  };
}
