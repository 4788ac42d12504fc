#!/usr/bin/env node
// Installs keystore-mock the ways its users do (the packed tarball, a git+file URL of a clean clone
// of HEAD) into fresh projects under the OS temp folder, and uses it the ways they do: the README's
// jest example exactly as written, a vitest suite, an ESM import, a CommonJS require, the command,
// and strict tsc (skipLibCheck false) under moduleResolution nodenext and bundler.
//
// Usage: node consumers/check-consumers.js [--only tarball|git] [--ref <commit>] [--keep]
// Runs under the node on PATH (which must be a supported line); .ci/run calls it once per line.
// Prints one PASS or FAIL line per check, then "consumers: N passed, N failed"; exits 1 on any failure.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const TEMPLATES = __dirname;
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const OLDEST_SUPPORTED = Number(/>=\s*(\d+)/.exec(PACKAGE.engines.node)?.[1]);

// What a new user would install next to the package. Majors are pinned so a release of one of
// them shows up as a deliberate change here, not as a red CI run on an unrelated commit.
const APP_DEPENDENCIES = ['jest@30', '@swc/jest@0.2', '@swc/core@1', 'vitest@5'];
// Both the TypeScript line this repository builds with and the newest (the native compiler).
const TYPESCRIPTS = { 'typescript 5.9': 'ts5@npm:typescript@5.9', 'typescript 7': 'ts7@npm:typescript@7' };
const TYPES_NODE = `@types/node@${NODE_MAJOR}`;
// For the matchers' types check only: the other checks of the types project never load it.
const TYPES_JEST = '@types/jest@30';

/** Parses the command line. */
function parseArguments(argv) {
  const options = { only: ['tarball', 'git'], ref: 'HEAD', keep: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--keep') options.keep = true;
    else if (argument === '--only') options.only = [argv[(index += 1)]];
    else if (argument === '--ref') options.ref = argv[(index += 1)];
    else throw new Error(`Unknown argument ${argument}: expected --only tarball|git, --ref <commit> or --keep.`);
  }
  for (const source of options.only) {
    if (source !== 'tarball' && source !== 'git') throw new Error(`--only ${source}: expected tarball or git.`);
  }
  return options;
}

/**
 * The environment of every command: this node first on PATH (npm, npx and jest start with
 * "#!/usr/bin/env node"), CI set, and none of the npm_* variables npm sets for the script that
 * runs us (npm_config_local_prefix and friends would point npm at this repository).
 */
function childEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|config_(local_prefix|global_prefix|prefix|user_agent|call|npm_version)$)/.test(key))
      continue;
    if (key === 'npm_command' || key === 'npm_execpath' || key === 'npm_node_execpath' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  env.CI = 'true';
  env.NO_COLOR = '1';
  return env;
}

const ENV = childEnvironment();

/** Runs a command to completion and returns its exit status and combined output. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { ok: result.status === 0, output, status: result.status };
}

/** The last lines of a command's output, indented, for a failure report. */
function tail(output, lines = 40) {
  return output
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}

/** Seconds since a start time, for the report. */
function since(start) {
  return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

/** Runs a command; throws with its output when it fails, so a set-up step fails its checks. */
function mustRun(what, command, args, cwd) {
  const result = run(command, args, cwd);
  if (!result.ok) throw new Error(`${what} failed (exit ${result.status}):\n${tail(result.output)}`);
  return result.output;
}

/** The README's jest example: the ```ts block right after the marker comment. */
function readmeJestExample() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const code = /<!-- example: jest-suite -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) {
    throw new Error('README.md has no ```ts block after <!-- example: jest-suite -->: put the marker back above it.');
  }
  return code;
}

/** Copies a template folder of this directory into a consumer project. */
function copyTemplate(name, destination) {
  fs.cpSync(path.join(TEMPLATES, name), destination, { recursive: true });
}

/** Writes a consumer's package.json: the minimum npm needs, nothing that hides a problem. */
function writePackageJson(folder, name) {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`,
  );
}

/** npm install into a consumer, from npm's own cache where it can (never a shared node_modules). */
function npmInstall(folder, specs) {
  return mustRun(
    `npm install ${specs.join(' ')}`,
    'npm',
    ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs],
    folder,
  );
}

/** Refuses a temp folder below a node_modules: Node and tsc would find packages there that the consumer never installed. */
function assertIsolated(folder) {
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    const modules = path.join(dir, 'node_modules');
    if (fs.existsSync(modules)) {
      throw new Error(
        `${modules} exists above the consumer projects, so they would not be isolated: remove it or set TMPDIR to another folder.`,
      );
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** Packs the working tree (prepack cleans and builds dist/) and returns the tarball's path. */
function packTarball(destination) {
  fs.mkdirSync(destination, { recursive: true });
  mustRun('npm pack', 'npm', ['pack', '--pack-destination', destination, '--loglevel=error'], ROOT);
  const [file] = fs.readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  if (file === undefined) throw new Error(`npm pack wrote no tarball into ${destination}.`);
  return path.join(destination, file);
}

/** Problems with the tarball's file list: what a user must get, and what must stay out. */
function tarballProblems(tarball) {
  const files = mustRun('tar -tzf', 'tar', ['-tzf', tarball], ROOT)
    .split('\n')
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ''));
  const required = [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/cli.js',
    'openapi/keystore-api.yaml',
    'openapi/control-plane.yaml',
    'fixtures/world.yaml',
    'fixtures/scenarios/happy.yaml',
  ];
  const problems = required.filter((file) => !files.includes(file)).map((file) => `missing ${file}`);
  const allowed =
    /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(js|d\.ts)|dist\/ui\/[\w.-]+\.(html|js|css)(\.br|\.gz)?|openapi\/.+\.yaml|fixtures\/.+\.yaml)$/;
  problems.push(...files.filter((file) => !allowed.test(file)).map((file) => `unexpected ${file}`));
  return problems;
}

/** Clones HEAD (or --ref) into a clean folder and returns an npm git+file spec for it. */
function cleanCloneSpec(folder, ref) {
  const commit = mustRun('git rev-parse', 'git', ['rev-parse', '--verify', `${ref}^{commit}`], ROOT).trim();
  mustRun('git clone', 'git', ['clone', '--quiet', '--no-checkout', ROOT, folder], os.tmpdir());
  if (run('git', ['status', '--porcelain', '--untracked-files=no'], ROOT).output.trim() !== '') {
    console.log(`note: git checks use commit ${commit.slice(0, 12)}; uncommitted changes are not in it`);
  }
  return `git+file://${folder}#${commit}`;
}

/** The checks of one installed source, each a name and a function that returns a problem or nothing. */
function checksFor(app, types) {
  const bin = (name) => path.join(app, 'node_modules', '.bin', name);
  const expectOk = (command, args, cwd) => {
    const result = run(command, args, cwd);
    return result.ok ? undefined : `exit ${result.status}:\n${tail(result.output)}`;
  };
  const tsc = (typescript, config) => () =>
    expectOk(process.execPath, [path.join(app, 'node_modules', typescript, 'bin', 'tsc'), '-p', config], types);
  const checks = [
    ['jest 30 runs the README example', () => expectOk(bin('jest'), ['--ci'], app)],
    ['vitest 5 runs a suite', () => expectOk(bin('vitest'), ['run'], app)],
    ['ESM import (.mjs)', () => expectOk(process.execPath, ['esm.mjs'], app)],
    ['CommonJS require (.cjs)', () => expectOk(process.execPath, ['cjs.cjs'], app)],
    [
      'npx keystore-mock --version',
      () => {
        const result = run('npx', ['--no-install', 'keystore-mock', '--version'], app);
        if (!result.ok) return `exit ${result.status}:\n${tail(result.output)}`;
        return result.output.includes(PACKAGE.version) ? undefined : `printed ${result.output.trim()}`;
      },
    ],
  ];
  for (const [label, typescript] of Object.entries(TYPESCRIPTS)) {
    const folder = typescript.split('@')[0];
    checks.push([`strict tsc, nodenext (${label})`, tsc(folder, 'tsconfig.nodenext.json')]);
    checks.push([`strict tsc, bundler (${label})`, tsc(folder, 'tsconfig.bundler.json')]);
    checks.push([`strict tsc, keystore-mock/jest matchers (${label})`, tsc(folder, 'tsconfig.matchers.json')]);
    checks.push([
      `strict tsc, the vitest suite's matcher types (${label})`,
      () =>
        expectOk(
          process.execPath,
          [path.join(app, 'node_modules', folder, 'bin', 'tsc'), '-p', 'tsconfig.vitest.json'],
          app,
        ),
    ]);
  }
  return checks;
}

/** Makes the two projects of one source: an app with test runners, and one with only the package and @types/node. */
function makeProjects(work, source, spec) {
  const app = path.join(work, `${source}-app`);
  const types = path.join(work, `${source}-types`);
  writePackageJson(app, `consumer-${source}-app`);
  copyTemplate('app', app);
  fs.mkdirSync(path.join(app, 'jest'), { recursive: true });
  fs.writeFileSync(path.join(app, 'jest', 'readme-example.test.ts'), readmeJestExample());
  npmInstall(app, [spec, ...APP_DEPENDENCIES, TYPES_NODE, ...Object.values(TYPESCRIPTS)]);

  writePackageJson(types, `consumer-${source}-types`);
  copyTemplate('types', types);
  const code = fs.readFileSync(path.join(types, 'uses-mock.ts'), 'utf8');
  for (const extension of ['.mts', '.cts']) fs.writeFileSync(path.join(types, `uses-mock${extension}`), code);
  npmInstall(types, [spec, TYPES_NODE, TYPES_JEST]);
  return { app, types };
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!(NODE_MAJOR >= OLDEST_SUPPORTED)) {
    throw new Error(
      `node ${process.version} is older than keystore-mock supports (${PACKAGE.engines.node}): run under a supported node (.ci/run fetches one).`,
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-consumers-'));
  assertIsolated(work);
  console.log(
    `consumer checks on node ${process.version}, npm ${run('npm', ['--version'], work).output.trim()}, in ${work}`,
  );

  const results = [];
  const report = (source, name, problem, start) => {
    results.push(problem === undefined);
    console.log(`${problem === undefined ? 'PASS' : 'FAIL'}  ${source.padEnd(7)} ${name} (${since(start)})`);
    if (problem !== undefined) console.log(problem);
  };

  for (const source of options.only) {
    let spec;
    let start = Date.now();
    try {
      if (source === 'tarball') {
        spec = packTarball(path.join(work, 'pack'));
        const problems = tarballProblems(spec);
        const size = `${(fs.statSync(spec).size / 1024).toFixed(0)} KiB`;
        report(
          source,
          `npm pack: ${path.basename(spec)}, ${size}`,
          problems.length ? problems.join('\n') : undefined,
          start,
        );
      } else {
        spec = cleanCloneSpec(path.join(work, 'clone'), options.ref);
      }
      start = Date.now();
      const { app, types } = makeProjects(work, source, spec);
      report(source, 'install into two fresh projects', undefined, start);
      for (const [name, check] of checksFor(app, types)) {
        start = Date.now();
        report(source, name, check(), start);
      }
    } catch (error) {
      report(source, 'set-up', error.message, start);
    }
  }

  const failed = results.filter((passed) => !passed).length;
  if (failed === 0 && !options.keep) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`projects kept in ${work}`);
  console.log(`consumers: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`consumer checks could not run: ${error.message}`);
  console.log('consumers: 0 passed, 1 failed');
  process.exitCode = 1;
}
