import type { GoogleAuth } from 'google-auth-library';

/**
 * The Cloud Logging `entries.list` boundary: one page per call. Tests and benchmarks script it; in
 * production {@link restEntriesClient} calls the REST method with the credentials of a
 * `@google-cloud/logging` client.
 *
 * Why REST and not `Logging#getEntries`: getEntries goes through gRPC, where `protoPayload` is a
 * `google.protobuf.Any` of `{type_url, value: <protobuf bytes>}` that the library cannot decode (it
 * ships no AuditLog schema: googleapis/nodejs-logging#785, #991). The REST method returns the LogEntry
 * JSON that sinks, Pub/Sub and `gcloud logging read` produce, `protoPayload` with its `@type`, which is
 * exactly what the normalizer reads. getEntries would also add `timestamp >= <24 h ago>` to any filter
 * without the word "timestamp".
 * https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list
 */
export interface ListEntriesRequest {
  /** `organizations/123`, `folders/456`, `projects/p`: where to read. */
  resourceNames: string[];
  filter: string;
  /** Only `timestamp asc|desc` exist: receiveTimestamp cannot order results, so a poll reads its whole window. */
  orderBy: 'timestamp asc';
  /** At most 1000. */
  pageSize: number;
  pageToken?: string;
}

export interface ListEntriesResponse {
  entries?: unknown[];
  /** Present when more results may follow; a page may be empty and still have one. */
  nextPageToken?: string;
}

export interface EntriesClient {
  list(request: ListEntriesRequest): Promise<ListEntriesResponse>;
}

/** entries.list (and sinks.get) need only read access: the read-only Logging scope. */
export const LOGGING_READ_SCOPES = ['https://www.googleapis.com/auth/logging.read'];

/** The public endpoint; set another for a private or regional endpoint. */
export const ENTRIES_LIST_URL = 'https://logging.googleapis.com/v2/entries:list';

/**
 * entries.list over REST, authenticated by the Logging client's own GoogleAuth (service-account key or
 * workload identity federation config given as `credentials`). Retries are the poller's job
 * (`retry: false` here), so a throttled page is retried with the poller's backoff and Retry-After.
 *
 * @example
 * const client = restEntriesClient({ auth: new GoogleAuth({ credentials, scopes: LOGGING_READ_SCOPES }) });
 */
export function restEntriesClient(
  logging: { auth: Pick<GoogleAuth, 'request'> },
  url = ENTRIES_LIST_URL,
): EntriesClient {
  return {
    async list(request) {
      const response = await logging.auth.request<ListEntriesResponse>({
        url,
        method: 'POST',
        data: request,
        retry: false,
        timeout: 60_000,
      });
      return response.data ?? {};
    },
  };
}
