/** A responders configuration that cannot run: names every missing piece. */
export class ResponderConfigError extends Error {
  override readonly name = 'ResponderConfigError';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`responders cannot run:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

/** A credential that could not be read. Names where it should be, never a value. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
  constructor(
    readonly where: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${where}: ${reason}`, options);
  }
}
