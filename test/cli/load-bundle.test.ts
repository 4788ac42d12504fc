import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLine, codeCachePath, loadBundle, writeCodeCache } from '../../src/cli/load-bundle';
import { PACKAGE_ROOT, assertBuilt } from './run-cli';

/** A bundle as the build writes one: CommonJS source, then the line with its hash. */
function writeBundle(dir: string, source: string, { marked = true } = {}): string {
  const file = path.join(dir, 'bundle.js');
  const hash = crypto.createHash('sha1').update(source).digest('hex');
  fs.writeFileSync(file, marked ? source + buildLine(hash) : source);
  return file;
}

const SOURCE = [
  "const path = require('node:path');",
  "const sibling = require('./sibling');",
  'const answer = 1;',
  'module.exports = { dir: __dirname, file: __filename, base: path.basename(__filename), sibling, self: this === exports, answer };',
].join('\n');

const LOADER = path.join(PACKAGE_ROOT, 'dist', 'cli', 'load-bundle.js');

interface ChildLoad {
  usedCodeCache: boolean;
  exports: Record<string, unknown>;
}

/**
 * Loads a bundle in a fresh node, as `node dist/cli.js` does: V8 keeps compiled scripts per
 * process, so a second load in this process would not consult the code cache at all.
 */
function loadInChild(file: string, { writeCache = false } = {}): ChildLoad {
  const script = `const loader = require(${JSON.stringify(LOADER)});
    const loaded = loader.loadBundle(${JSON.stringify(file)});
    if (${writeCache}) loader.writeCodeCache(loaded, ${JSON.stringify(file)});
    const shown = Object.entries(loaded.exports).map(([key, value]) => [key, typeof value === 'function' ? 'function' : value]);
    console.log(JSON.stringify({ usedCodeCache: loaded.usedCodeCache, exports: Object.fromEntries(shown) }));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout) as ChildLoad;
}

describe('loadBundle', () => {
  let dir: string;
  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-bundle-'));
    fs.writeFileSync(path.join(dir, 'sibling.js'), 'module.exports = 42;\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns undefined when there is no bundle', () => {
    expect(loadBundle(path.join(dir, 'missing.js'))).toBeUndefined();
  });

  it('runs a bundle as Node runs a CommonJS module, requiring relative to the bundle', () => {
    const file = writeBundle(dir, SOURCE);
    const loaded = loadBundle<Record<string, unknown>>(file);
    expect(loaded?.exports).toEqual({ dir, file, base: 'bundle.js', sibling: 42, self: true, answer: 1 });
  });

  it('hands V8 the code cache written for the same build', () => {
    const file = writeBundle(dir, SOURCE);
    expect(loadInChild(file, { writeCache: true }).usedCodeCache).toBe(false);
    expect(loadInChild(file).usedCodeCache).toBe(true);
  });

  it('ignores a code cache written for another build of the same length', () => {
    const file = writeBundle(dir, SOURCE);
    loadInChild(file, { writeCache: true });
    writeBundle(dir, SOURCE.replace('answer = 1', 'answer = 2'));
    const again = loadInChild(file);
    expect(again.usedCodeCache).toBe(false);
    expect(again.exports.answer).toBe(2);
  });

  it('ignores a damaged code cache and still runs the bundle', () => {
    const file = writeBundle(dir, SOURCE);
    loadInChild(file, { writeCache: true });
    const cache = fs.readFileSync(codeCachePath(file));
    fs.writeFileSync(codeCachePath(file), Buffer.concat([cache.subarray(0, 41), Buffer.alloc(cache.length - 41, 7)]));
    const again = loadInChild(file);
    expect(again.usedCodeCache).toBe(false);
    expect(again.exports.sibling).toBe(42);
  });

  it('uses no code cache for a bundle without a build line, and refuses to write one', () => {
    const file = writeBundle(dir, SOURCE, { marked: false });
    const loaded = loadBundle(file);
    if (loaded === undefined) throw new Error('the bundle did not load');
    expect(loaded.buildHash).toBeUndefined();
    expect(loaded.usedCodeCache).toBe(false);
    expect(() => writeCodeCache(loaded, file)).toThrow(/has no build line/);
  });

  it('lets an error thrown by the bundle reach the caller', () => {
    const file = writeBundle(dir, "throw new Error('broken bundle');");
    expect(() => loadBundle(file)).toThrow('broken bundle');
  });
});

describe('the built CLI bundle', () => {
  beforeAll(assertBuilt);

  it('carries the hash of its content and a code cache this Node accepts', () => {
    const bundle = path.join(PACKAGE_ROOT, 'dist', 'cli-bundle.js');
    const source = fs.readFileSync(bundle, 'utf8');
    const [, body, hash] = /^([\s\S]*)\n\/\/# keystore-mock-build=([0-9a-f]{40})\n$/.exec(source) ?? [];
    expect(hash).toBe(
      crypto
        .createHash('sha1')
        .update(body ?? '')
        .digest('hex'),
    );

    const loaded = loadInChild(bundle);
    expect(loaded.usedCodeCache).toBe(true);
    expect(loaded.exports).toEqual({ runCli: 'function', startMockServer: 'function' });
  });
});
