import { describe, expect, it } from 'vitest';
import { SecretUnavailableError } from '../../../shared/core/act/errors.js';
import { describeSecretRef, EnvSecretResolver } from '../../../shared/core/act/secrets.js';

describe('secrets', () => {
  it('reads environment references', async () => {
    await expect(
      new EnvSecretResolver({ GLASSWATCH_JIRA_API_TOKEN: 't0k3n' }).resolve({ env: 'GLASSWATCH_JIRA_API_TOKEN' }),
    ).resolves.toBe('t0k3n');
  });

  it('names the missing variable, never a value', async () => {
    const resolver = new EnvSecretResolver({ OTHER: 'secret-value' });
    await expect(resolver.resolve({ env: 'GLASSWATCH_JIRA_API_TOKEN' })).rejects.toThrow(
      new SecretUnavailableError('environment variable GLASSWATCH_JIRA_API_TOKEN', 'not set'),
    );
    await expect(resolver.resolve({ env: 'OTHER_EMPTY' })).rejects.toThrow(/OTHER_EMPTY: not set/);
  });

  it('says an AWS reference needs the AWS resolver', async () => {
    await expect(
      new EnvSecretResolver({}).resolve({ secretsManager: 'glasswatch/jira', jsonKey: 'token' }),
    ).rejects.toThrow('Secrets Manager secret glasswatch/jira (key token): no AWS secret resolver configured');
    expect(describeSecretRef({ ssm: '/glasswatch/pd' })).toBe('SSM parameter /glasswatch/pd');
  });
});
