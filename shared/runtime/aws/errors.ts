/** A function whose environment cannot run it: names every bad variable. Thrown at cold start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Lambda configuration invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

/** A sweep that could not look up every Region: the findings of the others are recorded all the same. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
  constructor(
    readonly failures: readonly Error[],
    options?: ErrorOptions,
  ) {
    super(
      `sweep incomplete, ${failures.length} lookup(s) failed:\n${failures.map((f) => `  - ${f.message}`).join('\n')}`,
      options,
    );
  }
}

/** An input (S3 object, EventBridge event) none of whose content could be read as audit records. */
export class UnreadableInputError extends Error {
  override readonly name = 'UnreadableInputError';
  constructor(
    readonly location: string,
    readonly errors: number,
    firstError: Error | undefined,
  ) {
    super(
      `${location}: no audit record could be read (${errors} error(s))${firstError ? `; first: ${firstError.message}` : ''}`,
      firstError ? { cause: firstError } : undefined,
    );
  }
}

/** A periodic aftermath run that left actions undelivered: the invocation fails, so it is retried, then dead-lettered (alarmed). */
export class AftermathIncompleteError extends Error {
  override readonly name = 'AftermathIncompleteError';
  constructor(readonly incidentIds: readonly string[]) {
    super(
      `aftermath run incomplete: actions of ${incidentIds.length} incident(s) not delivered (${incidentIds.slice(0, 10).join(', ')}${incidentIds.length > 10 ? ', …' : ''}); see the "action not delivered" log lines`,
    );
  }
}
