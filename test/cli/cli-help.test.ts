import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, assertBuilt, cleanEnvironment, runCli } from './run-cli';

/** Every option of the CLI, its environment variable and the default its help must state. */
const OPTIONS: readonly [flag: string, variable: string, shownDefault: string][] = [
  ['--port', 'PORT', '8080'],
  ['--host', 'HOST', '127.0.0.1'],
  ['--spec', 'MOCK_SPEC', 'the shipped openapi/keystore-api.yaml'],
  ['--fixtures', 'MOCK_FIXTURES', 'the shipped fixtures/'],
  ['--scenario', 'MOCK_SCENARIO', 'happy'],
  ['--seed', 'MOCK_SEED', '1'],
  ['--generate', 'MOCK_GENERATE', '0'],
  ['--log-level', 'MOCK_LOG_LEVEL', 'info'],
  ['--pretty-logs', 'MOCK_PRETTY_LOGS', 'on in a terminal, off otherwise'],
  ['--cors-origin', 'MOCK_CORS_ORIGIN', '*'],
  ['--admin-token', 'MOCK_ADMIN_TOKEN', 'none'],
  ['--max-body', 'MOCK_MAX_BODY', '16mb'],
  ['--max-file', 'MOCK_MAX_FILE', '5mb'],
  ['--max-keystores', 'MOCK_MAX_KEYSTORES', '10000'],
  ['--journal-size', 'MOCK_JOURNAL_SIZE', '1000'],
  ['--max-sessions', 'MOCK_MAX_SESSIONS', '1000'],
  ['--token-ttl', 'MOCK_TOKEN_TTL', '3600'],
  ['--validate-responses', 'MOCK_VALIDATE_RESPONSES', 'false'],
  ['--body-timeout', 'MOCK_BODY_TIMEOUT', '2000'],
  ['--shutdown-grace', 'MOCK_SHUTDOWN_GRACE', '10000'],
  ['--heap-tuning', 'MOCK_HEAP_TUNING', 'true'],
];

/** The help entry of one flag, its wrapped lines joined. */
function helpEntry(help: string, flag: string): string {
  const entries: string[] = [];
  for (const line of help.split('\n')) {
    if (/^ {2}-/.test(line)) entries.push(line.trim());
    else if (/^ {3,}\S/.test(line) && entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries.find((entry) => new RegExp(`(^|, )${flag}( |$)`).test(entry)) ?? '';
}

describe('keystore-mock --help and --version', () => {
  let help: ReturnType<typeof runCli>;

  beforeAll(() => {
    assertBuilt();
    help = runCli(['--help']);
  });

  it('prints the help and exits with code 0', () => {
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: keystore-mock \[options\]/);
  });

  it.each(OPTIONS)('lists %s with its environment variable %s', (flag, variable) => {
    expect(helpEntry(help.stdout, flag)).toContain(`[env: ${variable}]`);
  });

  it.each(OPTIONS)('states the one default of %s', (flag, _variable, shownDefault) => {
    const defaults = [...helpEntry(help.stdout, flag).matchAll(/\(default: ([^)]*)\)/g)].map((match) => match[1]);
    expect(defaults).toEqual([shownDefault]);
  });

  it('says that flags win over environment variables', () => {
    expect(help.stdout).toContain('Flags win over environment variables, which win over defaults.');
  });

  it.each([['--version'], ['-v']])('prints the package version for %s and exits with code 0', (flag) => {
    const { version } = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = runCli([flag]);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  });

  it('runs through npx from the package folder', () => {
    const result = spawnSync('npx', ['--no-install', 'keystore-mock', '--help'], {
      cwd: PACKAGE_ROOT,
      env: cleanEnvironment({ npm_config_update_notifier: 'false' }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: result.status, stdout: result.stdout.split('\n')[0] }).toEqual({
      status: 0,
      stdout: 'Usage: keystore-mock [options]',
    });
  });
});
