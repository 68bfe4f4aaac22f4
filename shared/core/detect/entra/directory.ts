import type { DirectoryRecord, ModifiedProperty } from '../../model/audit-event.js';

/**
 * Readers of an Entra audit record's targets and modified properties, for the Entra change table.
 * Values are JSON text as Entra writes them (`"[false]"`, `"\"Global Administrator\""`), read
 * leniently: quotes, brackets and whitespace around the value do not matter.
 */

/** The Global Administrator role: its template id (the same in every tenant) and the names it went by. */
export const GLOBAL_ADMINISTRATOR = {
  templateId: '62e90394-69f5-4237-9190-012177145e10',
  names: ['global administrator', 'company administrator', 'companyadministrator'],
} as const;

/** The properties an authentication-method change of `Update user` writes (Core Directory). */
export const STRONG_AUTH_PROPERTIES = [
  'StrongAuthenticationMethod',
  'StrongAuthenticationPhoneAppDetail',
  'StrongAuthenticationUserDetails',
  'StrongAuthenticationRequirement',
  'SearchableDeviceKey',
] as const;

/** `"\"Global Administrator\""`, `"[false]"`, `"[\"x\"]"` → `global administrator`, `false`, `x`. */
export function plain(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value
    .replace(/^[\s[\]"]+|[\s[\]"]+$/g, '')
    .trim()
    .toLowerCase();
  return text === '' ? undefined : text;
}

/** Every modified property of every target with this name (case-insensitive). */
export function properties(record: DirectoryRecord, name: string): ModifiedProperty[] {
  const wanted = name.toLowerCase();
  return record.targets.flatMap((t) => t.modified.filter((p) => p.name.toLowerCase() === wanted));
}

/**
 * The names of the properties an update changed: the modified properties themselves, and the
 * `Included Updated Properties` list Core Directory adds (`"StrongAuthenticationMethod, AccountEnabled"`).
 */
export function updatedNames(record: DirectoryRecord): Set<string> {
  const names = new Set<string>();
  for (const target of record.targets) {
    for (const p of target.modified) {
      names.add(p.name.toLowerCase());
      if (p.name.toLowerCase() !== 'included updated properties') continue;
      for (const listed of (p.new ?? '').split(',')) {
        const name = plain(listed);
        if (name) names.add(name);
      }
    }
  }
  return names;
}

/** The new value of `AccountEnabled`: true, false, or undefined when the update did not write it. */
export function accountEnabled(record: DirectoryRecord): boolean | undefined {
  for (const p of properties(record, 'AccountEnabled')) {
    const value = plain(p.new);
    if (value === 'false') return false;
    if (value === 'true') return true;
  }
  return undefined;
}

/**
 * Whether the role of a role record is Global Administrator: `true`, `false` (a role is named and it is
 * another), or `undefined` (the record names no role). Read from a `Role` target (PIM: its display name,
 * its `TemplateId` property) and from the user target's `Role.DisplayName`, `Role.TemplateId`,
 * `Role.WellKnownObjectName` (Core Directory), old or new value.
 */
export function isGlobalAdministrator(record: DirectoryRecord): boolean | undefined {
  const seen: string[] = [];
  for (const target of record.targets) {
    if (target.type.toLowerCase() === 'role') {
      if (target.name) seen.push(target.name.toLowerCase());
      if (target.id) seen.push(target.id.toLowerCase());
    }
    for (const p of target.modified) {
      if (!/^(role\.)?(displayname|templateid|wellknownobjectname)$/i.test(p.name)) continue;
      if (!/^role\./i.test(p.name) && target.type.toLowerCase() !== 'role') continue;
      for (const value of [plain(p.old), plain(p.new)]) if (value) seen.push(value);
    }
  }
  if (seen.length === 0) return undefined;
  return seen.some(
    (v) => v === GLOBAL_ADMINISTRATOR.templateId || (GLOBAL_ADMINISTRATOR.names as readonly string[]).includes(v),
  );
}

/** Whether any target's property name starts with this prefix (`TemporaryAccessPass.`). */
export function hasPropertyPrefix(record: DirectoryRecord, prefix: string): boolean {
  const wanted = prefix.toLowerCase();
  return record.targets.some((t) => t.modified.some((p) => p.name.toLowerCase().startsWith(wanted)));
}
