import { readFileSync } from 'node:fs';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';

/**
 * Reads a CloudFormation/SAM template with its short-form tags (`!Ref`, `!GetAtt`, `!Sub`…) turned into
 * the long JSON form (`{ Ref: … }`, `{ 'Fn::GetAtt': [...] }`), as CloudFormation itself reads them.
 */

type Tag = ScalarTag | CollectionTag;

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'Not',
  'Or',
];

function tagsFor(name: string, longName: string): Tag[] {
  const wrap = (value: unknown) => ({ [longName]: value });
  return [
    { tag: `!${name}`, resolve: (value: string) => wrap(value) } as ScalarTag,
    {
      tag: `!${name}`,
      collection: 'seq',
      resolve: (value: { toJSON(): unknown }) => wrap(value.toJSON()),
    } as unknown as CollectionTag,
    {
      tag: `!${name}`,
      collection: 'map',
      resolve: (value: { toJSON(): unknown }) => wrap(value.toJSON()),
    } as unknown as CollectionTag,
  ];
}

const CUSTOM_TAGS: Tag[] = [
  ...FUNCTIONS.flatMap((name) => tagsFor(name, `Fn::${name}`)),
  ...tagsFor('Ref', 'Ref'),
  ...tagsFor('Condition', 'Condition'),
  // `!GetAtt A.B` is the short form of `Fn::GetAtt: [A, B]`.
  {
    tag: '!GetAtt',
    resolve: (value: string) => {
      const dot = value.indexOf('.');
      return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
    },
  } as ScalarTag,
  {
    tag: '!GetAtt',
    collection: 'seq',
    resolve: (value: { toJSON(): unknown }) => ({ 'Fn::GetAtt': value.toJSON() }),
  } as unknown as CollectionTag,
];

export type Template = {
  AWSTemplateFormatVersion?: string;
  Transform?: string;
  Parameters?: Record<string, Record<string, unknown>>;
  Conditions?: Record<string, unknown>;
  Globals?: Record<string, Record<string, unknown>>;
  Resources: Record<
    string,
    { Type: string; Condition?: string; Properties?: Record<string, unknown>; [key: string]: unknown }
  >;
  Outputs?: Record<string, unknown>;
};

export function readTemplate(path: string): Template {
  return parse(readFileSync(path, 'utf8'), { customTags: CUSTOM_TAGS, uniqueKeys: true }) as Template;
}
