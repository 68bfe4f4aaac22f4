/**
 * The registry entry the Vault tests share: the AWS root whose credential is kept at the KV v2 path of
 * test/fixtures/vault/written-from-docs/audit.log, the custodian's entity id approved.
 */
export const VAULT_ROOT_ACCOUNT = `  - id: aws-prod-root
    cloud: aws
    match: { arn: "arn:aws:iam::111122223333:root" }
    credential:
      stores: [{ vault: { path: secret/data/breakglass/aws-root } }]
      approvedReaders: ["e2853091-6c3c-2200-3ff7-0b664ed70c4d"]`;
