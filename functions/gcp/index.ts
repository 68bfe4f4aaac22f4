import { cloudEvent, http } from '@google-cloud/functions-framework';
import { gcpPushForwarderFromEnv } from '../../shared/runtime/pollers/gcp-function.js';
import { createHandlers, once } from '../../shared/runtime/pollers/gcp-handlers.js';

/**
 * Cloud Run function entry (Node.js, functions-framework), built by infra/gcp/build-function.mjs: it
 * checks each pushed Cloud Audit Log entry and forwards it to the AWS ingest bus, where the AWS side
 * correlates it. Deploy with `--entry-point glasswatchPubSubPush` behind the Pub/Sub push subscription
 * (infra/gcp), or `glasswatchAuditEvent` behind an Eventarc Pub/Sub trigger.
 */
const handlers = createHandlers(once(async () => gcpPushForwarderFromEnv(process.env)));

http('glasswatchPubSubPush', handlers.pubSubPush);
cloudEvent('glasswatchAuditEvent', handlers.auditEvent);
