import { describe, expect, it } from 'vitest';
import { tamperActionsMarkdown } from '../../../shared/core/detect/tamper/markdown.js';
import { TAMPER_ENTRIES } from '../../../shared/core/detect/tamper-actions.js';
import { generatedBlock, README } from '../../support/readme.js';

describe('the README’s tamper actions', () => {
  it('are the list generated from the tamper table (regenerate: tamperActionsMarkdown())', () => {
    const block = generatedBlock('tamper-actions');
    expect(block).toBe(tamperActionsMarkdown());
  });

  it('name every action of every entry', () => {
    for (const entry of TAMPER_ENTRIES) for (const action of entry.actions) expect(README).toContain(`\`${action}\``);
  });
});
