import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const DOCUMENTS = ['keystore-api.yaml', 'control-plane.yaml'];
/** The most backtracking steps the bounded quantifiers of one pattern may add per input character. */
const MAX_BOUNDED_PRODUCT = 1_000;

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

/** How one atom (a character, an escape or a class) may repeat. */
interface Repeat {
  atom: string;
  min: number;
  /** Infinity for `*`, `+` and `{m,}`. */
  max: number;
}

/** Where a pattern leaves the linear form, and why. */
class NotLinear extends Error {}

/** The length of the escape that starts at `at` (a backslash); backreferences are refused. */
function escapeLength(pattern: string, at: number): number {
  const next = pattern[at + 1];
  if (next === undefined) throw new NotLinear('it ends in a lone backslash');
  if (/[1-9]/.test(next) || next === 'k') throw new NotLinear(`it holds the backreference \\${next}`);
  if (next === 'u' && pattern[at + 2] === '{') return pattern.indexOf('}', at) - at + 1;
  if (next === 'u') return 6;
  if (next === 'x') return 4;
  if (next === 'c' || next === 'p' || next === 'P') {
    return next === 'c' ? 3 : pattern.indexOf('}', at) - at + 1;
  }
  return 2;
}

/** The length of the character class that starts at `at` (an opening bracket). */
function classLength(pattern: string, at: number): number {
  let index = at + 1;
  if (pattern[index] === '^') index += 1;
  if (pattern[index] === ']') index += 1;
  while (index < pattern.length && pattern[index] !== ']') {
    index += pattern[index] === '\\' ? escapeLength(pattern, index) : 1;
  }
  if (index >= pattern.length) throw new NotLinear('a character class is not closed');
  return index - at + 1;
}

/** The quantifier at `at`, if any, and its length. */
function quantifierAt(pattern: string, at: number): { min: number; max: number; length: number } {
  const simple = { '*': [0, Infinity], '+': [1, Infinity], '?': [0, 1] }[pattern[at] ?? ''];
  let found = simple === undefined ? undefined : { min: simple[0] ?? 0, max: simple[1] ?? 0, length: 1 };
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
  if (braces !== null) {
    const min = Number(braces[1]);
    const max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
    found = { min, max, length: braces[0].length };
  }
  if (found === undefined) return { min: 1, max: 1, length: 0 };
  // A lazy quantifier explores the same choices in another order.
  return pattern[at + found.length] === '?' ? { ...found, length: found.length + 1 } : found;
}

/** Whether the pattern ends with an unescaped `$`. */
function endsWithAnchor(pattern: string): boolean {
  const trailingBackslashes = /\\*\$$/.exec(pattern)?.[0].length ?? 0;
  return pattern.endsWith('$') && trailingBackslashes % 2 === 1;
}

/**
 * Reads a pattern as an optional `^`, a sequence of repeated atoms and an optional `$`; throws
 * NotLinear on anything else (groups, alternation, lookaround, backreferences).
 */
function repeatsOf(pattern: string): { anchored: boolean; repeats: Repeat[] } {
  const anchored = pattern.startsWith('^');
  const body = pattern.slice(anchored ? 1 : 0, endsWithAnchor(pattern) ? -1 : undefined);
  const repeats: Repeat[] = [];
  let index = 0;
  while (index < body.length) {
    const char = body[index] as string;
    if ('()|'.includes(char)) throw new NotLinear(`it holds "${char}" (a group or an alternation)`);
    if ('^$*+?{'.includes(char)) throw new NotLinear(`"${char}" stands where a character or class should`);
    const atomLength = char === '[' ? classLength(body, index) : char === '\\' ? escapeLength(body, index) : 1;
    const atom = body.slice(index, index + atomLength);
    const { min, max, length } = quantifierAt(body, index + atomLength);
    repeats.push({ atom, min, max });
    index += atomLength + length;
  }
  return { anchored, repeats };
}

/**
 * Why a pattern could make a backtracking engine (V8's, which Ajv's compiled patterns run on)
 * take more than linear time, or undefined when it cannot. A sequence of single-character
 * atoms has no nested repetition, so it never backtracks exponentially; with at most one
 * unbounded repetition, each input character is tried against at most the product of the
 * bounded repetitions' ranges, a constant. Without `^` the engine starts over at every
 * position, so an unbounded repetition would rescan the rest of the input each time.
 *
 * @example
 * superLinearRisk('^[a-z]+$') // undefined
 * superLinearRisk('^(a+)+$') // 'it holds "(" (a group or an alternation)'
 */
function superLinearRisk(pattern: string): string | undefined {
  let read: ReturnType<typeof repeatsOf>;
  try {
    read = repeatsOf(pattern);
  } catch (error) {
    if (error instanceof NotLinear) return error.message;
    throw error;
  }
  const { anchored, repeats } = read;
  const unbounded = repeats.filter((repeat) => repeat.max === Infinity);
  if (unbounded.length > 1) {
    return `${unbounded.map((repeat) => repeat.atom).join(' and ')} both repeat without bound`;
  }
  if (!anchored && unbounded.length > 0) {
    return `${unbounded.map((repeat) => repeat.atom).join('')} repeats without bound and the pattern lacks ^`;
  }
  const product = repeats
    .filter((repeat) => repeat.max !== Infinity)
    .reduce((total, repeat) => total * (repeat.max - repeat.min + 1), 1);
  if (product > MAX_BOUNDED_PRODUCT) {
    return `its bounded repetitions allow ${product} ways per character (at most ${MAX_BOUNDED_PRODUCT})`;
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

  it.each([
    ['^(a+)+$', 'it holds "(" (a group or an alternation)'],
    ['^(a|aa)*$', 'it holds "(" (a group or an alternation)'],
    ['^a*a*$', 'a and a both repeat without bound'],
    ['^[a-z]+\\d+$', '[a-z] and \\d both repeat without bound'],
    ['^a{1,100}b{1,100}$', 'its bounded repetitions allow 10000 ways per character (at most 1000)'],
    ['^(a)\\1$', 'it holds "(" (a group or an alternation)'],
    ['^a\\1$', 'it holds the backreference \\1'],
    ['[a-z]+$', '[a-z] repeats without bound and the pattern lacks ^'],
    ['a+b', 'a repeats without bound and the pattern lacks ^'],
  ])('flags %s as a risk: %s', (pattern, why) => {
    expect(superLinearRisk(pattern)).toBe(why);
  });

  it.each([
    '^[A-Za-z]{1,10}$',
    '^[^\\s/\\u0000-\\u001F]+$',
    '^[A-Za-z0-9+/]*={0,2}$',
    '^[\\]a-]+x?$',
    '^\\u{1F511}\\x41\\.+$',
    '^[a-z]+',
    '^Hello ',
    'ab{1,3}\\$',
  ])('reads %s as linear', (pattern) => {
    expect(superLinearRisk(pattern)).toBeUndefined();
  });

  it.each(PATTERNS)('$where is matched in linear time ($pattern)', ({ pattern }) => {
    // Ajv compiles patterns with the unicode flag (unicodeRegExp): the pattern must compile so.
    expect(() => new RegExp(pattern, 'u')).not.toThrow();
    expect(superLinearRisk(pattern)).toBeUndefined();
  });
});
