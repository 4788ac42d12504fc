import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * The last line of a bundle the build wrote: a hash of everything before it. The code cache
 * starts with the same line, so a cache is used only with the bundle it was made from (V8's
 * own check compares little more than the source length).
 */
const BUILD_LINE = /\n\/\/# keystore-mock-build=([0-9a-f]{40})\n?$/;
const CACHE_HEADER_BYTES = 41;

/** A bundle compiled and run, with what start-up needs to know about its code cache. */
export interface LoadedBundle<T> {
  /** What the bundle assigned to `module.exports`. */
  exports: T;
  /** The compiled script, from which the build takes a fresh code cache. */
  script: vm.Script;
  /** The bundle's build hash, from its last line; undefined for a bundle the build did not mark. */
  buildHash: string | undefined;
  /** Whether V8 accepted the code cache (false when missing, stale, or made by another Node). */
  usedCodeCache: boolean;
}

/** Where the code cache of a bundle lives: beside it, `.js` replaced by `.code-cache`. */
export function codeCachePath(bundlePath: string): string {
  return bundlePath.replace(/\.js$/, '') + '.code-cache';
}

/** The V8 code cache made for exactly this build, or undefined. */
function readCodeCache(bundlePath: string, buildHash: string | undefined): Buffer | undefined {
  if (buildHash === undefined) return undefined;
  let file: Buffer;
  try {
    file = fs.readFileSync(codeCachePath(bundlePath));
  } catch {
    return undefined;
  }
  const header = file.subarray(0, CACHE_HEADER_BYTES).toString('latin1');
  return header === `${buildHash}\n` ? file.subarray(CACHE_HEADER_BYTES) : undefined;
}

/**
 * Compiles and runs a CommonJS bundle the way Node runs a module, handing V8 the code cache the
 * build recorded for it, so the functions start-up runs need no parsing or compiling. Returns
 * undefined when there is no bundle (running from `src`, or a build without one).
 *
 * @example
 * const cli = loadBundle<typeof import('./run-cli')>(path.join(__dirname, 'cli-bundle.js'));
 */
export function loadBundle<T>(bundlePath: string): LoadedBundle<T> | undefined {
  let source: string;
  try {
    source = fs.readFileSync(bundlePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const buildHash = BUILD_LINE.exec(source)?.[1];
  const cachedData = readCodeCache(bundlePath, buildHash);
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.replace(/^#!.*/, '')}\n})`;
  const script = new vm.Script(wrapped, { filename: bundlePath, cachedData });
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} as unknown };
  run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, path.dirname(bundlePath));
  return {
    exports: module.exports as T,
    script,
    buildHash,
    usedCodeCache: cachedData !== undefined && !script.cachedDataRejected,
  };
}

/**
 * Records V8's compiled code of a loaded bundle beside it; call after running what start-up
 * runs, so those functions are in the cache too.
 *
 * @example
 * writeCodeCache(bundle, bundlePath);
 */
export function writeCodeCache(bundle: LoadedBundle<unknown>, bundlePath: string): void {
  if (bundle.buildHash === undefined) throw new Error(`${bundlePath} has no build line; the build writes one`);
  const header = Buffer.from(`${bundle.buildHash}\n`, 'latin1');
  fs.writeFileSync(codeCachePath(bundlePath), Buffer.concat([header, bundle.script.createCachedData()]));
}

/** The line the build appends to a bundle: the SHA-1 of everything before it. */
export function buildLine(hash: string): string {
  return `\n//# keystore-mock-build=${hash}\n`;
}
