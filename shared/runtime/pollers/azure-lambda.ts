import { LogsQueryClient, type LogsQueryClientOptions } from '@azure/monitor-query-logs';
import { azureCredentialFrom } from '../../adapters/azure/credentials.js';
import { DynamoCursorStore } from '../../adapters/dynamodb/cursor-store.js';
import { ENTRA_CURSOR_POLICY } from '../../core/ingest/cursor/index.js';
import { createIngestRuntime, type IngestRuntime } from '../aws/ingest-runtime.js';
import { readPollerSettings } from './config.js';
import { type LambdaPoller, lambdaPoller, type PollerClientFactories, table } from './lambda.js';
import { azurePoller, seenTtlMs } from './pollers.js';

/**
 * The Log Analytics client with the SDK's own retry policy off: the poller's source retries (backoff,
 * Retry-After, partial results; log-analytics-source.ts) are the one retry layer. With both, every
 * attempt of ours made up to 4 HTTP tries of the SDK's exponential policy: up to ~24 tries per page.
 */
export function logsQueryClient(
  credential: ConstructorParameters<typeof LogsQueryClient>[0],
  options: LogsQueryClientOptions = {},
): LogsQueryClient {
  return new LogsQueryClient(credential, { ...options, retryOptions: { maxRetries: 0 } });
}

export function createAzureLambdaPoller(
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: IngestRuntime = createIngestRuntime(env),
  factories: PollerClientFactories = {},
): LambdaPoller {
  const settings = readPollerSettings(env, [
    'GLASSWATCH_AZURE_WORKSPACE_ID',
    'GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF',
    'GLASSWATCH_AZURE_PAGE_SIZE',
  ]);
  const secretId = settings.GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF;
  const logs = factories.logs ?? ((text: string, id: string) => logsQueryClient(azureCredentialFrom(text, id)));
  return lambdaPoller(runtime, 'azure.pull', secretId, factories, (parts, text) =>
    azurePoller({
      ...parts,
      logs: logs(text, secretId),
      workspaceId: settings.GLASSWATCH_AZURE_WORKSPACE_ID,
      pageSize: settings.GLASSWATCH_AZURE_PAGE_SIZE,
      store: new DynamoCursorStore(runtime.clients.dynamo, table(env), seenTtlMs(ENTRA_CURSOR_POLICY)),
    }),
  );
}
