export { RegistryError } from './errors.js';
export { parseRegistry } from './load.js';
export { RegistryMatcher } from './matcher.js';
export type { BreakGlassAccount, DrillWindow, Registry, RegistryInput } from './schema.js';
