/** What a command may touch: injected so commands run in tests without a process. */
export interface CommandIO {
  stdout(line: string): void;
  stderr(line: string): void;
  /** Writes without a newline (progress); only called when `isTTY`. */
  stderrRaw(text: string): void;
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export const EXIT = { ok: 0, fatal: 1, partialFailure: 2, undelivered: 3 } as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

export function processIO(): CommandIO {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    stderrRaw: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
  };
}

/** `--state DIR`, else `GLASSWATCH_STATE_DIR`, else `.glasswatch/db`; `--ephemeral` for none (in memory). */
export function stateDirOf(values: { state?: string; ephemeral?: boolean }, io: CommandIO): { stateDir?: string } {
  if (values.ephemeral) return {};
  return { stateDir: values.state ?? io.env.GLASSWATCH_STATE_DIR ?? '.glasswatch/db' };
}
