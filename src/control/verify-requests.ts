import { errors, type FieldError } from '../errors';
import { redactBody } from './journal-capture';
import { pathMatches, type JournalEntry } from './request-journal';

/** What a verification looks for, and how many times. */
export interface RequestPattern {
  operationId?: string;
  /** Any case. */
  method?: string;
  /** The exact path, or a prefix when it ends with `*`. */
  path?: string;
  status?: number;
  /**
   * A JSON subset of the request body: objects match when each of their keys matches, arrays
   * element by element with the same length, other values when equal. A keystore `file` may be
   * given as its base64 content or as (part of) its `{bytes, sha256}` record.
   */
  body?: unknown;
}

/** How many matching requests make the verification pass; at most one of `times` and the others. */
export interface CountExpectation {
  /** Exactly this many. */
  times?: number;
  /** At least this many (the default is 1 when no count is given). */
  atLeast?: number;
  /** At most this many; may go with `atLeast`. */
  atMost?: number;
}

/** A pattern and its count, as `POST /__mock/verify` and `verify()` take them. */
export type Verification = RequestPattern & CountExpectation;

/** One way an entry differs from the pattern. `actual` is absent when the entry has no such field. */
export interface Difference {
  /** Where, such as `status` or `body.keyStoreEnvironmentList[0].type`. */
  field: string;
  expected: unknown;
  actual?: unknown;
}

/** A journal entry, in brief. */
export interface EntrySummary {
  sequence: number;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
}

/** An entry that came close, and what kept it from matching. */
export interface NearMiss extends EntrySummary {
  differences: Difference[];
}

/** What a verification found. */
export interface VerificationOutcome {
  /** Whether the count held. */
  ok: boolean;
  matched: number;
  /** The pattern and the count, as checked (the default count filled in). */
  expected: RequestPattern & { count: CountExpectation };
  /** When too few matched: the closest entries, fewest differences first. */
  nearMisses: NearMiss[];
  /** When too many matched: the matching entries (the first few). */
  matches: EntrySummary[];
  /** One sentence a person reads in a test failure, the closest near-miss (or the extra matches) included. */
  description: string;
  /** The first sentence of the description alone: what was expected and how many matched. */
  headline: string;
}

/** How many near-misses (or extra matches) a failure lists. */
const LISTED = 3;

/**
 * The count options that may not go together, as field errors (empty when they are fine):
 * `times` excludes `atLeast` and `atMost`; `atLeast` may not exceed `atMost`.
 *
 * @example
 * checkCount({ times: 1, atLeast: 1 }); // [{ field: 'times', message: '...' }]
 */
export function checkCount(count: CountExpectation): FieldError[] {
  const problems: FieldError[] = [];
  if (count.times !== undefined && (count.atLeast !== undefined || count.atMost !== undefined)) {
    problems.push({
      field: 'times',
      message: 'cannot go with atLeast or atMost: give times for an exact count, or atLeast and/or atMost for a range',
    });
  }
  if (count.atLeast !== undefined && count.atMost !== undefined && count.atLeast > count.atMost) {
    problems.push({ field: 'atLeast', message: `must not exceed atMost (${count.atLeast} > ${count.atMost})` });
  }
  return problems;
}

function describeValue(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function isDigest(value: object): value is { bytes: unknown; sha256: unknown } {
  const keys = Object.keys(value);
  return keys.length === 2 && 'bytes' in value && 'sha256' in value;
}

function sameDigest(a: { bytes: unknown; sha256: unknown }, b: { bytes: unknown; sha256: unknown }): boolean {
  return a.bytes === b.bytes && a.sha256 === b.sha256;
}

/** How many values of the pattern a difference stands for: all of them when the entry had nothing alike there. */
function weight(difference: Difference): number {
  const leaves = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1;
    const inner = Object.values(value as Record<string, unknown>);
    return inner.length === 0 ? 1 : inner.reduce<number>((sum, item) => sum + leaves(item), 0);
  };
  const { expected, actual } = difference;
  return !('actual' in difference) || kind(expected) !== kind(actual) ? leaves(expected) : 1;
}

const IDENTITY = new Set(['operationId', 'method', 'path']);

/**
 * How far an entry is from the pattern: the pattern's values it misses; among equals, one on
 * another operation, method or path is further.
 */
function distance(differences: readonly Difference[]): [number, number] {
  const total = differences.reduce((sum, difference) => sum + weight(difference), 0);
  return [total, differences.filter(({ field }) => IDENTITY.has(field)).length];
}

/** Where `pattern` and `actual` differ, the pattern being a JSON subset of `actual`. */
function subsetDifferences(pattern: unknown, actual: unknown, field: string): Difference[] {
  const differ = (): Difference[] => [
    actual === undefined ? { field, expected: pattern } : { field, expected: pattern, actual },
  ];
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length) return differ();
    return pattern.flatMap((item, index) => subsetDifferences(item, actual[index], `${field}[${index}]`));
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return differ();
    // A keystore file's digest is one value: it matches or not, whatever part of it differs.
    if (isDigest(pattern)) return isDigest(actual) && sameDigest(pattern, actual) ? [] : differ();
    const record = actual as Record<string, unknown>;
    return Object.entries(pattern as Record<string, unknown>).flatMap(([key, inner]) =>
      subsetDifferences(inner, record[key], `${field}.${key}`),
    );
  }
  return pattern === actual ? [] : differ();
}

/**
 * Every way an entry differs from a pattern; none means it matches. The pattern's body is
 * redacted as the journal's bodies are, so a keystore file given as base64 meets its digest.
 *
 * @example
 * entryDifferences(entry, { operationId: 'createKeystore', body: { name: 'x' } }, undefined);
 * // [{ field: 'body.name', expected: 'x', actual: 'y' }]
 */
export function entryDifferences(
  entry: JournalEntry,
  pattern: RequestPattern,
  adminToken: string | undefined,
): Difference[] {
  const differences: Difference[] = [];
  if (pattern.operationId !== undefined && entry.operationId !== pattern.operationId) {
    differences.push({ field: 'operationId', expected: pattern.operationId, actual: entry.operationId });
  }
  if (pattern.method !== undefined && entry.method !== pattern.method.toUpperCase()) {
    differences.push({ field: 'method', expected: pattern.method.toUpperCase(), actual: entry.method });
  }
  if (pattern.path !== undefined && !pathMatches(entry.path, pattern.path)) {
    differences.push({ field: 'path', expected: pattern.path, actual: entry.path });
  }
  if (pattern.status !== undefined && entry.status !== pattern.status) {
    differences.push({ field: 'status', expected: pattern.status, actual: entry.status });
  }
  if (pattern.body !== undefined) {
    const expected = redactBody(pattern.body, adminToken);
    if (entry.truncated?.includes('request.body') === true) {
      differences.push({ field: 'body', expected, actual: entry.request.body });
    } else {
      differences.push(...subsetDifferences(expected, entry.request.body, 'body'));
    }
  }
  return differences;
}

function summary(entry: JournalEntry): EntrySummary {
  const { sequence, method, path, operationId, status } = entry;
  return { sequence, method, path, operationId, status };
}

function countText(count: CountExpectation): string {
  if (count.times !== undefined) return `exactly ${count.times}`;
  if (count.atLeast !== undefined && count.atMost !== undefined) return `${count.atLeast} to ${count.atMost}`;
  if (count.atMost !== undefined) return `at most ${count.atMost}`;
  return `at least ${count.atLeast ?? 1}`;
}

/**
 * The pattern in words, for messages: `POST createKeystore with body {"name":"x"}`.
 *
 * @example
 * describePattern({ operationId: 'createKeystore', body: { name: 'x' } });
 */
export function describePattern(pattern: RequestPattern): string {
  const parts: string[] = [];
  if (pattern.method !== undefined) parts.push(pattern.method.toUpperCase());
  if (pattern.operationId !== undefined) parts.push(pattern.operationId);
  if (pattern.path !== undefined) parts.push(`on ${pattern.path}`);
  if (pattern.status !== undefined) parts.push(`answered ${pattern.status}`);
  if (pattern.body !== undefined) parts.push(`with body ${JSON.stringify(pattern.body)}`);
  return parts.length === 0 ? 'any request' : parts.join(' ');
}

/** One difference in words: `body.name: expected "x", got "y"`. */
export function describeDifference(difference: Difference): string {
  const { field, expected, actual } = difference;
  if (!('actual' in difference)) return `${field}: expected ${describeValue(expected)}, got nothing`;
  const sameKind = kind(expected) === kind(actual);
  const got = sameKind ? describeValue(actual) : `${kind(actual)} ${describeValue(actual)}`;
  return `${field}: expected ${describeValue(expected)}, got ${got}`;
}

/** An entry summary in words: `#3 POST /apiops/... (createKeystore, 200)`. */
export function describeEntry(entry: EntrySummary): string {
  return `#${entry.sequence} ${entry.method} ${entry.path} (${entry.operationId ?? 'no operation'}, ${entry.status})`;
}

function headline(pattern: RequestPattern, count: CountExpectation, matched: number, total: number): string {
  const range = count.atLeast !== undefined && count.atMost !== undefined;
  const wanted = count.times ?? count.atMost ?? count.atLeast ?? 1;
  const requests = `${countText(count)} request${wanted === 1 && !range ? '' : 's'}`;
  return `Expected ${requests} matching ${describePattern(pattern)}, but ${matched} of the ${total} in the journal matched.`;
}

function sentence(
  pattern: RequestPattern,
  count: CountExpectation,
  matched: number,
  total: number,
  nearMisses: NearMiss[],
): string {
  const [closest] = nearMisses;
  if (closest === undefined) return headline(pattern, count, matched, total);
  const differences = closest.differences.map(describeDifference).join('; ');
  return `${headline(pattern, count, matched, total)} Closest: ${describeEntry(closest)}: ${differences}.`;
}

/**
 * Counts the journal entries that match a pattern and checks the count; when it fails, says
 * why in one sentence and lists the closest entries with what differed (as WireMock does).
 *
 * @example
 * const outcome = verifyEntries(await session.journal.entries(), { operationId: 'createKeystore', times: 1 }, undefined);
 * if (!outcome.ok) throw new Error(outcome.description);
 */
export function verifyEntries(
  entries: readonly JournalEntry[],
  verification: Verification,
  adminToken: string | undefined,
): VerificationOutcome {
  const { times, atLeast, atMost, ...pattern } = verification;
  const count: CountExpectation =
    times !== undefined
      ? { times }
      : atLeast === undefined && atMost === undefined
        ? { atLeast: 1 }
        : { atLeast, atMost };
  if (count.atLeast === undefined) delete count.atLeast;
  if (count.atMost === undefined) delete count.atMost;
  const scored = entries.map((entry) => ({ entry, differences: entryDifferences(entry, pattern, adminToken) }));
  const matching = scored.filter(({ differences }) => differences.length === 0).map(({ entry }) => entry);
  const matched = matching.length;
  const least = count.times ?? count.atLeast ?? 0;
  const most = count.times ?? count.atMost ?? Number.POSITIVE_INFINITY;
  const tooFew = matched < least;
  const tooMany = matched > most;
  const nearMisses = tooFew
    ? scored
        .filter(({ differences }) => differences.length > 0)
        .map((miss) => ({ ...miss, distance: distance(miss.differences) }))
        // Closest first; among equals, the newest first.
        .sort(
          (a, b) =>
            a.distance[0] - b.distance[0] || a.distance[1] - b.distance[1] || b.entry.sequence - a.entry.sequence,
        )
        .slice(0, LISTED)
        .map(({ entry, differences }) => ({ ...summary(entry), differences }))
    : [];
  const matches = tooMany ? matching.slice(0, LISTED).map(summary) : [];
  let description = sentence(pattern, count, matched, entries.length, nearMisses);
  if (tooMany) description = `${description} Matched: ${matches.map(describeEntry).join(', ')}.`;
  return {
    ok: !tooFew && !tooMany,
    matched,
    expected: { ...pattern, count },
    nearMisses,
    matches,
    description,
    headline: headline(pattern, count, matched, entries.length),
  };
}

/**
 * A failed verification as a person reads it in a test report: what was expected, how many
 * matched, and each near-miss (or extra match) on its own lines.
 *
 * @example
 * throw new Error(verificationReport(outcome));
 */
export function verificationReport(outcome: Pick<VerificationOutcome, 'headline' | 'nearMisses' | 'matches'>): string {
  const lines = [outcome.headline];
  if (outcome.nearMisses.length > 0) {
    lines.push('', 'Closest requests:');
    for (const miss of outcome.nearMisses) {
      lines.push(`  ${describeEntry(miss)}`);
      for (const difference of miss.differences) lines.push(`    - ${describeDifference(difference)}`);
    }
  }
  if (outcome.matches.length > 0) {
    lines.push('', 'Matching requests:');
    for (const match of outcome.matches) lines.push(`  ${describeEntry(match)}`);
  }
  return lines.join('\n');
}

/**
 * The error `verify()` throws when the count does not hold: its message is the whole report,
 * readable on its own in a test failure; `outcome` keeps the details for code.
 *
 * @example
 * try { await mock.verify({ operationId: 'createKeystore' }); } catch (error) { if (error instanceof VerificationError) ... }
 */
export class VerificationError extends Error {
  constructor(readonly outcome: VerificationOutcome) {
    super(verificationReport(outcome));
    this.name = 'VerificationError';
  }
}

/**
 * Checks a verification against a journal the way `POST /__mock/verify` does, for the
 * programmatic API: resolves `{matched}`, or throws the count problem or a `VerificationError`.
 *
 * @example
 * await verifyJournal(session.journal.entries(), { operationId: 'createKeystore', times: 1 }, undefined);
 */
export async function verifyJournal(
  entries: Promise<JournalEntry[]>,
  verification: Verification,
  adminToken: string | undefined,
): Promise<{ matched: number }> {
  const problems = checkCount(verification);
  if (problems.length > 0) throw errors.validationFailed(problems);
  const outcome = verifyEntries(await entries, verification, adminToken);
  if (!outcome.ok) throw new VerificationError(outcome);
  return { matched: outcome.matched };
}
