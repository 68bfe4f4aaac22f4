import type { FetchLike } from '../http/request.js';

/**
 * The invite as a file upload: multipart for Jira's attachments, a raw `text/calendar` body for
 * ServiceNow's Attachment API. `callVendor` sends JSON bodies only; wrapping its fetch so the request
 * carries this body instead keeps its timeout, no-redirect rule, capped reads and error classification.
 */

export const INVITE_FILE_NAME = 'review.ics';
export const INVITE_CONTENT_TYPE = 'text/calendar; charset=utf-8; method=REQUEST';

/** A fetch that sends `body` whatever the request says (the request itself carries no JSON). */
export function fetchWithBody(body: NonNullable<RequestInit['body']>, fetchImpl: FetchLike = fetch): FetchLike {
  return (url, init) => fetchImpl(url, { ...init, body });
}

/** `file=review.ics` as multipart form data; fetch sets the boundary header itself. */
export function inviteForm(ics: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([ics], { type: INVITE_CONTENT_TYPE }), INVITE_FILE_NAME);
  return form;
}
