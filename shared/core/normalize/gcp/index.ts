/** GCP: the Cloud Audit Log normalizer (incl. Workspace login audit) and the transports entries arrive in. */
export { gcpEnvelopes, gcpLogEntryEnvelope, pubSubPushEnvelope } from './envelopes.js';
export { GCP_LOG_ENTRY_FORMAT, normalizeGcpLogEntry } from './log-entry.js';
export { mfaFromChallenge } from './workspace-login.js';
