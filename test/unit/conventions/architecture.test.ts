import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The boundary rules, checked on every test run: the domain core imports no SDK, no adapter and no
 * runtime; Lambda entries stay thin; files stay small enough to read.
 */

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function imports(file: string, { includeTypes = true } = {}): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const pattern = includeTypes
    ? /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g
    : /(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s+['"]([^'"]+)['"]/g;
  return [...text.matchAll(pattern)].map((m) => m[1] as string);
}

const SDK = /^(@aws-sdk\/|@google-cloud\/|@azure\/|@middy\/|@aws-lambda-powertools\/|dynalite|aws-lambda$)/;

describe('architecture', () => {
  const core = sourceFiles('shared/core');

  it('the core imports no SDK, adapter or runtime', () => {
    const offenders = core.flatMap((file) =>
      imports(file)
        .filter((spec) => SDK.test(spec) || /\/(adapters|runtime)\//.test(spec) || spec.startsWith('../../adapters'))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the core is really covered by this check', () => {
    expect(core.length).toBeGreaterThan(50);
  });

  it('Lambda entries are thin: they import the runtime, not the core or SDKs directly, and stay short', () => {
    const problems: string[] = [];
    for (const file of sourceFiles('functions')) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n').length;
      if (lines > 80) problems.push(`${file}: ${lines} lines`);
      // Types may come from anywhere; code comes from the runtime (composition roots).
      for (const spec of imports(file, { includeTypes: false })) {
        if (spec.includes('/core/') || spec.startsWith('@aws-sdk/')) problems.push(`${file} imports ${spec}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no source file is over 300 lines without a reason written at its top', () => {
    const long = [...sourceFiles('shared'), ...sourceFiles('functions')].filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return text.split('\n').length > 300 && !/^\/\/ long-file: /m.test(text);
    });
    expect(long.map((f) => relative(ROOT, join(ROOT, f)))).toEqual([]);
  });
});
