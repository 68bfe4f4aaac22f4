import type { z } from 'zod';
import { ConfigError } from './aws/errors.js';

type Schemas = Readonly<Record<string, z.ZodType>>;
export type SettingsOf<V extends Schemas, K extends keyof V> = { [P in K]: z.output<V[P]> };

/**
 * Configuration is read once, typed, and fails fast naming every missing or invalid variable. One
 * reader per table of variables (the AWS functions', the pollers'): an empty string counts as unset.
 *
 * @example
 * const readSettings = settingsReader({ GLASSWATCH_TABLE: z.string().min(1) });
 * const { GLASSWATCH_TABLE } = readSettings(process.env, ['GLASSWATCH_TABLE']);
 */
export function settingsReader<V extends Schemas>(variables: V) {
  return function readSettings<K extends keyof V & string>(
    env: Readonly<Record<string, string | undefined>>,
    names: readonly K[],
  ): SettingsOf<V, K> {
    const out: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const key of names) {
      const raw = env[key];
      const unset = raw === undefined || raw.trim() === '';
      const parsed = (variables[key] as z.ZodType).safeParse(unset ? undefined : raw);
      if (parsed.success) out[key] = parsed.data;
      else problems.push(`${key}: ${unset ? 'must be set' : parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return out as SettingsOf<V, K>;
  };
}
