import { createHash } from 'node:crypto';
import type { FieldReader, JsonObject } from '../fields.js';

/** Deeper than any CloudTrail record (requestParameters nest about 10 levels); bounds the recursion. */
const MAX_DEPTH = 64;

/**
 * A deterministic id for a record without `eventID` (trimmed exports and test fixtures lack it):
 * `sha256:` + the SHA-256 of the record's canonical JSON (keys sorted at every level), so the same
 * record read twice, with its keys in any order, gets the same id. Off the hot path: real CloudTrail
 * records always carry `eventID`.
 */
export function contentId(record: JsonObject, reader: FieldReader): string {
  const parts: string[] = [];
  writeCanonical(record, parts, 0, reader);
  return `sha256:${createHash('sha256').update(parts.join('')).digest('hex')}`;
}

function writeCanonical(value: unknown, out: string[], depth: number, reader: FieldReader): void {
  if (depth > MAX_DEPTH) reader.fail('eventID', `missing, and the record nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      writeCanonical(item, out, depth + 1, reader);
    });
    out.push(']');
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as JsonObject;
    out.push('{');
    Object.keys(obj)
      .sort()
      .forEach((key, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(key), ':');
        writeCanonical(obj[key], out, depth + 1, reader);
      });
    out.push('}');
    return;
  }
  // Primitives as JSON writes them; undefined (never in parsed JSON) as null.
  out.push(JSON.stringify(value) ?? 'null');
}
