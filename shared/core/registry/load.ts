import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { RegistryError } from './errors.js';
import { type Registry, registrySchema } from './schema.js';

/**
 * Parses and validates registry text. `file` is only used in messages.
 * Throws {@link RegistryError} listing every problem, each naming the entry and field.
 *
 * @example
 * const registry = parseRegistry(await readFile(path, 'utf8'), path);
 */
export function parseRegistry(text: string, file: string): Registry {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RegistryError(
      file,
      doc.errors.map((e) => `YAML ${e.code} at line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // The yaml library throws (a ReferenceError) for an alias bomb: "Excessive alias count indicates a
    // resource exhaustion attack". A refused document is a registry error like any other.
    throw new RegistryError(file, [`YAML: ${(error as Error).message.split('\n')[0]}`], { cause: error });
  }
  const parsed = registrySchema.safeParse(data);
  if (!parsed.success)
    throw new RegistryError(
      file,
      parsed.error.issues.map((i) => describeIssue(i, data)),
    );
  const registry = parsed.data;
  const problems = crossCheck(registry);
  if (problems.length > 0) throw new RegistryError(file, problems);
  return registry;
}

/** "accounts[2] (id aws-prod-root) field match.arn: …" */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const path = issue.path.map(String);
  const [section, index, ...field] = path;
  let where = path.length === 0 ? 'document' : path.join('.');
  if (
    (section === 'accounts' || section === 'drills' || section === 'groups') &&
    index !== undefined &&
    /^\d+$/.test(index)
  ) {
    const entry = (data as Record<string, unknown[]>)[section]?.[Number(index)] as Record<string, unknown> | undefined;
    const label = section === 'drills' ? entry?.account : entry?.id;
    const named = typeof label === 'string' ? ` (${section === 'drills' ? 'account' : 'id'} ${label})` : '';
    where = `${section}[${index}]${named}${field.length > 0 ? ` field ${field.join('.')}` : ''}`;
  }
  const message =
    issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  return `${where}: ${message}`;
}

/** Rules zod cannot see one entry at a time: unique ids, drills naming known accounts. */
function crossCheck(registry: Registry): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  registry.accounts.forEach((account, i) => {
    const first = seen.get(account.id);
    if (first !== undefined)
      problems.push(`accounts[${i}] (id ${account.id}) field id: duplicate of accounts[${first}]`);
    else seen.set(account.id, i);
  });
  registry.groups.forEach((group, i) => {
    const first = seen.get(group.id);
    if (first !== undefined) problems.push(`groups[${i}] (id ${group.id}) field id: duplicate of accounts[${first}]`);
  });
  registry.drills.forEach((drill, i) => {
    if (!seen.has(drill.account)) {
      problems.push(`drills[${i}] (account ${drill.account}) field account: no break-glass account has this id`);
    }
  });
  return problems;
}
