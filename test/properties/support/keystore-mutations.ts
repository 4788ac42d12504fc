import fc from 'fast-check';
import { ENVIRONMENTS, keystoreFile, nameOf, schemaPattern, type KeystoreBody } from './keystore-arbitraries';

/** A request body broken in one way, with the status the contract's order of checks gives it. */
export interface MutatedRequest {
  /** What was broken, so a counterexample reads at a glance. */
  mutation: string;
  contentType: string;
  payload: string | Buffer;
  expectedStatus: 400 | 413 | 415;
}

/** The body limit of the app the mutations are sent to: small, so a 413 costs little. */
export const MUTATION_BODY_LIMIT = 64 * 1024;

const JSON_TYPE = 'application/json';
const TOP_LEVEL_KEYS = ['name', 'description', 'keyStoreEnvironmentList', 'projectId'];
const ENTRY_KEYS = ['environmentName', 'type', 'file'];
const STRING_FIELDS = ['environmentName', 'type', 'file'] as const;
const FILE_PATTERN = schemaPattern('KeystoreFile');
/** Replaced by a raw JSON text after serialisation, for values JSON.stringify cannot build cheaply. */
const RAW_SLOT = '\u0000raw-json-slot\u0000';

type Json = Record<string, unknown>;

function rejected(mutation: string, payload: string | Buffer, expectedStatus: 400 | 413 | 415 = 400): MutatedRequest {
  return { mutation, contentType: JSON_TYPE, payload, expectedStatus };
}

function copyOf(body: KeystoreBody): Json {
  return structuredClone(body) as unknown as Json;
}

/** Sets an own property, even `__proto__`, without touching any prototype. */
function put(target: Json, key: string, value: unknown): Json {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

function entriesOf(body: Json): Json[] {
  return body.keyStoreEnvironmentList as Json[];
}

function withTop(body: KeystoreBody, key: string, value: unknown): Json {
  return put(copyOf(body), key, value);
}

function withEntry(body: KeystoreBody, index: number, key: string, value: unknown): Json {
  const copy = copyOf(body);
  put(entriesOf(copy)[index] as Json, key, value);
  return copy;
}

function withoutKey(target: Json, key: string): Json {
  delete target[key];
  return target;
}

function entryIndex(body: KeystoreBody): fc.Arbitrary<number> {
  return fc.nat({ max: body.keyStoreEnvironmentList.length - 1 });
}

/** Inserts `inserted` at a code point boundary of `text`, so no surrogate pair is split. */
function insertAt(text: string, position: number, inserted: string): string {
  const codePoints = Array.from(text);
  const at = position % (codePoints.length + 1);
  return [...codePoints.slice(0, at), inserted, ...codePoints.slice(at)].join('');
}

const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const aNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const notAnArray = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const notAnObject = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf');
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
const c0Control = fc.integer({ min: 0x01, max: 0x1f }).map((code) => String.fromCharCode(code));
const descriptionControl = fc.constantFrom(
  ...[0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x0f, 0x10, 0x1b, 0x1f].map((code) =>
    String.fromCharCode(code),
  ),
);
const nameBreaker = fc.oneof(
  fc.constant('\u0000'),
  loneSurrogate,
  c0Control,
  fc.constantFrom(
    '\u007f',
    '/',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u00a0',
    '\u1680',
    '\u2003',
    '\u2028',
    '\u2029',
    '\u3000',
    '\ufeff',
  ),
);
const notBase64Char = fc.constantFrom(
  ' ',
  '\t',
  '\n',
  '\r',
  '-',
  '_',
  '.',
  '!',
  '*',
  '~',
  '%',
  ',',
  ':',
  'é',
  '€',
  '\u0000',
);

/** Wrong JSON types where the schema wants strings, arrays or objects. */
function wrongTypes(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(
    fc
      .tuple(fc.constantFrom('name', 'description'), notAString)
      .map(([key, value]) => rejected(`${key} is not a string`, JSON.stringify(withTop(body, key, value)))),
    notAnArray.map((value) =>
      rejected(
        'keyStoreEnvironmentList is not an array',
        JSON.stringify(withTop(body, 'keyStoreEnvironmentList', value)),
      ),
    ),
    fc
      .tuple(entryIndex(body), fc.constantFrom(...STRING_FIELDS), notAString)
      .map(([index, key, value]) =>
        rejected(`entry ${index} ${key} is not a string`, JSON.stringify(withEntry(body, index, key, value))),
      ),
    fc.tuple(entryIndex(body), notAnObject).map(([index, value]) => {
      const copy = copyOf(body);
      entriesOf(copy)[index] = value as unknown as Json;
      return rejected(`entry ${index} is not an object`, JSON.stringify(copy));
    }),
  );
}

/** Numbers where the schema wants strings. */
function numbersForStrings(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(
    fc
      .tuple(fc.constantFrom('name', 'description'), aNumber)
      .map(([key, value]) => rejected(`${key} is a number`, JSON.stringify(withTop(body, key, value)))),
    fc
      .tuple(entryIndex(body), fc.constantFrom(...STRING_FIELDS), aNumber)
      .map(([index, key, value]) =>
        rejected(`entry ${index} ${key} is a number`, JSON.stringify(withEntry(body, index, key, value))),
      ),
  );
}

/** A required field left out. */
function missingRequired(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(
    fc
      .constantFrom('name', 'keyStoreEnvironmentList')
      .map((key) => rejected(`${key} is missing`, JSON.stringify(withoutKey(copyOf(body), key)))),
    fc.tuple(entryIndex(body), fc.constantFrom(...STRING_FIELDS)).map(([index, key]) => {
      const copy = copyOf(body);
      withoutKey(entriesOf(copy)[index] as Json, key);
      return rejected(`entry ${index} ${key} is missing`, JSON.stringify(copy));
    }),
  );
}

/** A property the schema does not declare, at the top level or in an environment entry. */
function extraFields(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  const extraValue = fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    fc
      .tuple(
        fc.oneof(hostileKey, fc.string({ maxLength: 20 })).filter((key) => !TOP_LEVEL_KEYS.includes(key)),
        extraValue,
      )
      .map(([key, value]) =>
        rejected(`extra top-level field ${JSON.stringify(key)}`, JSON.stringify(withTop(body, key, value))),
      ),
    fc
      .tuple(
        entryIndex(body),
        fc.oneof(hostileKey, fc.string({ maxLength: 20 })).filter((key) => !ENTRY_KEYS.includes(key)),
        extraValue,
      )
      .map(([index, key, value]) =>
        rejected(
          `extra field ${JSON.stringify(key)} in entry ${index}`,
          JSON.stringify(withEntry(body, index, key, value)),
        ),
      ),
  );
}

/** Strings past the schema's maxLength of 200. */
function overlongStrings(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(
    nameOf(201, 400).map((name) =>
      rejected('name is over 200 characters', JSON.stringify(withTop(body, 'name', name))),
    ),
    fc
      .tuple(entryIndex(body), fc.string({ minLength: 201, maxLength: 300 }))
      .map(([index, name]) =>
        rejected(
          `entry ${index} environmentName is over 200 characters`,
          JSON.stringify(withEntry(body, index, 'environmentName', name)),
        ),
      ),
  );
}

function nestedJson(depth: number, shape: 'array' | 'object' | 'mixed'): string {
  if (shape === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (shape === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `${'[{"a":'.repeat(depth)}0${'}]'.repeat(depth)}`;
}

/** A deeply nested array or object where a string, an array or an entry belongs. */
function deepNesting(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  const target = fc.oneof(
    fc.constantFrom('name', 'description', 'keyStoreEnvironmentList', 'extra').map((key) => ({ key, index: -1 })),
    fc
      .tuple(entryIndex(body), fc.constantFrom('environmentName', 'type', 'file', 'entry', 'extra'))
      .map(([index, key]) => ({ key, index })),
  );
  return fc
    .tuple(
      target,
      fc.integer({ min: 2, max: 2000 }),
      fc.constantFrom<'array' | 'object' | 'mixed'>('array', 'object', 'mixed'),
    )
    .map(([{ key, index }, depth, shape]) => {
      let copy: Json;
      if (index === -1) {
        copy = withTop(body, key, RAW_SLOT);
      } else if (key === 'entry') {
        copy = copyOf(body);
        entriesOf(copy)[index] = RAW_SLOT as unknown as Json;
      } else {
        copy = withEntry(body, index, key, RAW_SLOT);
      }
      const payload = JSON.stringify(copy).replace(JSON.stringify(RAW_SLOT), nestedJson(depth, shape));
      return rejected(`${depth}-deep ${shape} nesting at ${index === -1 ? key : `entry ${index} ${key}`}`, payload);
    });
}

/** Files that are not standard padded base64 (RFC 4648 section 4). */
function invalidBase64(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  const fileAt = (index: number, file: string, why: string) =>
    rejected(`entry ${index} file ${why}`, JSON.stringify(withEntry(body, index, 'file', file)));
  const file = (index: number) => body.keyStoreEnvironmentList[index]?.file ?? '';
  return entryIndex(body).chain((index) =>
    fc.oneof(
      fc.tuple(fc.nat(), notBase64Char).map(([position, char]) => {
        const at = position % file(index).length;
        return fileAt(
          index,
          `${file(index).slice(0, at)}${char}${file(index).slice(at + 1)}`,
          `has ${JSON.stringify(char)} in place of a character`,
        );
      }),
      fc
        .tuple(fc.nat(), fc.constantFrom(' ', '\t', '\n', '\r\n', '-', '_'))
        .map(([position, char]) =>
          fileAt(index, insertAt(file(index), position, char), `has ${JSON.stringify(char)} inserted`),
        ),
      fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((bytes) =>
          fileAt(index, Buffer.from([0xfb, 0xff, 0xbf, ...bytes]).toString('base64url'), 'is base64url ("-" and "_")'),
        ),
      fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .filter((bytes) => bytes.length % 3 !== 0)
        .map((bytes) => fileAt(index, Buffer.from(bytes).toString('base64').replace(/=+$/, ''), 'lacks its padding')),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 2 }), keystoreFile)
        .map(([head, tail]) =>
          fileAt(index, `${Buffer.from(head).toString('base64')}${tail}`, 'has padding in the middle'),
        ),
      fc
        .constantFrom('====', `=${file(index).slice(1)}`, `${file(index)}====`)
        .map((text) => fileAt(index, text, 'has misplaced padding')),
      fc
        .integer({ min: 1, max: 3 })
        .map((extra) =>
          fileAt(index, `${file(index)}${'QUJD'.slice(0, extra)}`, 'has a length that is not a multiple of 4'),
        ),
      fc.constantFrom('', 'Q', 'QQ', 'QQ=').map((text) => fileAt(index, text, 'is too short')),
      fc
        .string({ maxLength: 40 })
        .filter((text) => !FILE_PATTERN.test(text))
        .map((text) => fileAt(index, text, 'is arbitrary text')),
      fc.constantFrom('\n', '\r\n').map((eol) => {
        const wrapped = file(index).replace(/(.{4})(?=.)/g, `$1${eol}`);
        return fileAt(index, wrapped === file(index) ? `${wrapped}${eol}` : wrapped, 'is wrapped in lines');
      }),
    ),
  );
}

/** NUL bytes, lone surrogates, other control characters, whitespace and "/" where the schema forbids them. */
function forbiddenCharacters(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(
    fc
      .tuple(fc.nat(), nameBreaker)
      .map(([position, char]) =>
        rejected(
          `name holds ${JSON.stringify(char)}`,
          JSON.stringify(withTop(body, 'name', insertAt(body.name, position, char))),
        ),
      ),
    fc
      .tuple(fc.nat(), fc.oneof(fc.constant('\u0000'), loneSurrogate, descriptionControl))
      .map(([position, char]) =>
        rejected(
          `description holds ${JSON.stringify(char)}`,
          JSON.stringify(withTop(body, 'description', insertAt(body.description ?? '', position, char))),
        ),
      ),
    fc
      .tuple(entryIndex(body), fc.nat(), fc.oneof(fc.constant('\u0000'), loneSurrogate))
      .map(([index, position, char]) => {
        const name = body.keyStoreEnvironmentList[index]?.environmentName ?? '';
        return rejected(
          `entry ${index} environmentName holds ${JSON.stringify(char)}`,
          JSON.stringify(withEntry(body, index, 'environmentName', insertAt(name, position, char))),
        );
      }),
  );
}

/** Values that break an enum, a minLength or the environments of the project. */
function badValues(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(
    fc.constant(
      rejected('the environment list is empty', JSON.stringify(withTop(body, 'keyStoreEnvironmentList', []))),
    ),
    fc
      .tuple(entryIndex(body), fc.nat(), fc.constantFrom<'JKS' | 'PKCS12'>('JKS', 'PKCS12'), keystoreFile)
      .map(([index, position, type, file]) => {
        const copy = copyOf(body);
        const entries = entriesOf(copy);
        const environmentName = body.keyStoreEnvironmentList[index]?.environmentName;
        entries.splice(position % (entries.length + 1), 0, { environmentName, type, file });
        return rejected(`environment ${environmentName} appears twice`, JSON.stringify(copy));
      }),
    fc
      .tuple(
        entryIndex(body),
        fc
          .oneof(
            fc.constantFrom('Production', 'PRODUCTION', 'prod', 'qa', 'test', 'sandbox', 'production ', ' staging'),
            hostileKey,
            fc.string({ minLength: 1, maxLength: 200 }),
          )
          .filter((name) => !(ENVIRONMENTS as readonly string[]).includes(name)),
      )
      .map(([index, name]) =>
        rejected(
          `entry ${index} names the unknown environment ${JSON.stringify(name)}`,
          JSON.stringify(withEntry(body, index, 'environmentName', name)),
        ),
      ),
    fc
      .tuple(
        entryIndex(body),
        fc
          .oneof(fc.constantFrom('jks', 'pkcs12', 'Jks', 'PKCS11', 'JCEKS', 'PEM', '', 'JKS ', ' PKCS12'), fc.string())
          .filter((type) => type !== 'JKS' && type !== 'PKCS12'),
      )
      .map(([index, type]) =>
        rejected(
          `entry ${index} type is ${JSON.stringify(type)}`,
          JSON.stringify(withEntry(body, index, 'type', type)),
        ),
      ),
    fc.constant(rejected('name is empty', JSON.stringify(withTop(body, 'name', '')))),
    entryIndex(body).map((index) =>
      rejected(
        `entry ${index} environmentName is empty`,
        JSON.stringify(withEntry(body, index, 'environmentName', '')),
      ),
    ),
  );
}

/** Bodies that are JSON but not an object. */
function nonObjectBodies(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc
    .oneof(
      fc.constant([body]),
      fc.constant([]),
      fc.string({ maxLength: 20 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
      fc.boolean(),
    )
    .map((value) => rejected(`the body is ${JSON.stringify(value).slice(0, 40)}`, JSON.stringify(value)));
}

/** Bodies that are not JSON at all, or not UTF-8. */
function malformedBodies(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  const text = JSON.stringify(body);
  return fc.oneof(
    fc
      .nat({ max: text.length - 1 })
      .map((length) => rejected(`the JSON is cut after ${length} characters`, text.slice(0, length))),
    fc
      .constantFrom('x', ',', '}', ']', '{}', 'null', '"')
      .map((tail) => rejected(`the JSON is followed by ${tail}`, `${text}${tail}`)),
    fc.constant(rejected('the JSON uses single quotes', text.replace(/"/g, "'"))),
    fc.constant(rejected('the JSON starts with a byte order mark', `\ufeff${text}`)),
    fc.constant(rejected('the JSON has a comment', `/* keystore */${text}`)),
    fc
      .tuple(
        fc.nat({ max: text.length }),
        fc.constantFrom(
          [0xff],
          [0xc3, 0x28],
          [0xed, 0xa0, 0x80],
          [0xc0, 0xaf],
          [0xf8, 0x88, 0x80, 0x80, 0x80],
          [0xe2, 0x82],
        ),
      )
      .map(([at, bytes]) =>
        rejected(
          `the body holds the invalid UTF-8 bytes ${Buffer.from(bytes).toString('hex')}`,
          Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]),
        ),
      ),
  );
}

/** A valid body sent with a media type the operation does not take. */
function wrongMediaTypes(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/jsonx',
      'application/merge-patch+json',
    )
    .map((contentType) => ({
      mutation: `sent as ${contentType}`,
      contentType,
      payload: JSON.stringify(body),
      expectedStatus: 415 as const,
    }));
}

/** A body past the app's size limit (MUTATION_BODY_LIMIT). */
function oversizedBodies(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc
    .integer({ min: MUTATION_BODY_LIMIT + 1, max: MUTATION_BODY_LIMIT * 2 })
    .map((size) =>
      rejected(
        `the body is over ${MUTATION_BODY_LIMIT} bytes`,
        JSON.stringify(withTop(body, 'description', 'x'.repeat(size))),
        413,
      ),
    );
}

/** The kinds of breakage, each a way to break a valid body; `mutationOf` draws from all of them. */
export const MUTATION_FAMILIES: readonly (readonly [string, (body: KeystoreBody) => fc.Arbitrary<MutatedRequest>])[] = [
  ['wrong types', wrongTypes],
  ['numbers for strings', numbersForStrings],
  ['missing required fields', missingRequired],
  ['extra fields', extraFields],
  ['overlong strings', overlongStrings],
  ['deep nesting', deepNesting],
  ['invalid base64', invalidBase64],
  ['forbidden characters', forbiddenCharacters],
  ['bad values', badValues],
  ['non-object bodies', nonObjectBodies],
  ['malformed bodies', malformedBodies],
  ['wrong media types', wrongMediaTypes],
  ['oversized bodies', oversizedBodies],
];

/**
 * One broken request derived from a valid body: wrong types, missing or extra fields, long
 * strings, deep nesting, bad base64, forbidden characters, bad values, non-object, malformed,
 * wrongly typed or oversized bodies.
 *
 * @example
 * fc.asyncProperty(keystoreBody.chain(mutationOf), async (request) => { ... })
 */
export function mutationOf(body: KeystoreBody): fc.Arbitrary<MutatedRequest> {
  return fc.oneof(...MUTATION_FAMILIES.map(([, family]) => family(body)));
}
