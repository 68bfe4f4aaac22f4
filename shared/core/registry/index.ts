export { iamIdentity, iamKey, sessionNameOf, splitArn } from './aws-identity.js';
export { RegistryError } from './errors.js';
export { parseRegistry } from './load.js';
export { RegistryMatcher, type Resolution } from './matcher.js';
export type { Pipeline } from './pipeline.js';
export type { BreakGlassAccount, DrillWindow, Registry, RegistryInput } from './schema.js';
