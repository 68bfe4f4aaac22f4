import { RotateSecretCommand, type RotateSecretCommandOutput } from '@aws-sdk/client-secrets-manager';
import type { Action } from '../../core/act/actions.js';
import type { DeliveryContext, OutputDriver } from '../../core/act/driver.js';
import { excerpt } from '../../core/act/render/sanitize.js';
import type { AttemptResult } from '../../core/act/retry-policy.js';
import { failedAttempt, sdkError } from '../scheduler/aws-attempt.js';

/**
 * Secrets Manager `RotateSecret` on the break-glass secret: starts the rotation configured on the
 * secret (a rotation Lambda or managed rotation) at once. The ClientRequestToken comes from the
 * incident, so a retry after a lost answer does not create a second version. A secret without rotation
 * configured answers InvalidRequestException: a permanent failure that says what to configure.
 */

export interface SecretRotator {
  send(command: RotateSecretCommand, options?: { abortSignal?: AbortSignal }): Promise<RotateSecretCommandOutput>;
}

export interface SecretRotationDeps {
  /** The client for a secret's Region (from its ARN; undefined: the configured or default Region). */
  clientFor: (region: string | undefined) => SecretRotator;
  timeoutMs: number;
}

/** Secrets Manager's answer while a rotation is running: the rotation is under way, which is what we asked. */
const ROTATION_RUNNING = /previous rotation isn'?t complete|rotation (?:is )?(?:already )?in progress/i;

/** `arn:aws:secretsmanager:eu-west-1:…` → `eu-west-1`; a plain name has no Region. */
export function secretRegion(secretId: string): string | undefined {
  return secretId.startsWith('arn:') ? secretId.split(':')[3] || undefined : undefined;
}

export function createSecretRotationDriver(deps: SecretRotationDeps): OutputDriver {
  return {
    async deliver(action: Action, _context: DeliveryContext): Promise<AttemptResult> {
      if (action.kind !== 'secret.rotate') {
        return { ok: false, retryable: false, error: `secretsmanager cannot ${action.kind}` };
      }
      const { secretId, requestToken } = action;
      try {
        const output = await deps
          .clientFor(secretRegion(secretId))
          .send(
            new RotateSecretCommand({ SecretId: secretId, ClientRequestToken: requestToken, RotateImmediately: true }),
            { abortSignal: AbortSignal.timeout(deps.timeoutMs) },
          );
        return {
          ok: true,
          ref: {
            secretId,
            ...(output.ARN ? { secretArn: output.ARN } : {}),
            ...(output.VersionId ? { versionId: output.VersionId } : {}),
          },
        };
      } catch (error) {
        const e = sdkError(error);
        if (e.name === 'InvalidRequestException' && ROTATION_RUNNING.test(e.message)) {
          return { ok: true, ref: { secretId, how: 'rotation already running' } };
        }
        if (e.name === 'InvalidRequestException') {
          return {
            ok: false,
            retryable: false,
            ...(e.status !== undefined ? { status: e.status } : {}),
            error: `secretsmanager${e.status ? ` ${e.status}` : ''}: RotateSecret ${excerpt(secretId, [], 120)} refused (${excerpt(e.message, [], 200)}): configure rotation on the secret (a rotation Lambda or managed rotation), then re-drive`,
          };
        }
        return failedAttempt('secretsmanager', error, `RotateSecret ${excerpt(secretId, [], 120)}`);
      }
    },
  };
}
