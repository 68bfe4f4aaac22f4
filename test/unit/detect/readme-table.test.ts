import { describe, expect, it } from 'vitest';
import { ROOT_ACCESS_CHANGES, ROOT_PASSWORD_RECOVERY } from '../../../shared/core/detect/root-access.js';
import { DETECTION_KINDS } from '../../../shared/core/model/finding.js';
import { README } from '../../support/readme.js';

/** The README's detection table is where people look: it lists every kind and every root-access call. */
const section = README.slice(README.indexOf('## Detections'), README.indexOf('## The registry'));

describe('README detection table', () => {
  it.each(DETECTION_KINDS)('has a row for %s with its severity', (kind) => {
    expect(section).toMatch(
      new RegExp(`^\\| \`${kind.replace('.', '\\.')}\` \\|.*\\| (critical|high|medium|low)`, 'm'),
    );
  });

  it('names every centralized-root-access call the account-change rule watches', () => {
    const row = section.split('\n').find((line) => line.startsWith('| `account.change`')) ?? '';
    for (const group of [...(ROOT_ACCESS_CHANGES.aws ?? []), ...(ROOT_PASSWORD_RECOVERY.aws ?? [])]) {
      for (const action of group.actions) {
        expect(row.includes(`\`${action}\``), action).toBe(true);
      }
    }
  });
});
