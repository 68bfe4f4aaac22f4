import type { SecretRef } from './config-schema.js';
import { SecretUnavailableError } from './errors.js';

/**
 * How a credential reference becomes a value at run time. Locally: environment variables. On AWS: a
 * resolver over Secrets Manager and SSM (an adapter). Values are never logged, reported or stored.
 */
export interface SecretResolver {
  resolve(ref: SecretRef): Promise<string>;
}

/** "environment variable GLASSWATCH_JIRA_API_TOKEN" — names where a secret lives, never its value. */
export function describeSecretRef(ref: SecretRef): string {
  if ('env' in ref) return `environment variable ${ref.env}`;
  if ('ssm' in ref) return `SSM parameter ${ref.ssm}`;
  return `Secrets Manager secret ${ref.secretsManager}${ref.jsonKey ? ` (key ${ref.jsonKey})` : ''}`;
}

/**
 * Resolves `{ env }` references from the given environment (pass `process.env` at the composition root).
 * Secrets Manager and SSM references need the AWS resolver; here they fail naming what is missing.
 */
export class EnvSecretResolver implements SecretResolver {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async resolve(ref: SecretRef): Promise<string> {
    if (!('env' in ref)) throw new SecretUnavailableError(describeSecretRef(ref), 'no AWS secret resolver configured');
    const value = this.env[ref.env];
    if (value === undefined || value === '') throw new SecretUnavailableError(describeSecretRef(ref), 'not set');
    return value;
  }
}
