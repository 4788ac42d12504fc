import { PerformanceObserver, constants, type PerformanceObserverEntryList } from 'node:perf_hooks';
import v8 from 'node:v8';

/** The young generation (both semi-spaces) stops growing at this size; V8's own cap is 32 MB. */
export const YOUNG_GENERATION_BYTES = 16 * 1024 * 1024;
/** How far a small old generation may grow past the data that survived the last full collection. */
export const OLD_GENERATION_GROWTH_PERCENT = 20;
/**
 * Below this much used heap, headroom is most of the RSS, so the old generation is kept tight.
 * Above it, marking the big heap that often costs more than the memory saves (create throughput
 * fell 15 to 20% with a store of 250 MB), and V8's own growth policy applies.
 */
export const TIGHT_HEAP_BYTES = 128 * 1024 * 1024;

/** V8's defaults for the two flags: a growth factor of 2, and 0 for "V8 chooses the growth". */
const V8_DEFAULTS: HeapFlags = { semiSpaceGrowthFactor: 2, heapGrowingPercent: 0 };

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

/** The two V8 flags the tuning sets; V8 reads both at each decision, not only at start. */
export interface HeapFlags {
  /** 1 leaves the young generation at its size when V8 would grow it; 2 doubles it. */
  semiSpaceGrowthFactor: number;
  /** The old generation's growth past its live data before a full collection; 0 lets V8 choose. */
  heapGrowingPercent: number;
}

/**
 * The flags for a heap of this shape: the young generation may grow until it reaches
 * YOUNG_GENERATION_BYTES, and an old generation whose live data is under TIGHT_HEAP_BYTES is
 * collected OLD_GENERATION_GROWTH_PERCENT past it.
 *
 * @example
 * heapFlagsFor(16 * 1024 * 1024, 40 * 1024 * 1024) // { semiSpaceGrowthFactor: 1, heapGrowingPercent: 20 }
 */
export function heapFlagsFor(youngGenerationBytes: number, liveHeapBytes: number): HeapFlags {
  return {
    semiSpaceGrowthFactor: youngGenerationBytes >= YOUNG_GENERATION_BYTES ? 1 : V8_DEFAULTS.semiSpaceGrowthFactor,
    heapGrowingPercent:
      liveHeapBytes < TIGHT_HEAP_BYTES ? OLD_GENERATION_GROWTH_PERCENT : V8_DEFAULTS.heapGrowingPercent,
  };
}

function setFlags(flags: HeapFlags): void {
  v8.setFlagsFromString(`--semi-space-growth-factor=${flags.semiSpaceGrowthFactor}`);
  v8.setFlagsFromString(`--heap-growing-percent=${flags.heapGrowingPercent}`);
}

/** A running heap tuning; `stop` gives V8 back its defaults. */
export interface HeapTuning {
  stop(): void;
}

/**
 * Bounds this process's heap for a long-running mock. Under steady load V8 grows the young
 * generation to 32 MB and lets the old one fill with garbage up to several times the live data
 * before it collects, so 10,000 stored keystores (33 MB of data) showed 175 MB of RSS, which
 * stayed after they were deleted. After every collection (V8 shrinks the young generation
 * when the process idles, and the heap grows and shrinks with the store) this sets the flags
 * `heapFlagsFor` gives through `v8.setFlagsFromString`. They affect the whole process, which
 * is why only the CLI turns this on.
 *
 * @example
 * const tuning = tuneHeap();
 * // ... serve ...
 * tuning.stop();
 */
export function tuneHeap(): HeapTuning {
  let current: HeapFlags | undefined;
  // The heap in use right after a full collection is the live data; in between it counts garbage.
  let liveHeapBytes = v8.getHeapStatistics().used_heap_size;
  const adjust = (collections?: PerformanceObserverEntryList): void => {
    const full = collections
      ?.getEntries()
      .some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full === true) liveHeapBytes = v8.getHeapStatistics().used_heap_size;
    const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
    const wanted = heapFlagsFor(young, liveHeapBytes);
    if (
      current?.semiSpaceGrowthFactor === wanted.semiSpaceGrowthFactor &&
      current.heapGrowingPercent === wanted.heapGrowingPercent
    ) {
      return;
    }
    current = wanted;
    setFlags(wanted);
  };
  const observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
  adjust();
  return {
    stop() {
      observer.disconnect();
      setFlags(V8_DEFAULTS);
    },
  };
}
