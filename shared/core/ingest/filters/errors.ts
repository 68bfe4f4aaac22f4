/**
 * A registry value that cannot be placed in a query safely (a control character in a UPN), or a
 * generated query past the provider's size limit. Names the account and the field, never guesses.
 */
export class FilterBuildError extends Error {
  override readonly name = 'FilterBuildError';
  constructor(
    /** `gcp sink filter`, `KQL SigninLogs`… */
    readonly target: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${target}: ${reason}`, options);
  }
}
