/** Waits some milliseconds; a signal, when given, ends the wait early. Injected so tests never really wait. */
export type Wait = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * The wait of a running server: a timer, cleared when the signal aborts, so a hang that ends
 * early leaves no timer behind to keep the process alive.
 *
 * @example
 * await realWait(250);
 */
export const realWait: Wait = (ms, signal) =>
  ms <= 0 || signal?.aborted === true
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
      });
