/**
 * Errors of the AWS adapters. Each names the service, the operation, what it was about and the AWS
 * error code with its HTTP status, never a credential or a secret value.
 */

/** "ThrottlingException (HTTP 400): Rate exceeded" from an SDK v3 error; network errors keep their message. */
export function describeAwsError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const status = typeof e?.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  const message = typeof e?.message === 'string' && e.message !== '' ? `: ${e.message.slice(0, 300)}` : '';
  return `${name}${status}${message}`;
}

/** Incident changes EventBridge did not accept after every retry. The invocation fails so its input is redriven. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly busName: string,
    /** One line per entry that failed: incident id, detail-type and the EventBridge error code. */
    readonly failures: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `EventBridge PutEvents to bus ${busName}: ${failures.length} entr${failures.length === 1 ? 'y' : 'ies'} not accepted:\n` +
        failures.map((f) => `  - ${f}`).join('\n'),
      options,
    );
  }
}

/** One LookupEvents query in one Region that failed (Region not enabled, access denied, throttled out). */
export class CloudTrailLookupError extends Error {
  override readonly name = 'CloudTrailLookupError';
  constructor(
    readonly region: string,
    readonly query: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`CloudTrail LookupEvents in ${region} (${query}): ${reason}`, options);
  }
}

/** The backfill state machine could not be found, started or followed (backfill-executions.ts). */
export class BackfillExecutionError extends Error {
  override readonly name = 'BackfillExecutionError';
}
