import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { FSWatcher } from 'chokidar';
import type { Logger } from 'pino';
import { displayPath } from '../fixtures/read-data-file';

/** What happened to one watched file during a burst, once the burst's events are merged. */
export interface FileChange {
  event: 'add' | 'change' | 'unlink';
  /** The file as messages show it: relative to the working folder when it lies below it. */
  file: string;
}

/** What `watchFixtures` watches and how. */
export interface WatchFixturesOptions {
  /** The folder of `world.yaml` and `scenarios/`. */
  fixturesDir: string;
  /** The served OpenAPI document. */
  specPath: string;
  /** Poll the files instead of waiting for file-system events. */
  poll: boolean;
  /** How long the files must stay quiet before `onChange` is called with the burst. */
  debounceMs: number;
  logger: Logger;
  /** Called once per burst of changes, with each changed file once. */
  onChange(changes: FileChange[]): void;
}

/** A running watcher. */
export interface FixturesWatcher {
  /** The files and folders watched, as messages show them. */
  readonly watched: string[];
  /** Stops watching; a burst still waiting for quiet is dropped. */
  close(): Promise<void>;
}

/** How often polling looks at the files: quick enough for a test run, cheap for a handful of files. */
export const POLL_INTERVAL_MS = 300;

const WORLD_FILES = ['world.yaml', 'world.yml', 'world.json'];
const SCENARIO_FILE = /\.(ya?ml|json)$/;

/**
 * Merges a new event for a file into the one already seen in this burst. An editor that saves
 * by writing a temporary file and renaming it over the old one shows up as unlink then add:
 * that is a change. A file that came and went within the burst never happened.
 */
function merge(earlier: FileChange['event'] | undefined, next: FileChange['event']): FileChange['event'] | undefined {
  if (earlier === undefined) return next;
  if (earlier === 'unlink') return next === 'unlink' ? 'unlink' : 'change';
  if (earlier === 'add') return next === 'unlink' ? undefined : 'add';
  return next;
}

/**
 * Watches the files a mock is built from: `world.yaml` (or .yml, .json) and `scenarios/*` of the
 * fixtures folder, and the spec. Events are gathered until the files have been quiet for
 * `debounceMs`, so a burst of writes is one call. chokidar is loaded here, on first use, so a
 * mock started without `--watch` never loads it.
 *
 * @example
 * const watcher = await watchFixtures({ fixturesDir, specPath, poll: false, debounceMs: 150, logger, onChange });
 * await watcher.close();
 */
export async function watchFixtures(options: WatchFixturesOptions): Promise<FixturesWatcher> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- chokidar loads only for --watch
  const chokidar = require('chokidar') as typeof import('chokidar');
  const fixturesDir = path.resolve(options.fixturesDir);
  const scenariosDir = path.join(fixturesDir, 'scenarios');
  const specPath = path.resolve(options.specPath);
  const folders = new Set([fixturesDir, scenariosDir, path.dirname(specPath)]);
  const wanted = (file: string): boolean =>
    folders.has(file) ||
    file === specPath ||
    (path.dirname(file) === fixturesDir && WORLD_FILES.includes(path.basename(file))) ||
    (path.dirname(file) === scenariosDir && SCENARIO_FILE.test(file));

  const burst = new Map<string, FileChange['event']>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const changes = [...burst].map(([file, event]) => ({ event, file: displayPath(file) }));
    burst.clear();
    if (changes.length > 0) options.onChange(changes);
  };
  const note = (event: FileChange['event'], file: string): void => {
    const merged = merge(burst.get(file), event);
    if (merged === undefined) burst.delete(file);
    else burst.set(file, merged);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs);
  };

  const watcher: FSWatcher = chokidar.watch([...new Set([fixturesDir, path.dirname(specPath)])], {
    ignoreInitial: true,
    // Everything but the watched files and their folders, so a spec beside many files costs nothing.
    ignored: (file) => !wanted(path.resolve(file)),
    depth: 1,
    usePolling: options.poll,
    interval: POLL_INTERVAL_MS,
    binaryInterval: POLL_INTERVAL_MS,
  });
  watcher.on('add', (file) => note('add', path.resolve(file)));
  watcher.on('change', (file) => note('change', path.resolve(file)));
  watcher.on('unlink', (file) => note('unlink', path.resolve(file)));
  watcher.on('error', (error) => options.logger.warn({ err: error }, 'file watcher error; watching goes on'));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  // A poll compares each file with a first look taken in the background after 'ready'; a write
  // before that look would pass unseen, so the first poll's round is over before this resolves.
  if (options.poll) await delay(POLL_INTERVAL_MS);

  return {
    watched: [path.join(fixturesDir, 'world.yaml'), scenariosDir, specPath].map(displayPath),
    close: async () => {
      if (timer !== undefined) clearTimeout(timer);
      burst.clear();
      await watcher.close();
    },
  };
}
