import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one fixture loader: every test reads samples from test/fixtures through these. */
export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixturePath(relative: string): string {
  return join(FIXTURES_DIR, relative);
}

export function readFixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

export function readFixtureJson<T = unknown>(relative: string): T {
  return JSON.parse(readFixtureText(relative)) as T;
}

/** JSON lines; blank lines skipped. */
export function readFixtureJsonl<T = unknown>(relative: string): T[] {
  return readFixtureText(relative)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
