/** A registry that cannot be trusted: names the file, the entry (index and id when known) and the field. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`${file}: invalid break-glass registry:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}
