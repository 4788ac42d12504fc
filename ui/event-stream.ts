import { TokenRequired, authHeaders, inSession } from './api-client';
import type { JournalEntry } from './types';

/** What the journal stream tells the page. */
export interface StreamHandlers {
  entry(entry: JournalEntry): void;
  /** The journal was cleared or its session reset: forget every entry shown. */
  reset(): void;
  /** Whether the stream is connected, for the live indicator. */
  connected(live: boolean): void;
  tokenRequired(): void;
}

/** Splits the text received so far into whole events and what is left of an unfinished one. */
function takeEvents(buffer: string): { events: { event: string; data: string }[]; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events = blocks.map((block) => {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    return { event, data };
  });
  return { events, rest };
}

/**
 * Follows a session's journal over server-sent events read with fetch (EventSource cannot send
 * the admin token), and reconnects by itself, asking only for what it has not seen.
 *
 * @example
 * const stop = followJournal('default', handlers);
 */
export function followJournal(session: string, handlers: StreamHandlers): () => void {
  const aborter = new AbortController();
  let lastSequence = 0;
  let retryMs = 2000;
  let stopped = false;

  const connect = async (): Promise<void> => {
    const headers: Record<string, string> = { ...authHeaders(), Accept: 'text/event-stream' };
    if (lastSequence > 0) headers['Last-Event-ID'] = String(lastSequence);
    const res = await fetch(`/__mock/requests/stream?${inSession(session)}`, { headers, signal: aborter.signal });
    if (res.status === 401) throw new TokenRequired();
    if (!res.ok || res.body === null) throw new Error(`the journal stream answered ${res.status}`);
    handlers.connected(true);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const { events, rest } = takeEvents(buffer + value);
      buffer = rest;
      for (const { event, data } of events) {
        if (event === 'entry') {
          const entry = JSON.parse(data) as JournalEntry;
          lastSequence = entry.sequence;
          handlers.entry(entry);
        } else if (event === 'reset') {
          lastSequence = 0;
          handlers.reset();
        }
      }
      const retry = /(?:^|\n)retry: (\d+)/.exec(value);
      if (retry?.[1] !== undefined) retryMs = Number(retry[1]);
    }
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      try {
        await connect();
      } catch (error) {
        if (stopped) return;
        if (error instanceof TokenRequired) {
          handlers.connected(false);
          handlers.tokenRequired();
          return;
        }
      }
      handlers.connected(false);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();
  return () => {
    stopped = true;
    aborter.abort();
  };
}
