export { iamIdentity, iamKey, sessionNameOf, splitArn } from './aws-identity.js';
export { RegistryError } from './errors.js';
export type { GroupRole } from './groups.js';
export { parseRegistry } from './load.js';
export { RegistryMatcher, type Resolution } from './matcher.js';
export type { Pipeline } from './pipeline.js';
export type { BreakGlassAccount, BreakGlassGroup, DrillWindow, Registry, RegistryInput } from './schema.js';
