import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { MockServer, MockServerEvents } from '../../src/server';

/** How long a test waits for a reload before it fails: far above a debounce, far below jest's timeout. */
export const RELOAD_BOUND_MS = 10_000;

/**
 * The next `reload` or `reloadError` of a mock: resolves with the one asked for, rejects with the
 * other (so a test that expects a reload shows the error that prevented it) or after the bound.
 * Call it before writing the file, so the event cannot come first.
 *
 * @example
 * const reloaded = nextEvent(mock, 'reload');
 * fs.writeFileSync(file, text);
 * const { storeReset } = await reloaded;
 */
export function nextEvent<E extends keyof MockServerEvents>(mock: MockServer, wanted: E): Promise<MockServerEvents[E]> {
  const other: keyof MockServerEvents = wanted === 'reload' ? 'reloadError' : 'reload';
  return new Promise<MockServerEvents[E]>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(bound);
      mock.off(wanted, onWanted);
      mock.off(other, onOther);
    };
    const onWanted = (payload: MockServerEvents[E]): void => {
      done();
      resolve(payload);
    };
    const onOther = (payload: MockServerEvents[keyof MockServerEvents]): void => {
      done();
      reject(new Error(`expected ${wanted}, got ${other}: ${JSON.stringify(payload, replaceErrors)}`));
    };
    const bound = setTimeout(() => {
      done();
      reject(new Error(`no ${wanted} within ${RELOAD_BOUND_MS} ms of the file write`));
    }, RELOAD_BOUND_MS);
    mock.on(wanted, onWanted);
    mock.on(other, onOther);
  });
}

function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? value.message : value;
}

/** Counts every `reload` and `reloadError` of a mock from now on. */
export function countEvents(mock: MockServer): { reload: number; reloadError: number } {
  const counts = { reload: 0, reloadError: 0 };
  mock.on('reload', () => (counts.reload += 1));
  mock.on('reloadError', () => (counts.reloadError += 1));
  return counts;
}

/** A logger whose JSON lines a test reads back. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Saves a file the way many editors do: a temporary file beside it, renamed over it. */
export function saveByRename(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
