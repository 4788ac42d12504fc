import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const DOCUMENTS = ['keystore-api.yaml', 'control-plane.yaml'];
const LENGTH = 100_000;
/** Generous: a linear scan of 100,000 characters takes about a millisecond; backtracking takes seconds to hours. */
const BOUND_MS = 200;

/** Characters valid for some patterns and invalid for others, so every pattern meets both kinds. */
const PROBES = [
  'a',
  'Z',
  '0',
  '+',
  '/',
  '=',
  '-',
  '.',
  ':',
  '_',
  'é',
  '🔑',
  ' ',
  '\t',
  '\n',
  '\u0000',
  '\u007f',
  '\ud800',
];
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

interface FoundPattern {
  where: string;
  pattern: string;
}

/** Every string-valued `pattern` keyword of a document, with where it sits. */
function patternsOf(node: unknown, where: string, found: FoundPattern[]): FoundPattern[] {
  if (Array.isArray(node)) {
    node.forEach((item, index) => patternsOf(item, `${where}[${index}]`, found));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.push({ where, pattern: value });
      else patternsOf(value, `${where}.${key}`, found);
    }
  }
  return found;
}

const PATTERNS = DOCUMENTS.flatMap((file) =>
  patternsOf(yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'openapi', file), 'utf8')), file, []),
);

/** Builds an adversarial input of about `length` characters. */
type InputOf = (length: number) => string;

/**
 * The lengths each input is tried at, shortest first: every length up to 64, then doubling up to
 * LENGTH. A catastrophic pattern is caught at the first length that is slow, before a longer
 * input could hang the test (one more character at most doubles an exponential backtrack).
 */
const LADDER = [
  ...Array.from({ length: 64 }, (_, index) => index + 1),
  ...Array.from({ length: 10 }, (_, index) => 128 * 2 ** index),
  LENGTH,
];

function repeatedThenOther(): InputOf[] {
  return PROBES.flatMap((valid) => PROBES.map((other) => (length: number) => `${valid.repeat(length)}${other}`));
}

function alternations(): InputOf[] {
  return PROBES.flatMap((first) =>
    PROBES.filter((second) => second !== first).map(
      (second) => (length: number) => `${first}${second}`.repeat(Math.ceil(length / 2)).slice(0, length),
    ),
  );
}

function base64Traps(): InputOf[] {
  /** Exactly `length` characters (a multiple of 4 for `quads`), so no rung overshoots the ladder. */
  const alphabet = (length: number) =>
    BASE64_ALPHABET.repeat(Math.ceil(length / BASE64_ALPHABET.length)).slice(0, length);
  const quads = (length: number) => 'AAAA'.repeat(Math.max(1, Math.floor(length / 4)));
  const cycle = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return [
    (length) => `${alphabet(length)}=`,
    (length) => `${alphabet(length)}A=`,
    (length) => `${alphabet(length)}===`,
    (length) => `${alphabet(length)}=A`,
    (length) => `=${alphabet(length)}`,
    (length) => `${alphabet(Math.ceil(length / 2))}=${alphabet(Math.floor(length / 2))}`,
    (length) => cycle('QQ==', length),
    (length) => cycle('AAA=', length),
    (length) => `${'A'.repeat(length)}=`,
    (length) => `${quads(length)}AA=`,
    (length) => `${quads(length)}A===`,
    (length) => `${quads(length)}AAAAA`,
    (length) => `${quads(length)} `,
    (length) => `${quads(length)}\n`,
    (length) => cycle('A=', length),
    (length) => cycle('AA=A', length),
  ];
}

const FAMILIES: [string, () => InputOf[]][] = [
  ['a long run of one character followed by another', repeatedThenOther],
  ['two characters alternating', alternations],
  ['base64 with padding in the wrong place', base64Traps],
];

/**
 * Times each match up the ladder of lengths; returns the first input (described) that took too
 * long, so a catastrophic pattern fails the test in about a second instead of stalling it.
 */
function firstSlowMatch(regex: RegExp, inputs: readonly InputOf[]): string | undefined {
  for (const inputOf of inputs) {
    for (const length of LADDER) {
      const input = inputOf(length);
      const started = process.hrtime.bigint();
      regex.test(input);
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (elapsedMs >= BOUND_MS) {
        return `${JSON.stringify(input.slice(0, 12))}… (${input.length} chars): ${elapsedMs.toFixed(0)} ms`;
      }
    }
  }
  return undefined;
}

describe('the ReDoS check of the patterns of the OpenAPI documents', () => {
  it('covers the keystore name, file and description patterns and the session pattern', () => {
    const where = PATTERNS.map((found) => found.where);
    expect(where).toEqual(
      expect.arrayContaining([
        'keystore-api.yaml.components.schemas.KeystoreName',
        'keystore-api.yaml.components.schemas.KeystoreFile',
        'keystore-api.yaml.components.schemas.KeystoreInput.properties.description',
        'control-plane.yaml.components.parameters.Session.schema',
      ]),
    );
  });

  it('catches a catastrophic pattern such as ^(a+)+$ within the ladder, before it can hang', () => {
    expect(firstSlowMatch(/^(a+)+$/u, repeatedThenOther())).toMatch(/^"a+"… \(\d+ chars\): \d+ ms$/);
  });

  describe.each(PATTERNS)('$where', ({ pattern }) => {
    // Ajv compiles patterns with the unicode flag (unicodeRegExp).
    const regex = new RegExp(pattern, 'u');

    it.each(FAMILIES)(`decides on %s, up to ${LENGTH} characters, within ${BOUND_MS} ms`, (_family, inputs) => {
      expect(firstSlowMatch(regex, inputs())).toBeUndefined();
    });
  });
});
