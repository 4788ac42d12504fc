import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { heapFlagsFor, heapFlagsGiven } from '../../src/tune-heap';
import { PACKAGE_ROOT, assertBuilt, startCli, stopIfRunning, type RunningCli } from './run-cli';

const MB = 1024 * 1024;

/**
 * The largest young generation seen in a fresh node while it allocates 600,000 small arrays,
 * 100 per turn of the event loop as a server's requests come, keeping the last 20,000 alive,
 * which is the survival that makes V8 grow the young generation to its 32 MB cap.
 */
function largestYoungGeneration(tuned: boolean): number {
  const script = `const v8 = require('node:v8');
    const tuning = ${tuned} ? require(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'tune-heap.js'))}).tuneHeap() : undefined;
    const young = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
    const kept = new Array(20000);
    let largest = young();
    (async () => {
      for (let index = 0; index < 600000; index += 1) {
        kept[index % kept.length] = new Array(64).fill(index);
        if (index % 100 !== 0) continue;
        await new Promise((resolve) => setImmediate(resolve));
        largest = Math.max(largest, young());
      }
      tuning?.stop();
      console.log(largest);
    })();`;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return Number(child.stdout);
}

describe('heap tuning', () => {
  beforeAll(assertBuilt);

  it.each([
    ['no flags', [], undefined, []],
    ['--max-old-space-size among node arguments', ['--max-old-space-size=384'], undefined, ['--max-old-space-size']],
    ['an underscore spelling in NODE_OPTIONS', [], '--max_semi_space_size=4 --trace-gc', ['--max-semi-space-size']],
    ['unrelated flags', ['--expose-gc'], '--enable-source-maps', []],
  ])('finds the heap flags given with %s', (_label, execArgv, nodeOptions, expected) => {
    expect(heapFlagsGiven(execArgv, nodeOptions)).toEqual(expected);
  });

  it.each([
    [
      'a young generation still growing and a small heap',
      8 * MB,
      40 * MB,
      { semiSpaceGrowthFactor: 2, heapGrowingPercent: 20 },
    ],
    [
      'a young generation at 16 MB and a small heap',
      16 * MB,
      40 * MB,
      { semiSpaceGrowthFactor: 1, heapGrowingPercent: 20 },
    ],
    ['a young generation V8 grew past 16 MB', 32 * MB, 40 * MB, { semiSpaceGrowthFactor: 1, heapGrowingPercent: 20 }],
    [
      'a live heap of 128 MB, where V8 chooses the growth',
      16 * MB,
      128 * MB,
      { semiSpaceGrowthFactor: 1, heapGrowingPercent: 0 },
    ],
    ['a live heap just under 128 MB', 4 * MB, 128 * MB - 1, { semiSpaceGrowthFactor: 2, heapGrowingPercent: 20 }],
  ])('sets the flags for %s', (_label, young, live, expected) => {
    expect(heapFlagsFor(young, live)).toEqual(expected);
  });

  it('keeps the young generation at 16 MB where V8 alone grows it to 32 MB', () => {
    expect(largestYoungGeneration(false)).toBe(32 * MB);
    expect(largestYoungGeneration(true)).toBe(16 * MB);
  });

  describe('in the CLI', () => {
    let running: RunningCli | undefined;
    afterEach(async () => {
      await stopIfRunning(running);
      running = undefined;
    });

    it('is on by default', async () => {
      running = await startCli(['--port', '0', '--log-level', 'debug'], { NODE_OPTIONS: '' });
      const line = await running.waitForLine((entry) => entry.msg === 'heap tuned');
      expect(line).toMatchObject({ youngGenerationMb: 16, oldGenerationGrowthPercent: 20, whileLiveHeapUnderMb: 128 });
    });

    it('steps aside when node was started with its own heap flags', async () => {
      running = await startCli(['--port', '0', '--log-level', 'info'], { NODE_OPTIONS: '--max-old-space-size=512' });
      const line = await running.waitForLine((entry) => entry.msg?.startsWith('heap tuning skipped') === true);
      expect(line.nodeFlags).toEqual(['--max-old-space-size']);
    });

    it('is off with --heap-tuning false', async () => {
      running = await startCli(['--port', '0', '--log-level', 'debug', '--heap-tuning', 'false']);
      const configuration = await running.waitForLine((entry) => entry.msg === 'configuration');
      expect((configuration.config as Record<string, unknown>).heapTuning).toBe(false);
      // The configuration line comes after the server started, so a tuning line would be here by now.
      expect(running.rawLines.filter((raw) => raw.includes('"heap tuned"'))).toEqual([]);
    });
  });
});
