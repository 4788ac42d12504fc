import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** The young generation (both semi-spaces) stops growing at this size; V8's own cap is 32 MB. */
export const YOUNG_GENERATION_BYTES = 16 * 1024 * 1024;
/** How far the old generation may grow past the data that survived the last full collection. */
export const OLD_GENERATION_GROWTH_PERCENT = 20;

/**
 * Node options that size the heap. When the process was started with any of them, the person
 * who chose them wins and the mock leaves the heap alone.
 */
export const HEAP_FLAGS = [
  '--max-semi-space-size',
  '--min-semi-space-size',
  '--semi-space-growth-factor',
  '--max-old-space-size',
  '--max-heap-size',
  '--heap-growing-percent',
];

/** The heap-sizing flags among node's arguments and NODE_OPTIONS, spelt with dashes. */
export function heapFlagsGiven(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map((argument) =>
    argument.split('=')[0]?.replace(/_/g, '-'),
  );
  return HEAP_FLAGS.filter((flag) => given.includes(flag));
}

/** Bytes V8 has reserved for the young generation right now. */
function youngGenerationBytes(): number {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/** A running heap tuning; `stop` gives V8 back its defaults. */
export interface HeapTuning {
  stop(): void;
}

/**
 * Bounds this process's heap for a long-running mock. Under steady load V8 grows the young
 * generation to 32 MB and lets the old one fill with garbage up to several times the live data
 * before it collects, so 10,000 stored keystores (33 MB of data) showed 175 MB of RSS, which
 * stayed after they were deleted. Here the young generation keeps growing up to
 * YOUNG_GENERATION_BYTES only (checked after every collection, since V8 may shrink it when the
 * process is idle) and the old one is collected once it is OLD_GENERATION_GROWTH_PERCENT past
 * its live data. Both are V8 flags read at each decision, set through `v8.setFlagsFromString`;
 * they affect the whole process, which is why only the CLI turns this on.
 *
 * @example
 * const tuning = tuneHeap();
 * // ... serve ...
 * tuning.stop();
 */
export function tuneHeap(): HeapTuning {
  v8.setFlagsFromString(`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`);
  let growthStopped = false;
  const adjust = (): void => {
    const full = youngGenerationBytes() >= YOUNG_GENERATION_BYTES;
    if (full === growthStopped) return;
    growthStopped = full;
    // A growth factor of 1 leaves the young generation at its size; 2 is V8's default.
    v8.setFlagsFromString(`--semi-space-growth-factor=${full ? 1 : 2}`);
  };
  const collections = new PerformanceObserver(adjust);
  collections.observe({ entryTypes: ['gc'] });
  adjust();
  return {
    stop() {
      collections.disconnect();
      v8.setFlagsFromString('--semi-space-growth-factor=2');
      v8.setFlagsFromString('--heap-growing-percent=0');
    },
  };
}
