import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entraChangesMarkdown } from '../../../shared/core/detect/entra/markdown.js';
import { ENTRA_CHANGES } from '../../../shared/core/detect/entra-changes.js';

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

describe('the README’s Entra account changes', () => {
  it('are the list generated from the Entra change table (regenerate: entraChangesMarkdown())', () => {
    const block = /<!-- entra-changes:start -->\n([\s\S]*?)\n<!-- entra-changes:end -->/.exec(README)?.[1];
    expect(block).toBe(entraChangesMarkdown());
  });

  it('name every activity of every entry', () => {
    for (const entry of ENTRA_CHANGES)
      for (const activity of entry.activities) expect(README).toContain(`\`${activity}\``);
  });
});
