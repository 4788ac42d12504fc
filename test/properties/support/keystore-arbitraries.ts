import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';

/** One environment entry of a keystore body. */
export interface EnvironmentEntry {
  environmentName: string;
  type: 'JKS' | 'PKCS12';
  file: string;
}

/** A create or update body as a client sends it. */
export interface KeystoreBody {
  name: string;
  description?: string;
  keyStoreEnvironmentList: EnvironmentEntry[];
}

/** The environments every fixture project has. */
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

/** The fixture projects and their ids (fixtures/world.yaml). */
export const PROJECT_IDS = {
  MyProject: '64f0c0ffee00000000000001',
  OtherProject: '64f0c0ffee00000000000002',
} as const;

export type ProjectName = keyof typeof PROJECT_IDS;

const DOCUMENT_PATH = path.join(__dirname, '..', '..', '..', 'openapi', 'keystore-api.yaml');

/**
 * A `pattern` of a schema of the served document (of one of its properties when named),
 * compiled as Ajv compiles it (unicode flag), so the generators below are checked against the
 * document rather than a copy of its rules.
 *
 * @example
 * schemaPattern('KeystoreName').test('my-keystore') // true
 * schemaPattern('KeystoreInput', 'description').test('a\tb') // true
 */
export function schemaPattern(schema: string, property?: string): RegExp {
  const document = yaml.load(fs.readFileSync(DOCUMENT_PATH, 'utf8')) as {
    components: { schemas: Record<string, { pattern?: string; properties?: Record<string, { pattern?: string }> }> };
  };
  const found = document.components.schemas[schema];
  const pattern = property === undefined ? found?.pattern : found?.properties?.[property]?.pattern;
  if (pattern === undefined) {
    throw new Error(
      `openapi/keystore-api.yaml has no pattern on ${schema}${property === undefined ? '' : `.${property}`}.`,
    );
  }
  return new RegExp(pattern, 'u');
}

/** Printable ASCII without space and "/". */
const ASCII_NAME_CHARS = [
  ...'!"#$%&\'()*+,-.0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
];

/** Letters and punctuation of other scripts, including characters outside the BMP. */
const UNICODE_NAME_CHARS = [...'éßñøłğжключяΩλ中文日本한글عשก€£¿¡«»—…·', '🔑', '😀', '𝔘', '𠀀', '🇫'];

/** Any code point from U+00A0 up that is neither a surrogate nor whitespace (C0 and C1 controls lie below). */
const anyVisibleChar = fc
  .integer({ min: 0xa0, max: 0x10ffff })
  .filter((codePoint) => codePoint < 0xd800 || codePoint > 0xdfff)
  .map((codePoint) => String.fromCodePoint(codePoint))
  .filter((char) => !/\s/u.test(char));

/** One character a keystore name may hold. */
export const nameChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ASCII_NAME_CHARS) },
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE_NAME_CHARS) },
  { weight: 1, arbitrary: anyVisibleChar },
);

/**
 * A valid keystore name: `minCodePoints` to `maxCodePoints` code points (Ajv counts code points,
 * not UTF-16 units) from the safe alphabet; `size: 'max'` spreads lengths over the whole range.
 */
export function nameOf(minCodePoints: number, maxCodePoints: number, size?: fc.SizeForArbitrary): fc.Arbitrary<string> {
  return fc
    .array(nameChar, { minLength: minCodePoints, maxLength: maxCodePoints, size })
    .map((chars) => chars.join(''));
}

/** A valid keystore name, 1 to 200 code points: mostly short, often long, sometimes exactly 200. */
export const keystoreName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nameOf(1, 200) },
  { weight: 2, arbitrary: nameOf(1, 200, 'max') },
  { weight: 1, arbitrary: nameOf(200, 200) },
);

/** The controls the description pattern refuses: C0 but tab, LF and CR; DEL; and C1. */
function isRefusedControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x7f && code <= 0x9f) return true;
  return code <= 0x1f && code !== 0x09 && code !== 0x0a && code !== 0x0d;
}

/** Free text the description pattern allows: refused controls are turned into tabs. */
export const description: fc.Arbitrary<string> = fc
  .string({ unit: 'binary', maxLength: 300, size: 'medium' })
  .map((text) => Array.from(text, (char) => (isRefusedControl(char) ? '\t' : char)).join(''));

/** Standard padded base64 of 1 to 64 random bytes. */
export const keystoreFile: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 1, maxLength: 64, size: 'medium' })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

/** 1 to 3 distinct environments of the fixture projects, in random order, each with a type and a file. */
export const environmentList: fc.Arbitrary<EnvironmentEntry[]> = fc
  .shuffledSubarray([...ENVIRONMENTS], { minLength: 1 })
  .chain((names) =>
    fc.tuple(
      ...names.map((environmentName) =>
        fc.record({
          environmentName: fc.constant(environmentName),
          type: fc.constantFrom<'JKS' | 'PKCS12'>('JKS', 'PKCS12'),
          file: keystoreFile,
        }),
      ),
    ),
  );

/** A valid keystore body with the given name arbitrary; the description is left out half of the time. */
export function keystoreBodyNamed(name: fc.Arbitrary<string>): fc.Arbitrary<KeystoreBody> {
  return fc
    .tuple(name, fc.option(description, { freq: 2, nil: undefined }), environmentList)
    .map(([keystoreName, text, keyStoreEnvironmentList]) =>
      text === undefined
        ? { name: keystoreName, keyStoreEnvironmentList }
        : { name: keystoreName, description: text, keyStoreEnvironmentList },
    );
}

/** A valid keystore body built from the schema's rules. */
export const keystoreBody: fc.Arbitrary<KeystoreBody> = keystoreBodyNamed(keystoreName);

/**
 * The stored form the API returns: the body's fields in the contract's order plus projectId.
 *
 * @example
 * expect(res.body.resultList[0]).toStrictEqual(storedForm(body, 'MyProject'));
 */
export function storedForm(body: KeystoreBody, project: ProjectName): Record<string, unknown> {
  const keyStoreEnvironmentList = body.keyStoreEnvironmentList.map(({ environmentName, type, file }) => ({
    environmentName,
    type,
    file,
  }));
  return body.description === undefined
    ? { name: body.name, keyStoreEnvironmentList, projectId: PROJECT_IDS[project] }
    : { name: body.name, description: body.description, keyStoreEnvironmentList, projectId: PROJECT_IDS[project] };
}
