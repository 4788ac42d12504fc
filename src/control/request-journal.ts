/**
 * A body longer than the journal's body limit, as kept: its size and the start of its JSON
 * text. The entry's `truncated` list names every body kept this way.
 */
export interface TruncatedBody {
  truncated: true;
  /** Length of the whole body's JSON text, in bytes (UTF-8). */
  bytes: number;
  /** The first bytes of that JSON text, up to the body limit (not parseable on its own). */
  preview: string;
}

/** The request as received, with credentials masked and keystore files reduced to a digest. */
export interface JournalRequest {
  /** Lower-cased names. Authorization, cookies and API keys keep only their scheme and last 4 characters. */
  headers: Record<string, string | string[]>;
  /** Parsed query parameters; repeated ones are arrays. */
  query: Record<string, unknown>;
  /** The parsed body (null when there was none), or a `TruncatedBody`. */
  body: unknown;
}

/** The response as sent. */
export interface JournalResponse {
  status: number;
  /** The headers actually sent, lower-cased names. */
  headers: Record<string, string>;
  /** The parsed JSON body, the text of a text reply, null for none, or a `TruncatedBody`. */
  body: unknown;
}

/** Which bodies of an entry were cut at the body limit. */
export type TruncatedField = 'request.body' | 'response.body';

/** One request as the journal remembers it. */
export interface JournalEntry {
  /** Position in the session's journal since its last reset, from 1. */
  sequence: number;
  time: string;
  method: string;
  path: string;
  operationId: string | null;
  session: string;
  scenario: string | null;
  status: number;
  durationMs: number;
  keystoreName: string | null;
  /** What the mock noticed about the request that the contract keeps out of the response body. */
  notes?: string[];
  request: JournalRequest;
  response: JournalResponse;
  /** Present when a body was cut at the body limit: which ones (each is then a `TruncatedBody`). */
  truncated?: TruncatedField[];
}

/** Which entries to return; every field narrows the result. */
export interface JournalFilter {
  operationId?: string;
  /** Any case: `post` matches `POST`. */
  method?: string;
  /** The exact path, or a prefix when it ends with `*` (`/apiops/projects/MyProject/*`). */
  path?: string;
  status?: number;
  /** The scenario that answered the request. */
  scenario?: string;
  /** The keystore the request named (in its path or body). */
  keystoreName?: string;
  /** At most this many entries, the newest ones. */
  limit?: number;
}

/**
 * Whether an entry passes a filter (every field but `limit`). The one test the memory and the
 * Redis journals share, so both filter alike.
 *
 * @example
 * entryMatches(entry, { method: 'post', path: '/apiops/projects/*' });
 */
export function entryMatches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.operationId !== undefined && entry.operationId !== filter.operationId) return false;
  if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.scenario !== undefined && entry.scenario !== filter.scenario) return false;
  if (filter.keystoreName !== undefined && entry.keystoreName !== filter.keystoreName) return false;
  return filter.path === undefined || pathMatches(entry.path, filter.path);
}

/** An exact path, or a prefix when the pattern ends with `*`. */
export function pathMatches(path: string, pattern: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** The newest `limit` entries of a list, oldest first; all of them without a limit. */
export function newest<T>(entries: T[], limit: number | undefined): T[] {
  return limit === undefined ? entries : entries.slice(Math.max(entries.length - limit, 0));
}

/**
 * The last N requests of one session, in a ring buffer: recording is O(1) and memory is bounded.
 *
 * @example
 * const journal = new RequestJournal(1000);
 * journal.record(entry);
 * journal.entries({ operationId: 'createKeystore' });
 */
export class RequestJournal {
  private readonly ring: (JournalEntry | undefined)[];
  private next = 0;
  private count = 0;
  private sequence = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<JournalEntry | undefined>(capacity);
  }

  /** Adds an entry, overwriting the oldest when full; returns it with its sequence (0 when the journal keeps none). */
  record(entry: Omit<JournalEntry, 'sequence'>): JournalEntry {
    if (this.capacity === 0) return { sequence: 0, ...entry };
    this.sequence += 1;
    const stored = { sequence: this.sequence, ...entry };
    this.ring[this.next] = stored;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
    return stored;
  }

  /** Matching entries, oldest first. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    const matches: JournalEntry[] = [];
    const start = (this.next - this.count + this.capacity) % Math.max(this.capacity, 1);
    for (let offset = 0; offset < this.count; offset += 1) {
      const entry = this.ring[(start + offset) % this.capacity];
      if (entry !== undefined && entryMatches(entry, filter)) matches.push(entry);
    }
    return newest(matches, filter.limit);
  }

  /** How many entries are held. */
  size(): number {
    return this.count;
  }

  /** Forgets every entry; returns how many there were. */
  clear(): number {
    const cleared = this.count;
    this.ring.fill(undefined);
    this.next = 0;
    this.count = 0;
    this.sequence = 0;
    return cleared;
  }
}
