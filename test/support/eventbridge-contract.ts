import type { PutEventsCommandInput, PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';

/**
 * PutEvents as EventBridge documents it, for SDK-level stubs (EventBridge has no local server):
 * at most 10 entries per request, and the entries' total size under 256 KB, sized as the user guide's
 * "Calculating PutEvents event entry size" says (Time 14 bytes; Source, DetailType, Detail and each
 * Resources entry by their UTF-8 bytes). Written from the page, not from the publisher's own constant,
 * so a publisher that miscounts is refused here as the service would refuse it.
 */
export const PUT_EVENTS_LIMIT_BYTES = 262_144;
export const PUT_EVENTS_MAX_ENTRIES = 10;

type Entry = NonNullable<PutEventsCommandInput['Entries']>[number];

export function documentedEntrySize(entry: Entry): number {
  const utf8 = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  let size = entry.Time ? 14 : 0;
  size += utf8(entry.Source) + utf8(entry.DetailType) + utf8(entry.Detail);
  for (const resource of entry.Resources ?? []) size += utf8(resource);
  return size;
}

/** A request-level refusal, shaped as the SDK raises a 400 ValidationException. */
export class PutEventsValidationError extends Error {
  override readonly name = 'ValidationException';
  readonly $metadata = { httpStatusCode: 400 };
  readonly $fault = 'client';
}

/**
 * Answers a PutEvents request as EventBridge does: refuses the whole request when it breaks a limit,
 * otherwise accepts every entry. `received` collects the accepted entries.
 */
export function putEventsAsDocumented(received: Entry[] = []) {
  return (input: PutEventsCommandInput): PutEventsCommandOutput => {
    const entries = input.Entries ?? [];
    if (entries.length === 0 || entries.length > PUT_EVENTS_MAX_ENTRIES)
      throw new PutEventsValidationError(
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10`,
      );
    const total = entries.reduce((sum, entry) => sum + documentedEntrySize(entry), 0);
    if (total >= PUT_EVENTS_LIMIT_BYTES)
      throw new PutEventsValidationError('Total size of the entries in the request is over the limit.');
    received.push(...entries);
    return {
      $metadata: { httpStatusCode: 200 },
      FailedEntryCount: 0,
      Entries: entries.map((_, i) => ({ EventId: `event-${received.length - entries.length + i}` })),
    };
  };
}
