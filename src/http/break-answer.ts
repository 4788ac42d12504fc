import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlannedFault } from '../scenarios/planned-fault';
import type { Wait } from './real-wait';
import { replyJson, sendReply, type Reply } from './reply';

/** What breaking an answer needs from the app. */
export interface FaultOptions {
  /** Largest `X-Mock-Delay`, in milliseconds (`--max-delay`). */
  maxDelayMs: number;
  /** Longest hang, in milliseconds (`--max-hang`); the socket is destroyed after it. */
  maxHangMs: number;
  /** How delays and hangs wait; injected so tests never really wait. */
  wait: Wait;
  /** Aborted when the server begins to shut down: a hang then ends at once. */
  shutdown: AbortSignal;
}

/** What the journal records of a broken answer. */
export interface BrokenAnswer {
  /** The reply the journal records: the one computed (status 0 when the operation never ran), or the cut one sent. */
  recorded: Reply;
  /** The headers that went out; none unless the body was cut. */
  sentHeaders: readonly string[];
  /** The journal's note: which fault, from where, and what the client met. */
  note: string;
}

/** What a `before` fault records in place of an answer: the operation never ran. */
export const NOT_ANSWERED: Reply = Object.freeze({ status: 0 });

/** The body a `before` malformed-json fault cuts, since no operation ran to give one. */
const PLACEHOLDER_JSON = '{"success":true}';

/** Waits until the client goes, the server shuts down, or the maximum passes; then drops the socket. */
async function hang(req: IncomingMessage, options: FaultOptions): Promise<string> {
  const { socket } = req;
  const stop = new AbortController();
  const ended = new Promise<string>((resolve) => {
    const gone = () => resolve('the client gave up');
    if (socket.destroyed) gone();
    socket.once('close', gone);
    stop.signal.addEventListener('abort', () => socket.off('close', gone), { once: true });
    if (options.shutdown.aborted) resolve('the server shut down');
    options.shutdown.addEventListener('abort', () => resolve('the server shut down'), {
      once: true,
      signal: stop.signal,
    });
  });
  const limit = options
    .wait(options.maxHangMs, stop.signal)
    .then(() => `--max-hang (${options.maxHangMs} ms) passed, then the connection was dropped`);
  const why = await Promise.race([ended, limit]);
  stop.abort();
  socket.destroy();
  return why;
}

/**
 * Breaks one answer the way a network does, instead of sending `reply`: resets the connection,
 * closes it with nothing written, hangs, or sends a 200 whose JSON body is cut in half.
 * `reply` is the operation's answer (`after`), or `NOT_ANSWERED` when it never ran (`before`).
 *
 * @example
 * const broken = await breakAnswer(req, res, fault, reply, options, false, false);
 * exchange.notes.push(broken.note);
 */
export async function breakAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  fault: PlannedFault,
  reply: Reply,
  options: FaultOptions,
  headOnly: boolean,
  closing: boolean,
): Promise<BrokenAnswer> {
  const ran = reply !== NOT_ANSWERED;
  const prefix = `fault ${fault.type} (${fault.when}, from ${fault.source}): `;
  const unsent = ran ? `the operation ran and its ${reply.status} answer was not sent` : 'nothing changed';
  switch (fault.type) {
    case 'connection-reset':
      req.socket.resetAndDestroy();
      return { recorded: reply, sentHeaders: [], note: `${prefix}the connection was reset; ${unsent}` };
    case 'empty-reply':
      req.socket.end();
      return {
        recorded: reply,
        sentHeaders: [],
        note: `${prefix}the connection was closed with no response; ${unsent}`,
      };
    case 'hang': {
      const why = await hang(req, options);
      return { recorded: reply, sentHeaders: [], note: `${prefix}no answer until ${why}; ${unsent}` };
    }
    case 'malformed-json': {
      const whole = (ran ? (replyJson(reply) ?? reply.text) : undefined) ?? PLACEHOLDER_JSON;
      const cut = whole.slice(0, Math.max(1, Math.floor(whole.length / 2)));
      const sent: Reply = {
        status: 200,
        json: cut,
        ...(reply.headers === undefined ? {} : { headers: reply.headers }),
      };
      const sentHeaders = sendReply(res, sent, headOnly, closing);
      const what = ran ? `the operation's ${reply.status} answer` : 'a placeholder answer (nothing changed)';
      return {
        // As text: the cut body is what was sent, and it no longer parses.
        recorded: { status: 200, text: cut },
        sentHeaders,
        note: `${prefix}sent ${what} as a 200 whose JSON body is cut to ${cut.length} of ${whole.length} characters`,
      };
    }
  }
}
