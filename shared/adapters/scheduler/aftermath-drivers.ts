import { IAMClient } from '@aws-sdk/client-iam';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { OutputName } from '../../core/act/actions.js';
import type { RespondersConfig } from '../../core/act/config-schema.js';
import type { OutputDriver } from '../../core/act/driver.js';
import { createAccessKeyDriver, type IamKeyClient } from '../rotation/access-keys.js';
import { createSecretRotationDriver, type SecretRotator } from '../rotation/secret-rotation.js';
import { createSchedulerDriver, type ScheduleSender } from './schedule-api.js';

/**
 * The AWS drivers of the aftermath: EventBridge Scheduler (`scheduler`), Secrets Manager
 * (`secretsmanager`) and IAM (`iam`), each only when configured. Jira, ServiceNow and the outbox handle
 * their aftermath actions in their own drivers (from `createDrivers`). Merge both tables:
 *
 * @example
 * const drivers = { ...createDrivers(config, { secrets }), ...createAftermathDrivers(config) };
 */
export interface AftermathDriverDeps {
  schedulerClient?: ScheduleSender;
  /** Secrets Manager client per Region (undefined: `rotation.aws.region`, else the SDK's default). */
  secretsClientFor?: (region: string | undefined) => SecretRotator;
  iamClient?: IamKeyClient;
  /** Break-glass IAM user names of the registry: the only users whose keys the IAM driver touches. */
  iamUsers?: readonly string[];
  now?: () => number;
}

export function createAftermathDrivers(
  config: RespondersConfig | undefined,
  deps: AftermathDriverDeps = {},
): Partial<Record<OutputName, OutputDriver>> {
  const drivers: Partial<Record<OutputName, OutputDriver>> = {};
  if (!config) return drivers;
  const timeoutMs = config.retry.timeoutMs;
  // maxAttempts 1: Glasswatch's retry policy and ledger are the only retries at work.
  if (config.scheduler) {
    const region = config.scheduler.targetArn.split(':')[3];
    drivers.scheduler = createSchedulerDriver(config.scheduler, {
      client: deps.schedulerClient ?? new SchedulerClient({ ...(region ? { region } : {}), maxAttempts: 1 }),
      timeoutMs,
      now: deps.now ?? Date.now,
    });
  }
  const aws = config.rotation.aws;
  if (aws) {
    const clients = new Map<string, SecretRotator>();
    const secretsClientFor =
      deps.secretsClientFor ??
      ((region: string | undefined) => {
        const chosen = region ?? aws.region ?? '';
        let client = clients.get(chosen);
        if (!client) {
          client = new SecretsManagerClient({ ...(chosen ? { region: chosen } : {}), maxAttempts: 1 });
          clients.set(chosen, client);
        }
        return client;
      });
    drivers.secretsmanager = createSecretRotationDriver({ clientFor: secretsClientFor, timeoutMs });
    drivers.iam = createAccessKeyDriver({
      client: deps.iamClient ?? new IAMClient({ maxAttempts: 1 }),
      timeoutMs,
      ...(deps.iamUsers ? { allowedUsers: new Set(deps.iamUsers) } : {}),
    });
  }
  return drivers;
}
