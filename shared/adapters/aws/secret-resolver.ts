import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { SecretRef } from '../../core/act/config-schema.js';
import { SecretUnavailableError } from '../../core/act/errors.js';
import { describeSecretRef, type SecretResolver } from '../../core/act/secrets.js';
import { describeAwsError } from './errors.js';

/**
 * Vendor credentials on AWS: Secrets Manager secrets and SSM SecureString parameters, read at run time
 * and kept in memory for `ttlMs` so a rotated secret is picked up without a deployment. References to
 * environment variables are refused: on Lambda a credential in the environment is readable by anyone
 * who can read the function's configuration.
 */
export interface AwsSecretResolverOptions {
  secretsManager: Pick<SecretsManagerClient, 'send'>;
  ssm: Pick<SSMClient, 'send'>;
  /** 5 minutes: a rotation is seen within one warm container's few minutes, at one read per secret. */
  ttlMs?: number;
  now?: () => number;
}

export class AwsSecretResolver implements SecretResolver {
  private readonly cache = new Map<string, { value: Promise<string>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AwsSecretResolverOptions) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The secret's value. Throws SecretUnavailableError naming where it should be and the AWS error.
   *
   * @example
   * const token = await resolver.resolve({ secretsManager: 'glasswatch/jira', jsonKey: 'apiToken' });
   */
  async resolve(ref: SecretRef): Promise<string> {
    const where = describeSecretRef(ref);
    if ('env' in ref) {
      throw new SecretUnavailableError(
        where,
        'environment variables are not used for credentials on AWS; store it in Secrets Manager or SSM',
      );
    }
    const cacheKey = JSON.stringify(ref);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const value = ('ssm' in ref ? this.readParameter(ref.ssm, where) : this.readSecret(ref, where)).catch(
      (error: unknown) => {
        this.cache.delete(cacheKey); // a failure is not remembered: the next call tries again
        throw error;
      },
    );
    this.cache.set(cacheKey, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  private async readSecret(ref: Extract<SecretRef, { secretsManager: string }>, where: string): Promise<string> {
    let text: string | undefined;
    try {
      const output = await this.options.secretsManager.send(
        new GetSecretValueCommand({ SecretId: ref.secretsManager }),
      );
      text = output.SecretString;
    } catch (error) {
      throw new SecretUnavailableError(where, `Secrets Manager GetSecretValue: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    if (text === undefined || text === '') throw new SecretUnavailableError(where, 'the secret has no SecretString');
    if (!ref.jsonKey) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SecretUnavailableError(where, 'jsonKey given but the secret is not a JSON object');
    }
    const field =
      parsed !== null && typeof parsed === 'object' && Object.hasOwn(parsed, ref.jsonKey)
        ? (parsed as Record<string, unknown>)[ref.jsonKey]
        : undefined;
    if (typeof field !== 'string' || field === '')
      throw new SecretUnavailableError(where, `the secret has no non-empty string field "${ref.jsonKey}"`);
    return field;
  }

  private async readParameter(name: string, where: string): Promise<string> {
    let value: string | undefined;
    try {
      const output = await this.options.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      value = output.Parameter?.Value;
    } catch (error) {
      throw new SecretUnavailableError(where, `SSM GetParameter: ${describeAwsError(error)}`, { cause: error });
    }
    if (value === undefined || value === '') throw new SecretUnavailableError(where, 'the parameter has no value');
    return value;
  }
}
