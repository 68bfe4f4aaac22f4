import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { RuleInfo } from '../../core/act/render/ticket.js';
import { registryPath } from './config.js';
import { ConfigError } from './errors.js';

/**
 * The rules' ticket information (kind, title, runbook, references) the build writes beside the
 * responders bundle as rule-info.json (scripts/build-functions.mjs, from `RULES`). Read from a file
 * rather than imported: importing `RULES` brings every rule's predicate and the tables they read (the
 * tamper, Entra-change and credential tables, ≈ 45 KB), which the pager never runs and which took the
 * responders bundle past 1 MB.
 */
const ruleInfoSchema = z.array(
  z
    .object({
      kind: z.string().min(1),
      title: z.string().min(1),
      runbook: z.array(z.string()),
      references: z.array(z.string()),
    })
    .strict(),
);

/**
 * @example
 * const rules = loadBundledRuleInfo(process.env); // beside registry.json
 */
export function loadBundledRuleInfo(env: Readonly<Record<string, string | undefined>>): RuleInfo[] {
  const path = join(dirname(registryPath(env)), 'rule-info.json');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the bundled rule information: ${(error as Error).message}`]);
  }
  const parsed = ruleInfoSchema.safeParse(data);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${path}: [${i.path.join('.')}] ${i.message}`));
  return parsed.data as RuleInfo[];
}
