import { readFileSync } from 'node:fs';

/** The project's README, which several tests hold to the tables it is generated from. */
export const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The text between `<!-- NAME:start -->` and `<!-- NAME:end -->`, undefined when the markers are missing. */
export function generatedBlock(name: string): string | undefined {
  return new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(README)?.[1];
}
