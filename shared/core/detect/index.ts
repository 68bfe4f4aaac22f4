export { type ActionGroup, ActionSet, type ActionTable, canonicalAction } from './action-table.js';
export { type DetectResult, detect, ruleContext } from './engine.js';
export { RuleError, RuleSetError } from './errors.js';
export { correlationKey, principalKey, toFinding } from './findings.js';
export type { Rule, RuleContext, RuleMatch } from './rule.js';
export { RULES } from './rules/index.js';
