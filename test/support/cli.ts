import type { CommandIO } from '../../shared/runtime/cli/io.js';
import { main } from '../../shared/runtime/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs the CLI in-process with captured output, as a user would run `glasswatch …`. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CommandIO = {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    stderrRaw: () => {},
    isTTY: false,
    env,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
