import { fileURLToPath } from 'node:url';
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { gcpPushProcessorFromEnv } from '../../shared/runtime/pollers/gcp-function.js';
import { createHandlers, once } from '../../shared/runtime/pollers/gcp-handlers.js';

/**
 * Cloud Run function entry (Node.js, functions-framework), built by infra/gcp/build-function.mjs with
 * the validated registry.json beside it. Deploy with `--entry-point glasswatchPubSubPush` behind the
 * Pub/Sub push subscription (infra/gcp), or `glasswatchAuditEvent` behind an Eventarc Pub/Sub trigger.
 */
const env = {
  GLASSWATCH_REGISTRY_PATH: fileURLToPath(new URL('./registry.json', import.meta.url)),
  ...process.env,
};
const handlers = createHandlers(once(async () => gcpPushProcessorFromEnv(env)));

http('glasswatchPubSubPush', handlers.pubSubPush);
cloudEvent('glasswatchAuditEvent', handlers.auditEvent);
