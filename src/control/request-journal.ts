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
}

/** Which entries to return; every field narrows the result. */
export interface JournalFilter {
  operationId?: string;
  method?: string;
  status?: number;
  /** At most this many entries, the newest ones. */
  limit?: number;
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

  /** Adds an entry, overwriting the oldest when full. */
  record(entry: Omit<JournalEntry, 'sequence'>): void {
    if (this.capacity === 0) return;
    this.sequence += 1;
    this.ring[this.next] = { sequence: this.sequence, ...entry };
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  /** Matching entries, oldest first. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    const method = filter.method?.toUpperCase();
    const matches: JournalEntry[] = [];
    const start = (this.next - this.count + this.capacity) % Math.max(this.capacity, 1);
    for (let offset = 0; offset < this.count; offset += 1) {
      const entry = this.ring[(start + offset) % this.capacity];
      if (entry === undefined) continue;
      if (filter.operationId !== undefined && entry.operationId !== filter.operationId) continue;
      if (method !== undefined && entry.method !== method) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      matches.push(entry);
    }
    return filter.limit === undefined ? matches : matches.slice(Math.max(matches.length - filter.limit, 0));
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
