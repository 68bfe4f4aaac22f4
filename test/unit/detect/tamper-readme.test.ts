import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tamperActionsMarkdown } from '../../../shared/core/detect/tamper/markdown.js';
import { TAMPER_ENTRIES } from '../../../shared/core/detect/tamper-actions.js';

const README = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

describe('the README’s tamper actions', () => {
  it('are the list generated from the tamper table (regenerate: tamperActionsMarkdown())', () => {
    const block = /<!-- tamper-actions:start -->\n([\s\S]*?)\n<!-- tamper-actions:end -->/.exec(README)?.[1];
    expect(block).toBe(tamperActionsMarkdown());
  });

  it('name every action of every entry', () => {
    for (const entry of TAMPER_ENTRIES) for (const action of entry.actions) expect(README).toContain(`\`${action}\``);
  });
});
