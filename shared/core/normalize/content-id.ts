import { createHash } from 'node:crypto';
import type { FieldReader } from './fields.js';

/** Deeper than any audit record (CloudTrail requestParameters nest about 10 levels); bounds the recursion. */
const MAX_DEPTH = 64;

/**
 * A deterministic id for a record that lacks its own (CloudTrail `eventID`, Entra `Id`, Activity
 * `CorrelationId`): `sha256:` and the SHA-256 of its canonical JSON (keys sorted at every level), so the
 * same record read twice, keys in any order, gets the same id. Real records always carry their ids;
 * trimmed exports and detection-vendor fixtures do not, and a break-glass sign-in must not be dropped
 * for that. Off the hot path. `field` names the missing id in the error for a record nested too deep.
 */
export function contentId(record: unknown, reader: FieldReader, field: string): string {
  const hash = createHash('sha256');
  write(record, hash, 0);
  return `sha256:${hash.digest('hex')}`;

  function write(value: unknown, out: ReturnType<typeof createHash>, depth: number): void {
    if (depth > MAX_DEPTH) reader.fail(field, `missing, and the record nests deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      out.update('[');
      value.forEach((item, i) => {
        if (i > 0) out.update(',');
        write(item, out, depth + 1);
      });
      out.update(']');
    } else if (typeof value === 'object' && value !== null) {
      const obj = value as Record<string, unknown>;
      out.update('{');
      Object.keys(obj)
        .sort()
        .forEach((key, i) => {
          out.update(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
          write(obj[key], out, depth + 1);
        });
      out.update('}');
    } else {
      out.update(JSON.stringify(value) ?? 'null');
    }
  }
}
