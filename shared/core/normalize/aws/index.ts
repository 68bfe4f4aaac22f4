/** AWS CloudTrail: the record normalizer and the transports records arrive in. */
export { CLOUDTRAIL_FORMAT, isCloudTrailRecord, normalizeCloudTrail } from './cloudtrail.js';
export {
  awsEnvelopes,
  cloudTrailLogFileEnvelope,
  cloudTrailRecordEnvelope,
  eventBridgeCloudTrailEnvelope,
} from './envelopes.js';
