import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AzureCredentialsError, azureCredentialFrom } from '../../../shared/adapters/azure/credentials.js';
import {
  awsCredentialsFromGoogle,
  GoogleIdentityError,
  metadataIdToken,
} from '../../../shared/adapters/gcp/aws-web-identity.js';
import { GoogleCredentialsError, googleCredentialsFrom } from '../../../shared/adapters/gcp/credentials.js';
import { GceMetadataServer, jwtClaims } from '../../support/cloud-servers/gce-metadata.js';

/** Credentials read from secrets, and the keyless GCP → AWS exchange against a local metadata server and STS. */

const TENANT = '2ad3fc79-1859-42fa-9011-6f8df2251b22';
const CLIENT = '366ba2ff-20ac-470b-a7a0-2491b3908fd1';

describe('Azure app credentials from a secret', () => {
  it('builds a client-secret or a certificate credential', () => {
    expect(
      azureCredentialFrom(
        JSON.stringify({ tenantId: TENANT, clientId: CLIENT, clientSecret: 's3cr3t-value' }),
        'gw/azure',
      ),
    ).toBeInstanceOf(ClientSecretCredential);
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(
      azureCredentialFrom(JSON.stringify({ tenantId: TENANT, clientId: CLIENT, certificatePem: pem }), 'gw/azure'),
    ).toBeInstanceOf(ClientCertificateCredential);
  });

  it('names the secret and the fields, never the values', () => {
    const text = JSON.stringify({ tenantId: 'not-a-guid', clientId: CLIENT, clientSecret: 's3cr3t-value', extra: 'x' });
    expect(() => azureCredentialFrom(text, 'gw/azure')).toThrow(AzureCredentialsError);
    try {
      azureCredentialFrom(text, 'gw/azure');
    } catch (error) {
      expect((error as Error).message).toContain('secret gw/azure');
      expect((error as Error).message).not.toContain('s3cr3t-value');
    }
    expect(() => azureCredentialFrom('s3cr3t-value', 'gw/azure')).toThrow(/secret gw\/azure: .*not JSON$/);
  });
});

describe('Google credentials from a secret', () => {
  it('accepts a workload identity federation config and a service-account key', () => {
    const wif = {
      type: 'external_account',
      audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/aws/providers/glasswatch',
      subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
      token_url: 'https://sts.googleapis.com/v1/token',
      credential_source: {
        environment_id: 'aws1',
        regional_cred_verification_url: 'https://sts.{region}.amazonaws.com',
      },
    };
    expect(googleCredentialsFrom(JSON.stringify(wif), 'gw/gcp').type).toBe('external_account');
    const key = { type: 'service_account', client_email: 'reader@p.iam.gserviceaccount.com', private_key: 'PRIVATE' };
    expect(googleCredentialsFrom(JSON.stringify(key), 'gw/gcp').type).toBe('service_account');
  });

  it('refuses anything else without echoing it', () => {
    const text = JSON.stringify({ type: 'authorized_user', refresh_token: 'r3fresh' });
    expect(() => googleCredentialsFrom(text, 'gw/gcp')).toThrow(GoogleCredentialsError);
    expect(() => googleCredentialsFrom(text, 'gw/gcp')).not.toThrow(/r3fresh/);
  });
});

describe('AWS credentials from the function’s Google identity', () => {
  let sts: Server;
  let stsUrl: string;
  const calls: URLSearchParams[] = [];
  let metadata: GceMetadataServer;
  beforeEach(async () => {
    metadata = await new GceMetadataServer().start();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await metadata.close();
  });
  beforeAll(async () => {
    sts = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        calls.push(new URLSearchParams(body));
        res.setHeader('content-type', 'text/xml');
        res.end(`<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>
      <SessionToken>session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>`);
      });
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    stsUrl = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => sts.close(() => resolve())));

  it('asks the metadata server GCE_METADATA_HOST names for an ID token with the audience', async () => {
    vi.stubEnv('GCE_METADATA_HOST', metadata.host);
    const token = await metadataIdToken('glasswatch-aws');
    expect(token).toBe(metadata.issued.at(-1));
    expect(jwtClaims(token)).toMatchObject({ aud: 'glasswatch-aws', sub: metadata.subject });
    const [request] = metadata.received;
    expect(request?.path).toBe('/computeMetadata/v1/instance/service-accounts/default/identity');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ audience: 'glasswatch-aws', format: 'full' });
    expect(request?.status).toBe(200);
  });

  it('a metadata server that answers no JWT or an error is a GoogleIdentityError naming it', async () => {
    vi.stubEnv('GCE_METADATA_HOST', metadata.host);
    metadata.answerHtml = true;
    await expect(metadataIdToken('glasswatch-aws')).rejects.toThrow(
      /metadata server http:\/\/127\.0\.0\.1:\d+\/.*not a JWT/,
    );
    await expect(metadataIdToken('')).rejects.toThrow(GoogleIdentityError);
    expect(metadata.received.at(-1)?.status).toBe(400);
    metadata.fail({ kind: 'reset' });
    await expect(metadataIdToken('glasswatch-aws')).rejects.toThrow(/unreachable/);
  });

  it('exchanges the metadata server’s token for a session of the trusted role with AssumeRoleWithWebIdentity', async () => {
    vi.stubEnv('GCE_METADATA_HOST', metadata.host);
    const provider = awsCredentialsFromGoogle({
      roleArn: 'arn:aws:iam::111122223333:role/glasswatch-gcp-function',
      audience: 'glasswatch-aws',
      region: 'eu-west-1',
      stsEndpoint: stsUrl,
    });
    const credentials = await provider();
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'session',
    });
    expect(calls.at(-1)?.get('Action')).toBe('AssumeRoleWithWebIdentity');
    expect(calls.at(-1)?.get('RoleArn')).toBe('arn:aws:iam::111122223333:role/glasswatch-gcp-function');
    const sent = calls.at(-1)?.get('WebIdentityToken') ?? '';
    expect(sent).toBe(metadata.issued.at(-1));
    expect(jwtClaims(sent)).toMatchObject({ aud: 'glasswatch-aws', sub: metadata.subject });
    expect(calls.at(-1)?.get('RoleSessionName')).toBe('glasswatch-gcp-function');
  });
});
