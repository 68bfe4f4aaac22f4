import { GoogleAuth } from 'google-auth-library';
import { DynamoCursorStore } from '../../adapters/dynamodb/cursor-store.js';
import { googleCredentialsFrom } from '../../adapters/gcp/credentials.js';
import { LOGGING_READ_SCOPES, restEntriesClient } from '../../adapters/gcp/entries-client.js';
import { GCP_CURSOR_POLICY } from '../../core/ingest/cursor/index.js';
import { createIngestRuntime, type IngestRuntime } from '../aws/ingest-runtime.js';
import { readPollerSettings } from './config.js';
import { type LambdaPoller, lambdaPoller, type PollerClientFactories, table } from './lambda.js';
import { gcpPoller, seenTtlMs } from './pollers.js';

/*
 * The GoogleAuth client is the one `@google-cloud/logging` itself authenticates with (`Logging#auth`);
 * constructing it directly keeps google-gax out of the bundle: gax reads proto files next to its own
 * sources at run time, which a single-file Lambda bundle cannot carry.
 */

export function createGcpLambdaPoller(
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: IngestRuntime = createIngestRuntime(env),
  factories: PollerClientFactories = {},
): LambdaPoller {
  const settings = readPollerSettings(env, [
    'GLASSWATCH_GCP_RESOURCES',
    'GLASSWATCH_GCP_CREDENTIALS_SECRET_REF',
    'GLASSWATCH_GCP_PAGE_SIZE',
  ]);
  const secretId = settings.GLASSWATCH_GCP_CREDENTIALS_SECRET_REF;
  const entries =
    factories.entries ??
    ((text: string, id: string) =>
      restEntriesClient({
        auth: new GoogleAuth({ credentials: googleCredentialsFrom(text, id), scopes: LOGGING_READ_SCOPES }),
      }));
  return lambdaPoller(runtime, 'gcp.pull', secretId, factories, (parts, text) =>
    gcpPoller({
      ...parts,
      entries: entries(text, secretId),
      resourceNames: settings.GLASSWATCH_GCP_RESOURCES,
      pageSize: settings.GLASSWATCH_GCP_PAGE_SIZE,
      store: new DynamoCursorStore(runtime.clients.dynamo, table(env), seenTtlMs(GCP_CURSOR_POLICY)),
    }),
  );
}
