import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError, parseArguments } from '../../src/cli/parse-arguments';
import { DEFAULT_CONFIG, type Config } from '../../src/config';

const SHIPPED_SPEC = path.join(__dirname, '..', '..', 'openapi', 'keystore-api.yaml');
const SHIPPED_FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const MISSING = path.join(os.tmpdir(), 'keystore-mock-no-such-path');

/** The line the CLI prints after `keystore-mock: ` for arguments it refuses. */
function refusal(argv: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseArguments(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(' ')} ${JSON.stringify(env)} was accepted`);
}

/** One value per option, as a flag and as an environment variable, and what it becomes. */
const VALUES: readonly { key: keyof Config; flags: string[]; variable: string; value: string; expected: unknown }[] = [
  { key: 'port', flags: ['--port', '9090'], variable: 'PORT', value: '9090', expected: 9090 },
  { key: 'port', flags: ['-p', '0'], variable: 'PORT', value: '0', expected: 0 },
  { key: 'host', flags: ['--host', '0.0.0.0'], variable: 'HOST', value: '0.0.0.0', expected: '0.0.0.0' },
  { key: 'host', flags: ['-H', '::1'], variable: 'HOST', value: '::1', expected: '::1' },
  { key: 'host', flags: ['--host', 'localhost'], variable: 'HOST', value: 'localhost', expected: 'localhost' },
  {
    key: 'host',
    flags: ['--host', 'keystore_mock'],
    variable: 'HOST',
    value: 'keystore_mock',
    expected: 'keystore_mock',
  },
  {
    key: 'specPath',
    flags: ['--spec', SHIPPED_SPEC],
    variable: 'MOCK_SPEC',
    value: SHIPPED_SPEC,
    expected: SHIPPED_SPEC,
  },
  {
    key: 'fixturesDir',
    flags: ['--fixtures', SHIPPED_FIXTURES],
    variable: 'MOCK_FIXTURES',
    value: SHIPPED_FIXTURES,
    expected: SHIPPED_FIXTURES,
  },
  {
    key: 'scenario',
    flags: ['--scenario', 'slow-deploy'],
    variable: 'MOCK_SCENARIO',
    value: 'slow-deploy',
    expected: 'slow-deploy',
  },
  {
    key: 'builtinScenarios',
    flags: ['--no-builtin-scenarios'],
    variable: 'MOCK_BUILTIN_SCENARIOS',
    value: 'false',
    expected: false,
  },
  { key: 'seed', flags: ['--seed', '42'], variable: 'MOCK_SEED', value: '42', expected: 42 },
  { key: 'generate', flags: ['--generate', '5'], variable: 'MOCK_GENERATE', value: '5', expected: 5 },
  { key: 'logLevel', flags: ['--log-level', 'debug'], variable: 'MOCK_LOG_LEVEL', value: 'debug', expected: 'debug' },
  { key: 'prettyLogs', flags: ['--pretty-logs'], variable: 'MOCK_PRETTY_LOGS', value: 'true', expected: true },
  {
    key: 'corsOrigins',
    flags: ['--cors-origin', 'http://a.example, https://b.example:8443'],
    variable: 'MOCK_CORS_ORIGIN',
    value: 'http://a.example, https://b.example:8443',
    expected: ['http://a.example', 'https://b.example:8443'],
  },
  { key: 'corsOrigins', flags: ['--cors-origin', '*'], variable: 'MOCK_CORS_ORIGIN', value: '*', expected: '*' },
  {
    key: 'adminToken',
    flags: ['--admin-token', 's3cret'],
    variable: 'MOCK_ADMIN_TOKEN',
    value: 's3cret',
    expected: 's3cret',
  },
  { key: 'maxBodyBytes', flags: ['--max-body', '512kb'], variable: 'MOCK_MAX_BODY', value: '512kb', expected: 524_288 },
  { key: 'maxFileBytes', flags: ['--max-file', '1mb'], variable: 'MOCK_MAX_FILE', value: '1mb', expected: 1_048_576 },
  {
    key: 'maxKeystoresPerProject',
    flags: ['--max-keystores', '50'],
    variable: 'MOCK_MAX_KEYSTORES',
    value: '50',
    expected: 50,
  },
  { key: 'journalSize', flags: ['--journal-size', '0'], variable: 'MOCK_JOURNAL_SIZE', value: '0', expected: 0 },
  { key: 'maxSessions', flags: ['--max-sessions', '10'], variable: 'MOCK_MAX_SESSIONS', value: '10', expected: 10 },
  {
    key: 'sessionIdleMs',
    flags: ['--session-idle', '5000'],
    variable: 'MOCK_SESSION_IDLE',
    value: '5000',
    expected: 5000,
  },
  { key: 'tokenTtlSeconds', flags: ['--token-ttl', '60'], variable: 'MOCK_TOKEN_TTL', value: '60', expected: 60 },
  {
    key: 'validateResponses',
    flags: ['--validate-responses'],
    variable: 'MOCK_VALIDATE_RESPONSES',
    value: 'on',
    expected: true,
  },
  {
    key: 'bodyIdleTimeoutMs',
    flags: ['--body-timeout', '100'],
    variable: 'MOCK_BODY_TIMEOUT',
    value: '100',
    expected: 100,
  },
  {
    key: 'shutdownGraceMs',
    flags: ['--shutdown-grace', '0'],
    variable: 'MOCK_SHUTDOWN_GRACE',
    value: '0',
    expected: 0,
  },
];

describe('parseArguments', () => {
  it('gives the defaults, each from the default source, when no flag or variable is set', () => {
    const { config, sources } = parseArguments([], {});
    expect({ config, sources: new Set(Object.values(sources)) }).toEqual({
      config: { ...DEFAULT_CONFIG, prettyLogs: false },
      sources: new Set(['default']),
    });
  });

  it('has a source for every option of the config', () => {
    expect(Object.keys(parseArguments([], {}).sources).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  });

  it.each(VALUES)('reads $key from $flags', ({ key, flags, expected }) => {
    const { config, sources } = parseArguments(flags, {});
    expect({ value: config[key], source: sources[key] }).toEqual({ value: expected, source: 'cli' });
  });

  it.each(VALUES)('reads $key from $variable=$value', ({ key, variable, value, expected }) => {
    const { config, sources } = parseArguments([], { [variable]: value });
    expect({ value: config[key], source: sources[key] }).toEqual({ value: expected, source: 'env' });
  });

  // The variable holds a value no option accepts: a flag that wins never even reads it.
  it.each(VALUES)('takes $flags over $variable', ({ key, flags, variable, expected }) => {
    const { config, sources } = parseArguments(flags, { [variable]: 'not read' });
    expect({ value: config[key], source: sources[key] }).toEqual({ value: expected, source: 'cli' });
  });

  it('names the flag or variable each value came from, and the flag for a default', () => {
    const { labels } = parseArguments(['--port', '0'], { HOST: '0.0.0.0' });
    expect([labels.port, labels.host, labels.seed]).toEqual(['--port', 'HOST', '--seed']);
  });

  it('treats an empty variable as unset, as a compose file that writes `MOCK_ADMIN_TOKEN:` means', () => {
    const { config, sources } = parseArguments([], { MOCK_ADMIN_TOKEN: '', PORT: '' });
    expect([config.adminToken, config.port, sources.adminToken, sources.port]).toEqual([
      undefined,
      8080,
      'default',
      'default',
    ]);
  });

  it('leaves process.env as it was', () => {
    const before = process.env;
    parseArguments([], { PORT: '1' });
    expect(process.env).toBe(before);
  });

  it('reads the environment of the process when given none', () => {
    const before = process.env;
    process.env = { ...before, MOCK_SEED: '77' };
    try {
      expect(parseArguments([]).config.seed).toBe(77);
    } finally {
      process.env = before;
    }
  });

  describe.each([
    ['prettyLogs', 'pretty-logs', 'MOCK_PRETTY_LOGS'],
    ['validateResponses', 'validate-responses', 'MOCK_VALIDATE_RESPONSES'],
    ['builtinScenarios', 'builtin-scenarios', 'MOCK_BUILTIN_SCENARIOS'],
  ] as const)('the boolean %s', (key, name, variable) => {
    it.each([
      [[`--${name}`], true],
      [[`--no-${name}`], false],
      [[`--${name}`, 'false'], false],
      [[`--${name}=no`], false],
      [[`--${name}`, 'on', '--port', '0'], true],
      [[`--${name}`, '--port', '0'], true],
    ])('is set by %j to %s', (flags, expected) => {
      expect(parseArguments(flags, {}).config[key]).toBe(expected);
    });

    it.each([
      ['true', true],
      ['1', true],
      ['yes', true],
      ['ON', true],
      ['false', false],
      ['0', false],
      ['no', false],
      ['Off', false],
    ])(`is set by ${variable}=%s to %s`, (value, expected) => {
      expect(parseArguments([], { [variable]: value }).config[key]).toBe(expected);
    });

    it(`is turned off by --no-${name} whatever ${variable} says`, () => {
      expect(parseArguments([`--no-${name}`], { [variable]: 'true' }).config[key]).toBe(false);
    });
  });

  it.each([
    ['16mb', 16_777_216],
    ['512kb', 524_288],
    ['1KB', 1024],
    ['1.5kb', 1536],
    ['2gb', 2_147_483_648],
    ['1048576', 1_048_576],
  ])('reads the size %s as %d bytes, 1kb being 1024 bytes', (size, expected) => {
    expect(parseArguments(['--max-body', size], {}).config.maxBodyBytes).toBe(expected);
  });
});

describe('parseArguments refusing a value', () => {
  beforeAll(() => {
    expect(fs.existsSync(MISSING)).toBe(false);
  });

  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    ['a port out of range', ['--port', '70000'], {}, '--port: must be an integer from 0 to 65535 (got "70000")'],
    ['a port out of range', [], { PORT: '70000' }, 'PORT: must be an integer from 0 to 65535 (got "70000")'],
    ['a negative port', ['--port', '-1'], {}, '--port: must be an integer from 0 to 65535 (got "-1")'],
    [
      'an IPv4 address with a number over 255',
      ['--host', '999.1.1.1'],
      {},
      '--host: 999.1.1.1 is not a valid IPv4 address: its four numbers must each be 0 to 255',
    ],
    [
      'an IPv4 address with a number over 255',
      [],
      { HOST: '999.1.1.1' },
      'HOST: 999.1.1.1 is not a valid IPv4 address: its four numbers must each be 0 to 255',
    ],
    [
      'an IPv4 address with three numbers',
      ['--host', '10.0.1'],
      {},
      '--host: 10.0.1 is not a valid IPv4 address: its four numbers must each be 0 to 255',
    ],
    [
      'a host that is no name',
      ['--host', 'my host!'],
      {},
      '--host: "my host!" is neither an IP address nor a host name such as localhost',
    ],
    ['a blank host', ['--host', ' '], {}, '--host: must not be empty'],
    [
      'a folder as the document',
      ['--spec', SHIPPED_FIXTURES],
      {},
      `--spec: names a folder, not a file: ${SHIPPED_FIXTURES}`,
    ],
    [
      'a folder as the document',
      [],
      { MOCK_SPEC: SHIPPED_FIXTURES },
      `MOCK_SPEC: names a folder, not a file: ${SHIPPED_FIXTURES}`,
    ],
    ['a missing document', ['--spec', MISSING], {}, `--spec: names a file that does not exist: ${MISSING}`],
    [
      'a file as the fixtures',
      ['--fixtures', SHIPPED_SPEC],
      {},
      `--fixtures: names a file, not a folder: ${SHIPPED_SPEC}`,
    ],
    [
      'a file as the fixtures',
      [],
      { MOCK_FIXTURES: SHIPPED_SPEC },
      `MOCK_FIXTURES: names a file, not a folder: ${SHIPPED_SPEC}`,
    ],
    [
      'a missing fixtures folder',
      ['--fixtures', MISSING],
      {},
      `--fixtures: names a folder that does not exist: ${MISSING}`,
    ],
    ['a blank scenario', ['--scenario', ' '], {}, '--scenario: must not be empty'],
    ['a non-numeric seed', ['--seed', 'abc'], {}, '--seed: must be an integer from 0 to 4294967295 (got "abc")'],
    ['a fractional seed', [], { MOCK_SEED: '1.5' }, 'MOCK_SEED: must be an integer from 0 to 4294967295 (got "1.5")'],
    ['a negative count', ['--generate', '-1'], {}, '--generate: must be an integer from 0 to 100000 (got "-1")'],
    [
      'an unknown log level',
      ['--log-level', 'loud'],
      {},
      '--log-level: Allowed choices are fatal, error, warn, info, debug, trace, silent.',
    ],
    [
      'a value that is not a boolean',
      ['--pretty-logs', 'maybe'],
      {},
      '--pretty-logs: must be true or false (or 1 or 0, yes or no, on or off) (got "maybe")',
    ],
    [
      'a value that is not a boolean',
      [],
      { MOCK_VALIDATE_RESPONSES: 'maybe' },
      'MOCK_VALIDATE_RESPONSES: must be true or false (or 1 or 0, yes or no, on or off) (got "maybe")',
    ],
    [
      'a value that is not a boolean',
      [],
      { MOCK_BUILTIN_SCENARIOS: 'none' },
      'MOCK_BUILTIN_SCENARIOS: must be true or false (or 1 or 0, yes or no, on or off) (got "none")',
    ],
    [
      'an origin that is not http(s)',
      ['--cors-origin', 'ftp://a.example'],
      {},
      '--cors-origin: must list origins such as http://localhost:3000 (got "ftp://a.example")',
    ],
    ['an empty admin token', ['--admin-token', ''], {}, '--admin-token: must not be empty'],
    [
      'a size with an unknown unit',
      ['--max-body', '12zz'],
      {},
      '--max-body: must be a size of at least 1 byte, such as 16mb, 512kb or 1048576 (got "12zz")',
    ],
    [
      'a zero size',
      [],
      { MOCK_MAX_FILE: '0' },
      'MOCK_MAX_FILE: must be a size of at least 1 byte, such as 16mb, 512kb or 1048576 (got "0")',
    ],
    ['a zero count', ['--max-keystores', '0'], {}, '--max-keystores: must be an integer from 1 to 10000000 (got "0")'],
    [
      'a negative count',
      ['--journal-size', '-1'],
      {},
      '--journal-size: must be an integer from 0 to 1000000 (got "-1")',
    ],
    ['a zero count', ['--max-sessions', '0'], {}, '--max-sessions: must be an integer from 1 to 1000000 (got "0")'],
    [
      'a negative idle time',
      [],
      { MOCK_SESSION_IDLE: '-5' },
      'MOCK_SESSION_IDLE: must be an integer from 0 to 86400000 (got "-5")',
    ],
    ['a zero lifetime', ['--token-ttl', '0'], {}, '--token-ttl: must be an integer from 1 to 31536000 (got "0")'],
    ['a zero timeout', ['--body-timeout', '0'], {}, '--body-timeout: must be an integer from 1 to 600000 (got "0")'],
    [
      'a negative grace period',
      [],
      { MOCK_SHUTDOWN_GRACE: '-1' },
      'MOCK_SHUTDOWN_GRACE: must be an integer from 0 to 600000 (got "-1")',
    ],
    ['an unknown flag', ['--bogus'], {}, "unknown option '--bogus'"],
    ['a misspelt flag', ['--prot', '0'], {}, "unknown option '--prot' (Did you mean --port?)"],
    ['a flag without its value', ['--port'], {}, "option '-p, --port <number>' argument missing"],
    ['a stray argument', ['--port', '0', 'extra'], {}, 'extra: unexpected argument'],
  ])('refuses %s (%j %j) with one line naming it', (_case, argv, env, message) => {
    expect(refusal(argv, env)).toBe(message);
  });
});
