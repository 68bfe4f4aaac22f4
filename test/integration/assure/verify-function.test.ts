import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodeTls from 'node:tls';
import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAssuranceStore } from '../../../shared/adapters/dynamodb/assurance-store.js';
import { cloudLoggingFilter } from '../../../shared/core/ingest/filters/index.js';
import { parseRegistry } from '../../../shared/core/registry/index.js';
import { AWS_TAMPER_EVENTS } from '../../../shared/runtime/aws/sweep-plan.js';
import { ArmMonitorServer } from '../../support/cloud-servers/arm-monitor.js';
import { PubSubServer } from '../../support/cloud-servers/pubsub.js';
import { localCertificate } from '../../support/cloud-servers/tls.js';
import { PagerDutyServer } from '../../support/vendor-servers/pagerduty.js';
import { type LocalStack, lambdaContext, startLocalStack } from '../aws/support/stack.js';
import { CREDENTIALS } from '../responders/harness.js';

/**
 * The scheduled verify as Lambda runs it (functions/assure/verify.ts): the registry from the
 * environment, CloudTrail, EventBridge and Secrets Manager stubbed at the SDK boundary (no local
 * servers exist); the GCP checks with the GCP poller's secret (a workload identity federation config
 * traded at the local STS) against a local Cloud Logging + Pub/Sub, the Azure checks with the Azure
 * poller's secret (a client secret traded at the local Entra token endpoint) against a local ARM over
 * HTTPS; each result stored in the incident table on dynalite, pipeline.misconfigured paged to the
 * PagerDuty contract server once and resolved when fixed.
 */

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail';
const BUS = 'arn:aws:events:us-east-1:111122223333:event-bus/glasswatch-ingest';
const cloudTrail = mockClient(CloudTrailClient);
const SINK = 'organizations/123456789012/sinks/glasswatch';
const TOPIC = 'projects/gw-prod/topics/glasswatch';
const SUB = 'projects/gw-prod/subscriptions/glasswatch-push';
const ENDPOINT = 'https://glasswatch-push-abc123-ew.a.run.app';
const ENTRA = '/providers/microsoft.aadiam/diagnosticSettings/glasswatch';
const ENTRA_CATEGORIES = [
  'AuditLogs',
  'SignInLogs',
  'NonInteractiveUserSignInLogs',
  'ServicePrincipalSignInLogs',
  'ManagedIdentitySignInLogs',
];
const WORKSPACE =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/gw/providers/Microsoft.OperationalInsights/workspaces/gw';
const secretsManager = mockClient(SecretsManagerClient);
/** Node 24's process-wide CA list (newer than the @types/node in use). */
const tls = nodeTls as typeof nodeTls & {
  getCACertificates(kind: 'default'): string[];
  setDefaultCACertificates(certs: string[]): void;
};
const defaultCAs = tls.getCACertificates('default');
let stack: LocalStack;
let pagerDuty: PagerDutyServer;
let google: PubSubServer;
let arm: ArmMonitorServer;
let dir: string;
let verify: Handler;

/** The Entra setting as deployed, or without `drop`'s categories. */
const entraSetting = (drop: string[] = []) =>
  arm.setting(ENTRA, {
    workspaceId: WORKSPACE,
    logs: ENTRA_CATEGORIES.map((category) => ({ category, enabled: !drop.includes(category) })),
  });

beforeAll(async () => {
  pagerDuty = await new PagerDutyServer().start();
  google = await new PubSubServer().start();
  arm = await new ArmMonitorServer().start();
  // The local ARM serves HTTPS with a throwaway certificate: trusted as a CA, never verification off.
  tls.setDefaultCACertificates([...defaultCAs, localCertificate().cert]);
  dir = await mkdtemp(join(tmpdir(), 'gw-verify-fn-'));
  const yaml = `
accounts:
  - { id: aws-root, cloud: aws, match: { arn: "arn:aws:iam::111122223333:root" } }
  - { id: entra-ea, cloud: azure, match: { userPrincipalName: ea@contoso.onmicrosoft.com } }
  - { id: gcp-bg, cloud: gcp, match: { email: breakglass@example.com } }
responders:
  pagerduty: { eventsUrl: "${pagerDuty.eventsUrl}", routingKey: ${CREDENTIALS.routingKey} }
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2000 }
pipeline:
  namePrefix: glasswatch
  aws: { trailArn: "${TRAIL}", forwarderRegions: [us-east-1] }
  gcp: { sink: ${SINK}, topic: ${TOPIC}, subscription: ${SUB}, pushEndpoint: "${ENDPOINT}" }
  azure:
    workspace: ${WORKSPACE}
    diagnosticSettings: [{ id: ${ENTRA}, categories: [SignInLogs] }]
`;
  google.putSink(SINK, `pubsub.googleapis.com/${TOPIC}`, cloudLoggingFilter(parseRegistry(yaml, 'r.yaml')));
  google.createTopic(TOPIC);
  google.createPushSubscription(SUB, TOPIC, ENDPOINT);
  entraSetting();
  // The pollers' secrets as infra/gcp and infra/azure/deploy.sh put them (pointed at the local servers).
  await writeFile(join(dir, 'subject-token'), PubSubServer.SUBJECT);
  secretsManager.on(GetSecretValueCommand, { SecretId: 'glasswatch/gcp-credentials' }).resolves({
    SecretString: JSON.stringify({
      type: 'external_account',
      audience: PubSubServer.AUDIENCE,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: google.tokenUrl,
      credential_source: { file: join(dir, 'subject-token') },
    }),
  });
  const { tenantId, clientId, clientSecret } = arm.entra;
  secretsManager
    .on(GetSecretValueCommand, { SecretId: 'glasswatch/azure-credentials' })
    .resolves({ SecretString: JSON.stringify({ tenantId, clientId, clientSecret }) });
  stack = await startLocalStack(yaml, {
    GLASSWATCH_INGEST_BUS_ARN: BUS,
    GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: 'glasswatch/gcp-credentials',
    GLASSWATCH_GCP_LOGGING_URL: google.url,
    GLASSWATCH_GCP_PUBSUB_URL: google.pubsubUrl,
    GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF: 'glasswatch/azure-credentials',
    GLASSWATCH_AZURE_ARM_URL: arm.url,
    GLASSWATCH_AZURE_AUTHORITY_HOST: arm.url,
  });
  await stack.useFreshTables();
  cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
  cloudTrail
    .on(GetEventSelectorsCommand)
    .resolves({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
  cloudTrail.on(GetTrailCommand).resolves({ Trail: { IsMultiRegionTrail: true, IsOrganizationTrail: true } });
  const pattern = JSON.stringify({
    detail: { eventSource: Object.keys(AWS_TAMPER_EVENTS), eventName: Object.values(AWS_TAMPER_EVENTS).flat() },
  });
  stack.eventBridge.on(ListRulesCommand).resolves({
    Rules: [
      { Name: 'glasswatch-H-ForwardRule-1', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
      { Name: 'glasswatch-H-TamperForwardRule-2', State: 'ENABLED', EventPattern: pattern },
    ],
  });
  stack.eventBridge.on(ListTargetsByRuleCommand).resolves({ Targets: [{ Id: 'bus', Arn: BUS }] });
  ({ handler: verify } = (await import('../../../functions/assure/verify.js')) as unknown as { handler: Handler });
});
afterAll(async () => {
  cloudTrail.restore();
  secretsManager.restore();
  tls.setDefaultCACertificates(defaultCAs);
  for (const name of [
    'GLASSWATCH_GCP_CREDENTIALS_SECRET_REF',
    'GLASSWATCH_GCP_LOGGING_URL',
    'GLASSWATCH_GCP_PUBSUB_URL',
    'GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF',
    'GLASSWATCH_AZURE_ARM_URL',
    'GLASSWATCH_AZURE_AUTHORITY_HOST',
  ])
    delete process.env[name];
  await stack?.close();
  await pagerDuty?.close();
  await google?.close();
  await arm?.close();
  await rm(dir, { recursive: true, force: true });
});

const triggers = () =>
  pagerDuty.received
    .map((r) => r.body as { event_action?: string; payload?: { summary?: string } })
    .filter((b) => b.event_action === 'trigger');

const stored = async () =>
  (await new DynamoAssuranceStore(stack.dynamo.client, stack.tableName).listChecks()).map(
    (c) => `${c.status} ${c.key}: ${c.detail}`,
  );

describe('verify function', () => {
  it('stores every check’s result, pages the failing setting once and resolves it when fixed', async () => {
    expect(await verify({}, lambdaContext())).toEqual({ opened: 1, resolved: 0, undelivered: 0 });
    expect(await stored()).toEqual([
      'fail aws.trail.logging: IsLogging is false (StopLogging)',
      'pass aws.trail.delivery: as deployed',
      'pass aws.trail.selectors: as deployed',
      'pass aws.trail.multi-region: as deployed',
      'pass aws.trail.organization: as deployed',
      'pass aws.rules.global-region: as deployed',
      'pass aws.rules.present#us-east-1: as deployed',
      'pass aws.rule#us-east-1#glasswatch-H-ForwardRule-1: as deployed',
      'pass aws.rule#us-east-1#glasswatch-H-TamperForwardRule-2: as deployed',
      'unchecked aws.bucket.notification: pipeline.aws.trailBucket and pipeline.namePrefix not both in the registry',
      'pass gcp.sink.enabled: as deployed',
      'pass gcp.sink.filter: as deployed',
      'pass gcp.sink.destination: as deployed',
      'pass gcp.pubsub.topic: as deployed',
      'pass gcp.pubsub.subscription: as deployed',
      `pass azure.setting#${ENTRA}: as deployed`,
      `pass azure.setting.categories#${ENTRA}: as deployed`,
      `pass azure.setting.destination#${ENTRA}: as deployed`,
    ]);
    expect(triggers().map((t) => t.payload?.summary)).toEqual([
      expect.stringMatching(/trail is logging: IsLogging is false/),
    ]);
    expect(await verify({}, lambdaContext())).toEqual({ opened: 0, resolved: 0, undelivered: 0 });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    expect(await verify({}, lambdaContext())).toEqual({ opened: 0, resolved: 1, undelivered: 0 });
    expect((await stored())[0]).toBe('pass aws.trail.logging: as deployed');
    expect(triggers()).toHaveLength(1);
    // Read with the pollers' credentials: a token from each cloud's token endpoint, then the reads.
    expect(google.received.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /v1/token', `GET /v2/${SINK}`, `GET /v1/${TOPIC}`, `GET /v1/${SUB}`]),
    );
    expect(arm.received.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        `POST /${arm.entra.tenantId}/oauth2/v2.0/token`,
        'GET /providers/microsoft.aadiam/diagnosticSettings',
      ]),
    );
  });

  it('pages a broken Azure diagnostic setting once and resolves it when fixed', async () => {
    entraSetting(['SignInLogs']);
    expect(await verify({}, lambdaContext())).toEqual({ opened: 1, resolved: 0, undelivered: 0 });
    expect(await stored()).toContain(`fail azure.setting.categories#${ENTRA}: not enabled: SignInLogs`);
    expect(triggers().map((t) => t.payload?.summary)).toEqual([
      expect.stringMatching(/trail is logging/),
      expect.stringMatching(/sends the needed log categories: not enabled: SignInLogs/),
    ]);
    expect(await verify({}, lambdaContext())).toEqual({ opened: 0, resolved: 0, undelivered: 0 });
    entraSetting();
    expect(await verify({}, lambdaContext())).toEqual({ opened: 0, resolved: 1, undelivered: 0 });
    expect(triggers()).toHaveLength(2);
  });

  it('fails, never passes, a read the poller’s principal may not make (ARM 403, Google 403)', async () => {
    arm.deny('/providers/microsoft.aadiam');
    google.denySink(SINK);
    expect(await verify({}, lambdaContext())).toEqual({ opened: 2, resolved: 0, undelivered: 0 });
    const failed = (await stored()).filter((line) => line.startsWith('fail'));
    expect(failed).toEqual([
      `fail gcp.sink: could not read: Cloud Logging GET ${SINK}: HTTP 403 PERMISSION_DENIED: The caller does not have permission`,
      expect.stringMatching(
        new RegExp(
          `^fail azure\\.setting#${ENTRA}: could not read: ARM GET /providers/microsoft\\.aadiam/diagnosticSettings: HTTP 403 AuthorizationFailed: `,
        ),
      ),
    ]);
  });
});
