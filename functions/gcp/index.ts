import { cloudEvent, http } from '@google-cloud/functions-framework';
import { gcpPushProcessorFromEnv } from '../../shared/runtime/pollers/gcp-function.js';
import { createHandlers, once } from './handlers.js';

/**
 * Cloud Run function entry (Node.js, functions-framework). Deploy with `--entry-point
 * glasswatchPubSubPush` behind the Pub/Sub push subscription (infra/gcp), or `glasswatchAuditEvent`
 * behind an Eventarc Pub/Sub trigger.
 */
const handlers = createHandlers(once(async () => gcpPushProcessorFromEnv(process.env)));

http('glasswatchPubSubPush', handlers.pubSubPush);
cloudEvent('glasswatchAuditEvent', handlers.auditEvent);
