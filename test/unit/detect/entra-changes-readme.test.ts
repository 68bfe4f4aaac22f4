import { describe, expect, it } from 'vitest';
import { entraChangesMarkdown } from '../../../shared/core/detect/entra/markdown.js';
import { ENTRA_CHANGES } from '../../../shared/core/detect/entra-changes.js';
import { generatedBlock, README } from '../../support/readme.js';

describe('the README’s Entra account changes', () => {
  it('are the list generated from the Entra change table (regenerate: entraChangesMarkdown())', () => {
    const block = generatedBlock('entra-changes');
    expect(block).toBe(entraChangesMarkdown());
  });

  it('name every activity of every entry', () => {
    for (const entry of ENTRA_CHANGES)
      for (const activity of entry.activities) expect(README).toContain(`\`${activity}\``);
  });
});
