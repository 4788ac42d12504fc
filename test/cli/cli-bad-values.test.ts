import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt, runCli } from './run-cli';

const MISSING_FOLDER = path.join(os.tmpdir(), 'keystore-mock-no-such-folder');
const MISSING_FILE = path.join(os.tmpdir(), 'keystore-mock-no-such-file.yaml');

/** One bad value for every option, usable both as a flag value and as an environment value. */
const BAD_VALUES: readonly { flag: string; variable: string; value: string; why: string }[] = [
  { flag: '--port', variable: 'PORT', value: '70000', why: 'a port out of range' },
  { flag: '--host', variable: 'HOST', value: ' ', why: 'a blank host' },
  { flag: '--spec', variable: 'MOCK_SPEC', value: MISSING_FILE, why: 'a missing OpenAPI document' },
  { flag: '--fixtures', variable: 'MOCK_FIXTURES', value: MISSING_FOLDER, why: 'a missing fixtures folder' },
  { flag: '--scenario', variable: 'MOCK_SCENARIO', value: 'no-such-scenario', why: 'an unknown scenario' },
  { flag: '--seed', variable: 'MOCK_SEED', value: 'abc', why: 'a non-numeric seed' },
  { flag: '--generate', variable: 'MOCK_GENERATE', value: '-1', why: 'a negative count' },
  { flag: '--log-level', variable: 'MOCK_LOG_LEVEL', value: 'loud', why: 'an unknown log level' },
  { flag: '--pretty-logs', variable: 'MOCK_PRETTY_LOGS', value: 'maybe', why: 'a value that is not a boolean' },
  {
    flag: '--cors-origin',
    variable: 'MOCK_CORS_ORIGIN',
    value: 'ftp://a.example',
    why: 'an origin that is not http(s)',
  },
  { flag: '--admin-token', variable: 'MOCK_ADMIN_TOKEN', value: ' ', why: 'a blank admin token' },
  { flag: '--max-body', variable: 'MOCK_MAX_BODY', value: '12zz', why: 'a size with an unknown unit' },
  { flag: '--max-file', variable: 'MOCK_MAX_FILE', value: '0', why: 'a zero size' },
  { flag: '--max-keystores', variable: 'MOCK_MAX_KEYSTORES', value: '0', why: 'a zero count' },
  { flag: '--journal-size', variable: 'MOCK_JOURNAL_SIZE', value: '-1', why: 'a negative count' },
  { flag: '--max-sessions', variable: 'MOCK_MAX_SESSIONS', value: '0', why: 'a zero count' },
  { flag: '--token-ttl', variable: 'MOCK_TOKEN_TTL', value: '0', why: 'a zero lifetime' },
  {
    flag: '--validate-responses',
    variable: 'MOCK_VALIDATE_RESPONSES',
    value: 'maybe',
    why: 'a value that is not a boolean',
  },
  { flag: '--body-timeout', variable: 'MOCK_BODY_TIMEOUT', value: '0', why: 'a zero timeout' },
  { flag: '--shutdown-grace', variable: 'MOCK_SHUTDOWN_GRACE', value: '-1', why: 'a negative grace period' },
  { flag: '--heap-tuning', variable: 'MOCK_HEAP_TUNING', value: 'sometimes', why: 'a value that is not a boolean' },
];

/** A bad value the CLI wrongly accepted must not start a server on the default port 8080. */
const SAFE_PORT = { flags: ['--port', '0'], env: { PORT: '0' } };

/** How the CLI refused to start. */
function refusal(
  args: readonly string[],
  env: Record<string, string> = {},
): { status: number | null; lines: string[] } {
  const result = runCli(args, env);
  return { status: result.status, lines: result.stderr.split('\n').filter((line) => line !== '') };
}

describe('keystore-mock refusing a bad value', () => {
  beforeAll(() => {
    assertBuilt();
    expect([fs.existsSync(MISSING_FOLDER), fs.existsSync(MISSING_FILE)]).toEqual([false, false]);
  });

  describe.each(BAD_VALUES)('given $why for $flag', ({ flag, value }) => {
    it('exits with code 2 and one stderr line naming the flag', () => {
      const safe = flag === '--port' ? [] : SAFE_PORT.flags;
      const { status, lines } = refusal([...safe, flag, value]);
      expect({ status, lines: lines.length, namesFlag: lines[0]?.includes(flag) }).toEqual({
        status: 2,
        lines: 1,
        namesFlag: true,
      });
    });
  });

  describe.each(BAD_VALUES)('given $why in $variable', ({ variable, value }) => {
    it('exits with code 2 and one stderr line naming the environment variable', () => {
      const safe = variable === 'PORT' ? {} : SAFE_PORT.env;
      const { status, lines } = refusal([], { ...safe, [variable]: value });
      expect({ status, lines: lines.length, namesVariable: lines[0]?.includes(variable) }).toEqual({
        status: 2,
        lines: 1,
        namesVariable: true,
      });
    });
  });

  describe.each([
    ['a negative port', ['--port', '-1'], '--port'],
    ['a fractional seed', [...SAFE_PORT.flags, '--seed', '1.5'], '--seed'],
    ['an empty admin token', [...SAFE_PORT.flags, '--admin-token', ''], '--admin-token'],
    ['an unknown flag', [...SAFE_PORT.flags, '--bogus'], '--bogus'],
    ['a flag without its value', ['--port'], '--port'],
  ])('given %s', (_case, args, flag) => {
    it('exits with code 2 and one stderr line naming the flag', () => {
      const { status, lines } = refusal(args);
      expect({ status, lines: lines.length, namesFlag: lines[0]?.includes(flag) }).toEqual({
        status: 2,
        lines: 1,
        namesFlag: true,
      });
    });
  });

  it('prefixes the reason with the program name', () => {
    expect(refusal(['--port', '70000']).lines).toEqual([
      'keystore-mock: --port must be an integer from 0 to 65535 (got "70000")',
    ]);
  });
});
