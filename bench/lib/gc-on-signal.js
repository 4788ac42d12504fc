// Preloaded into the mock by `MEMORY_FORCE_GC=1 npm run bench:memory` (node --expose-gc -r ...):
// on SIGUSR2 it collects garbage and prints the live heap, so memory figures can tell retained
// data from garbage the collector has not reclaimed yet. Never loaded in normal runs.
'use strict';

process.on('SIGUSR2', () => {
  globalThis.gc();
  const { heapUsed, heapTotal, rss } = process.memoryUsage();
  const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
  process.stderr.write(`gc-on-signal heapUsedMb=${mb(heapUsed)} heapTotalMb=${mb(heapTotal)} rssMb=${mb(rss)}\n`);
});
