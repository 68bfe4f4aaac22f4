/** Registry → what the pull pollers and push sinks let through: a Cloud Logging filter and KQL per table. */
export {
  CLOUD_LOGGING_FILTER_MAX,
  cloudLoggingFilter,
  cloudLoggingPollFilter,
  type ReceiveWindow,
} from './cloud-logging.js';
export { FilterBuildError } from './errors.js';
export {
  type EntraTable,
  entraQueries,
  INGESTED_AT_COLUMN,
  type IngestionWindow,
  type KqlQuery,
  windowedKql,
} from './kql.js';
export { kqlString, loggingString } from './quote.js';
export { AZURE_TAMPER_OPERATIONS, GCP_TAMPER_CLAUSES, GCP_TAMPER_GROUPS, watchList } from './watch-list.js';
