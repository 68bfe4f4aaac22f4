import { describe, expect, it } from 'vitest';
import {
  gcpSecretKey,
  keyVaultKeyOfUrl,
  sameStoreKey,
  secretsManagerKey,
  ssmKey,
} from '../../../shared/core/registry/credential-stores.js';
import { parseRegistry, RegistryMatcher } from '../../../shared/core/registry/index.js';

describe('credential store keys', () => {
  it('Secrets Manager: name, partial ARN and full ARN (6-character suffix) are one secret', () => {
    const full = secretsManagerKey('arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/bg-AbCdEf');
    const partial = secretsManagerKey('arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/bg');
    const name = secretsManagerKey('prod/bg', '111122223333');
    expect(full).toBe('sm:111122223333:prod/bg');
    expect(partial).toBe(full);
    expect(name).toBe(full);
    expect(sameStoreKey('sm:*:prod/bg', full as string)).toBe(true);
    expect(sameStoreKey('sm:444455556666:prod/bg', full as string)).toBe(false);
    expect(secretsManagerKey('arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:x-123456')).toBe(
      'sm:111122223333:x',
    );
    expect(secretsManagerKey('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('Parameter Store: /path/name and its ARN are one parameter; paths read prefixes', () => {
    expect(ssmKey('/breakglass/root')).toBe('ssm:*:breakglass/root');
    expect(ssmKey('arn:aws:ssm:us-east-1:111122223333:parameter/breakglass/root')).toBe(
      'ssm:111122223333:breakglass/root',
    );
    expect(sameStoreKey('ssm:*:breakglass/root', 'ssm:111122223333:breakglass/**')).toBe(true);
    expect(sameStoreKey('ssm:*:breakglass/root', 'ssm:111122223333:breakglass/*')).toBe(true);
    expect(sameStoreKey('ssm:*:breakglass/deep/root', 'ssm:111122223333:breakglass/*')).toBe(false);
    expect(sameStoreKey('ssm:*:other/root', 'ssm:111122223333:breakglass/**')).toBe(false);
  });

  it('Key Vault and Secret Manager: any version of the secret, vault names case-insensitive', () => {
    expect(keyVaultKeyOfUrl('https://KV-BreakGlass.vault.azure.net/secrets/ea1-password/0123abcd')).toBe(
      'kv:kv-breakglass/ea1-password',
    );
    expect(keyVaultKeyOfUrl('https://kv-breakglass.vault.usgovcloudapi.net/secrets/ea1-password')).toBe(
      'kv:kv-breakglass/ea1-password',
    );
    expect(keyVaultKeyOfUrl('https://kv-breakglass.vault.azure.net/keys/ea1')).toBeUndefined();
    expect(gcpSecretKey('projects/p/secrets/s/versions/latest')).toBe('gsm:projects/p/secrets/s');
  });
});

describe('registry credential section', () => {
  const yaml = (store: string) => `
accounts:
  - id: a
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    credential: { stores: [${store}] }
`;

  it('refuses a store that cannot be matched, naming the entry and the field', () => {
    expect(() => parseRegistry(yaml('{ gcpSecret: "my-secret" }'), 'r.yaml')).toThrow(
      /accounts\[0\] \(id a\) field credential\.stores\.0/,
    );
    expect(() => parseRegistry(yaml('{ keyVault: { vault: "x", secret: "y" } }'), 'r.yaml')).toThrow(/Key Vault name/);
    expect(() => parseRegistry(yaml('{ s3: "bucket" }'), 'r.yaml')).toThrow(/credential/);
  });

  it('accepts a Vault path with mount, namespace and policies', () => {
    const registry = parseRegistry(
      yaml('{ vault: { path: kv/team-a/data/bg, mount: kv/team-a, namespace: admin, policies: [bg-reader] } }'),
      'r.yaml',
    );
    expect(registry.accounts[0]?.credential?.stores).toHaveLength(1);
  });

  it('refuses Vault shapes that cannot be matched, naming the entry and the field', () => {
    const refused: [string, RegExp][] = [
      ['{ vault: { path: breakglass } }', /accounts\[0\] \(id a\) field credential\.stores\.0.*KV path/s],
      ['{ vault: { path: "secret/breakglass/*" } }', /KV path/],
      ['{ vault: { path: /v1/secret/data/bg } }', /no \/v1\/ prefix/],
      ['{ vault: { path: secret/data/bg, mount: kv } }', /path must start with the mount/],
      ['{ vault: { path: secret/bg, policies: ["bad policy"] } }', /Vault policy name/],
      ['{ vault: { path: secret/bg, version: 2 } }', /credential\.stores\.0/],
    ];
    for (const [store, message] of refused) expect(() => parseRegistry(yaml(store), 'r.yaml'), store).toThrow(message);
  });

  it("refuses Vault's default policy as an approved reader (every token carries it)", () => {
    const registry = yaml('{ vault: { path: secret/bg } }').replace(
      'credential: { stores: [{ vault: { path: secret/bg } }] }',
      'credential: { stores: [{ vault: { path: secret/bg } }], approvedReaders: [custodians, default] }',
    );
    expect(() => parseRegistry(registry, 'r.yaml')).toThrow(
      /accounts\[0\] \(id a\) field credential\.approvedReaders\.1: Vault's default policy/,
    );
  });

  it('rotation.secretId counts as a Secrets Manager store of its account', () => {
    const matcher = new RegistryMatcher(
      parseRegistry(
        `accounts:\n  - { id: a, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" }, rotation: { secretId: prod/bg } }\n`,
        'r.yaml',
      ),
    );
    expect(matcher.credentialOwner(['sm:111122223333:prod/bg'])?.account.id).toBe('a');
    expect(matcher.credentialOwner(['sm:111122223333:prod/other'])).toBeUndefined();
  });
});
