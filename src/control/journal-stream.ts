import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { authorizationHeader, singleHeader } from '../http/edge';
import { errorReply, sendReply } from '../http/reply';
import { SESSION_EVICTED_HEADER } from '../sessions/session-registry';
import type { WorldStore } from '../store/world-store';
import { assertAdmin } from './control-api';
import type { JournalEntry } from './request-journal';

/** How the feed behaves; the defaults suit a browser behind a proxy. */
export interface JournalFeedOptions {
  store: WorldStore;
  logger: Logger;
  adminToken: string | undefined;
  /** True once the server is shutting down: refuse new streams. */
  closing: () => boolean;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  heartbeatMs?: number;
  /** With a shared store (Redis), how often the journal is read for other replicas' entries. */
  pollMs?: number;
  /** How long a browser waits before reconnecting, sent as `retry:`. */
  retryMs?: number;
}

/** The last entry a stream sent: its sequence, and its time to tell a restarted journal from the same one. */
interface Sent {
  sequence: number;
  time: string | undefined;
}

interface Stream {
  sessionId: string;
  res: ServerResponse;
  last: Sent;
  syncing: boolean;
  again: boolean;
  timers: NodeJS.Timeout[];
}

const HEARTBEAT_MS = 15_000;
const POLL_MS = 500;
const RETRY_MS = 2_000;

function entryEvent(entry: JournalEntry): string {
  return `id: ${entry.sequence}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`;
}

/** The `session` query parameter of a raw request, which wins over the header as in every control call. */
function sessionParameter(req: IncomingMessage): string | undefined {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return undefined;
  return new URLSearchParams(url.slice(queryAt + 1)).get('session') ?? undefined;
}

/**
 * Which entries a stream still owes, and whether the journal restarted (cleared or reset, so
 * sequences began again) since the last one it sent.
 *
 * @example
 * journalDelta([{ sequence: 1, time: 't2', ... }], { sequence: 3, time: 't1' }) // { restarted: true, fresh: [entry 1] }
 */
export function journalDelta(
  entries: readonly JournalEntry[],
  last: Sent,
): { restarted: boolean; fresh: JournalEntry[] } {
  const newest = entries.at(-1);
  const same = entries.find((entry) => entry.sequence === last.sequence);
  const restarted =
    last.sequence > 0 &&
    (newest === undefined ||
      newest.sequence < last.sequence ||
      (same !== undefined && last.time !== undefined && same.time !== last.time));
  const after = restarted ? 0 : last.sequence;
  return { restarted, fresh: entries.filter((entry) => entry.sequence > after) };
}

/**
 * The live request journal as server-sent events. Each open stream reads its session's journal
 * again whenever told something changed (an entry recorded, a clear, a reset), and, with a
 * shared store, every half second for what other replicas recorded; it sends only what is new,
 * by sequence, so an entry is never sent twice. The state lives in the app that owns the feed.
 *
 * @example
 * const feed = new JournalFeed({ store, logger, adminToken, closing });
 * app.get('/__mock/requests/stream', feed.handler());
 * feed.notify('default'); // after an entry of the default session is stored
 */
export class JournalFeed {
  private readonly streams = new Set<Stream>();
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: JournalFeedOptions) {
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.pollMs = options.pollMs ?? POLL_MS;
    this.retryMs = options.retryMs ?? RETRY_MS;
  }

  /** How many streams are open. */
  size(): number {
    return this.streams.size;
  }

  /** Something changed in a session's journal (every session's when the id is undefined): streams on it catch up. */
  notify(sessionId?: string): void {
    for (const stream of this.streams) {
      if (sessionId === undefined || stream.sessionId === sessionId) this.sync(stream);
    }
  }

  /** Ends every stream, so a server that is closing is not held open by them. */
  closeAll(): void {
    for (const stream of [...this.streams]) this.end(stream);
  }

  /** The request handler of `GET /__mock/requests/stream`. */
  handler(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
    return async (req, res) => {
      const { store } = this.options;
      let sessionId: string;
      let evicted: boolean;
      try {
        assertAdmin(authorizationHeader(req), this.options.adminToken);
        const opened = await store.open(sessionParameter(req) ?? singleHeader(req, 'x-mock-session'));
        sessionId = opened.session.id;
        evicted = opened.evicted;
      } catch (error) {
        sendReply(res, errorReply(error), req.method === 'HEAD', this.options.closing());
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Content-Type-Options': 'nosniff',
        'X-Accel-Buffering': 'no',
        // One stream per connection: when the stream ends, so does the connection, and shutdown is not held up.
        Connection: 'close',
        ...(evicted ? { [SESSION_EVICTED_HEADER]: 'true' } : {}),
      });
      if (req.method === 'HEAD' || this.options.closing()) {
        res.end();
        return;
      }
      const lastEventId = Number(singleHeader(req, 'last-event-id'));
      const stream: Stream = {
        sessionId,
        res,
        last: { sequence: Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0, time: undefined },
        syncing: false,
        again: false,
        timers: [],
      };
      res.write(`retry: ${this.retryMs}\n\n`);
      this.streams.add(stream);
      res.on('close', () => this.end(stream));
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
      heartbeat.unref();
      stream.timers.push(heartbeat);
      if (store.kind !== 'memory') {
        const poll = setInterval(() => this.sync(stream), this.pollMs);
        poll.unref();
        stream.timers.push(poll);
      }
      this.options.logger.debug({ session: sessionId }, 'journal stream opened');
      this.sync(stream);
    };
  }

  private end(stream: Stream): void {
    if (!this.streams.delete(stream)) return;
    for (const timer of stream.timers) clearInterval(timer);
    if (!stream.res.writableEnded) stream.res.end();
  }

  /** Sends what the stream has not sent yet; one read at a time per stream, repeated if told again meanwhile. */
  private sync(stream: Stream): void {
    if (stream.syncing) {
      stream.again = true;
      return;
    }
    stream.syncing = true;
    const run = async () => {
      do {
        stream.again = false;
        await this.catchUp(stream);
      } while (stream.again && this.streams.has(stream));
    };
    run()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error, session: stream.sessionId }, 'could not read the journal for a stream');
      })
      .finally(() => {
        stream.syncing = false;
      });
  }

  private async catchUp(stream: Stream): Promise<void> {
    // Peek, never open: a stream must not keep its session alive, and a reset session is a new object.
    const session = await this.options.store.peek(stream.sessionId);
    const entries = session === undefined ? [] : await session.journal.entries();
    if (!this.streams.has(stream)) return;
    const { restarted, fresh } = journalDelta(entries, stream.last);
    let chunk = restarted ? 'event: reset\ndata: {}\n\n' : '';
    for (const entry of fresh) chunk += entryEvent(entry);
    if (restarted) stream.last = { sequence: 0, time: undefined };
    const newest = fresh.at(-1);
    if (newest !== undefined) stream.last = { sequence: newest.sequence, time: newest.time };
    if (chunk !== '') stream.res.write(chunk);
  }
}
