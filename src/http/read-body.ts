import type { IncomingMessage } from 'node:http';
import { errors } from '../errors';

/** Bodies past the limit are still read (and dropped) up to this many times the limit, so the client sees the 413. */
const DRAIN_FACTOR = 4;

/**
 * Reads a request body up to `limit` bytes. Past the limit it keeps draining, without holding
 * the bytes, and then rejects with 413; a body that stalls for `idleMs` or ends before its
 * Content-Length rejects with 400.
 *
 * @example
 * const raw = await readBody(req, config.maxBodyBytes, config.bodyIdleTimeoutMs);
 */
export function readBody(req: IncomingMessage, limit: number, idleMs: number): Promise<Buffer> {
  const header = req.headers['content-length'];
  const declared = header === undefined ? undefined : Number(header);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = declared !== undefined && declared > limit;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      if (error === undefined) {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
        return;
      }
      req.resume();
      reject(error);
    };
    const arm = (): void => {
      if (timer !== undefined) timer.refresh();
      else
        timer = setTimeout(
          () => finish(tooLarge ? errors.payloadTooLarge(limit) : errors.stalledBody(received)),
          idleMs,
        );
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (received > limit * DRAIN_FACTOR) finish(errors.payloadTooLarge(limit));
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
      arm();
    };
    const onEnd = (): void => finish(tooLarge ? errors.payloadTooLarge(limit) : undefined);
    const onAborted = (): void =>
      finish(
        declared !== undefined && received < declared
          ? errors.truncatedBody(received, declared)
          : errors.stalledBody(received),
      );

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
    arm();
  });
}
