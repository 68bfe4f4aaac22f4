import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../adapters/aws/eventbridge-publisher.js';
import { DynamoPublicationLedger } from '../../adapters/aws/publication-ledger.js';
import { DynamoIncidentRepository } from '../../adapters/dynamodb/incident-repository.js';
import { awsCredentialsFromGoogle } from '../../adapters/gcp/aws-web-identity.js';
import { Correlator } from '../../core/correlate/correlator.js';
import { readSettings } from '../aws/config.js';
import { IncidentPublication } from '../aws/publication.js';
import { loadBundledRegistry } from '../aws/registry.js';
import { readPollerSettings } from './config.js';
import { PushProcessor } from './push.js';

/** The AWS clients the function uses; tests pass dynalite and a mocked EventBridge. */
export interface GcpFunctionClients {
  dynamo: DynamoDBClient;
  eventBridge: EventBridgeClient;
}

/**
 * The composition root of the GCP push function. It runs the same core as every other path and keeps
 * responders and the incident store single: incidents are correlated in the one DynamoDB table and
 * changes published on the one incident bus with the same publication ledger (so the AWS-side
 * reconciler also repairs a publish the function lost), over AWS's IAM-authenticated HTTPS APIs, with a
 * one-hour session obtained from the function's Google identity: no AWS key is stored in GCP.
 *
 * Environment: GLASSWATCH_TABLE, GLASSWATCH_INCIDENT_BUS, GLASSWATCH_REGISTRY_PATH (registry.json
 * shipped beside the code), GLASSWATCH_AWS_REGION, GLASSWATCH_AWS_ROLE_ARN, GLASSWATCH_AWS_AUDIENCE.
 */
export function gcpPushProcessorFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  clients?: GcpFunctionClients,
): PushProcessor {
  const shared = readSettings(env, ['GLASSWATCH_TABLE', 'GLASSWATCH_INCIDENT_BUS']);
  const matcher = loadBundledRegistry(env);
  const aws = clients ?? federatedClients(env);
  const publication = new IncidentPublication(
    new EventBridgePublisher(aws.eventBridge, shared.GLASSWATCH_INCIDENT_BUS),
    new DynamoPublicationLedger(aws.dynamo, shared.GLASSWATCH_TABLE),
  );
  return new PushProcessor(
    matcher,
    new Correlator(new DynamoIncidentRepository(aws.dynamo, shared.GLASSWATCH_TABLE), matcher),
    { deliver: (changes) => publication.publish(changes) },
  );
}

function federatedClients(env: Readonly<Record<string, string | undefined>>): GcpFunctionClients {
  const settings = readPollerSettings(env, [
    'GLASSWATCH_AWS_REGION',
    'GLASSWATCH_AWS_ROLE_ARN',
    'GLASSWATCH_AWS_AUDIENCE',
  ]);
  const region = settings.GLASSWATCH_AWS_REGION;
  const credentials = awsCredentialsFromGoogle({
    roleArn: settings.GLASSWATCH_AWS_ROLE_ARN,
    audience: settings.GLASSWATCH_AWS_AUDIENCE,
    region,
  });
  return {
    dynamo: new DynamoDBClient({ region, credentials, maxAttempts: 5 }),
    eventBridge: new EventBridgeClient({ region, credentials, maxAttempts: 5 }),
  };
}
