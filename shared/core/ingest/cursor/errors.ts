/** A source that kept failing (throttling, 5xx, partial results) after every retry. Nothing was committed. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    /** `gcp-logging:organizations/123 entries.list page 3`. */
    readonly what: string,
    readonly attempts: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${what}: gave up after ${attempts} attempt(s): ${reason}`, options);
  }
}

/** A source answered with something the poller cannot page through (a full page that does not advance). */
export class SourcePagingError extends Error {
  override readonly name = 'SourcePagingError';
  constructor(
    readonly what: string,
    reason: string,
  ) {
    super(`${what}: ${reason}`);
  }
}

/**
 * A poll that ran out of its time budget before reading its whole window. What it read was correlated
 * and delivered; it commits nothing and the next poll reads the window again.
 */
export class PollBudgetError extends Error {
  override readonly name = 'PollBudgetError';
  constructor(
    readonly source: string,
    readonly itemsRead: number,
    budgetMs: number,
  ) {
    super(
      `${source}: poll window not finished within ${Math.round(budgetMs / 1000)} s (${itemsRead} records read and correlated); cursor not committed`,
    );
  }
}
