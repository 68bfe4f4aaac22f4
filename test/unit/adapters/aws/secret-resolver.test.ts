import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsSecretResolver } from '../../../../shared/adapters/aws/secret-resolver.js';
import { SsmStub } from '../../../support/vendor-servers/ssm-stub.js';

/**
 * Secrets Manager is stubbed at SDK level; SSM is answered at the SDK transport with the documented
 * GetParameter JSON (no local server exists for either).
 */
const secretsManager = mockClient(SecretsManagerClient);
let ssm: SsmStub;
afterAll(() => {
  secretsManager.restore();
});
beforeEach(() => {
  secretsManager.reset();
  ssm = new SsmStub();
});

function resolver(now = () => 0) {
  return new AwsSecretResolver({
    secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
    ssm: ssm.client,
    ttlMs: 1000,
    now,
  });
}

describe('AwsSecretResolver', () => {
  it('reads a whole secret, a field of a JSON secret, and a SecureString parameter with decryption', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'glasswatch/chat' })
      .resolves({ SecretString: 'https://hooks.example.com/x' });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: 'glasswatch/jira' })
      .resolves({ SecretString: '{"apiToken":"t0k3n","email":"a@b.c"}' });
    ssm.put('/glasswatch/opsgenie', 'k3y');
    const secrets = resolver();
    expect(await secrets.resolve({ secretsManager: 'glasswatch/chat' })).toBe('https://hooks.example.com/x');
    expect(await secrets.resolve({ secretsManager: 'glasswatch/jira', jsonKey: 'apiToken' })).toBe('t0k3n');
    expect(await secrets.resolve({ ssm: '/glasswatch/opsgenie' })).toBe('k3y');
    // Decryption asked for: without it a SecureString read returns the ciphertext.
    expect(ssm.requests.map((r) => [r.target, r.body])).toEqual([
      ['AmazonSSM.GetParameter', { Name: '/glasswatch/opsgenie', WithDecryption: true }],
    ]);
  });

  it('refuses environment variables: on Lambda they are readable with the function configuration', async () => {
    await expect(resolver().resolve({ env: 'GLASSWATCH_JIRA_API_TOKEN' })).rejects.toThrow(
      'environment variable GLASSWATCH_JIRA_API_TOKEN: environment variables are not used for credentials on AWS',
    );
  });

  it('caches a value for its TTL, then reads it again (rotation is picked up)', async () => {
    let now = 0;
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'old' }).resolves({ SecretString: 'new' });
    const secrets = resolver(() => now);
    expect(await secrets.resolve({ secretsManager: 's' })).toBe('old');
    now = 999;
    expect(await secrets.resolve({ secretsManager: 's' })).toBe('old');
    now = 1000;
    expect(await secrets.resolve({ secretsManager: 's' })).toBe('new');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('names where the secret should be and the AWS error, never a value, and does not cache the failure', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(
        Object.assign(new Error('Secrets Manager can’t find the specified secret.'), {
          name: 'ResourceNotFoundException',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ SecretString: '{"other":"x"}' });
    const secrets = resolver();
    await expect(secrets.resolve({ secretsManager: 'glasswatch/pd', jsonKey: 'routingKey' })).rejects.toThrow(
      'Secrets Manager secret glasswatch/pd (key routingKey): Secrets Manager GetSecretValue: ResourceNotFoundException (HTTP 400)',
    );
    await expect(secrets.resolve({ secretsManager: 'glasswatch/pd', jsonKey: 'routingKey' })).rejects.toThrow(
      'the secret has no non-empty string field "routingKey"',
    );
    await expect(secrets.resolve({ ssm: '/glasswatch/missing' })).rejects.toThrow(
      'SSM parameter /glasswatch/missing: SSM GetParameter: ParameterNotFound (HTTP 400)',
    );
    ssm.failures.push({ status: 400, type: 'ThrottlingException' });
    await expect(secrets.resolve({ ssm: '/glasswatch/missing' })).rejects.toThrow(/ThrottlingException \(HTTP 400\)/);
    ssm.put('/glasswatch/missing', 'now-there');
    expect(await secrets.resolve({ ssm: '/glasswatch/missing' })).toBe('now-there'); // failures are not cached
  });
});
