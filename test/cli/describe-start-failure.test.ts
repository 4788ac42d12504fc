import net from 'node:net';
import { parseArguments } from '../../src/cli/parse-arguments';
import { describeStartFailure } from '../../src/cli/run-cli';
import { StartupError } from '../../src/fixtures/read-data-file';

const ELSEWHERE = 'use 127.0.0.1, 0.0.0.0 (every interface) or an address of this machine';

/** The error a real listen on this address gets. */
function listenError(port: number, host: string): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', resolve);
    server.listen(port, host, () => server.close(() => reject(new Error(`${host}:${port} was free`))));
  });
}

/** A port some other server holds until the returned close is called. */
function holdAPort(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise((closed) => server.close(() => closed())),
      });
    });
  });
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

describe('describeStartFailure', () => {
  it.each([
    ['the --port flag', (port: number) => parseArguments(['--port', String(port)], {}), '--port'],
    ['the PORT variable', (port: number) => parseArguments([], { PORT: String(port) }), 'PORT'],
  ])('names %s when the port is in use', async (_source, parse, label) => {
    const held = await holdAPort();
    try {
      const error = await listenError(held.port, '127.0.0.1');
      expect(describeStartFailure(error, parse(held.port))).toBe(
        `${label}: ${held.port} is already in use on 127.0.0.1; choose another port, or 0 for a free one`,
      );
    } finally {
      await held.close();
    }
  });

  it.each([
    ['the --host flag', parseArguments(['--port', '0', '--host', '192.0.2.1'], {}), '--host'],
    ['the HOST variable', parseArguments([], { PORT: '0', HOST: '192.0.2.1' }), 'HOST'],
  ])('names %s when the address is not one of this machine', async (_source, parsed, label) => {
    const error = await listenError(0, '192.0.2.1');
    expect(describeStartFailure(error, parsed)).toBe(
      `${label}: 192.0.2.1 is not an address of this machine; ${ELSEWHERE}`,
    );
  });

  it.each([
    ['ENOTFOUND', '--host: mock.invalid does not resolve to an address; ' + ELSEWHERE],
    ['EAI_AGAIN', '--host: mock.invalid does not resolve to an address; ' + ELSEWHERE],
    ['EACCES', '--port: 80 needs privileges this process does not have; choose a port above 1023'],
  ])('says what is wrong on %s', (code, line) => {
    const parsed = parseArguments(['--host', 'mock.invalid', '--port', '80'], {});
    expect(describeStartFailure(errno(code), parsed)).toBe(line);
  });

  it('names the variable that chose an option a startup error is about', () => {
    const parsed = parseArguments([], { MOCK_SCENARIO: 'nope' });
    const error = new StartupError('scenario: unknown scenario "nope"', 'scenario', 'unknown scenario "nope"');
    expect(describeStartFailure(error, parsed)).toBe('MOCK_SCENARIO: unknown scenario "nope"');
  });

  it('keeps the message of a startup error about a file', () => {
    const error = new StartupError('Failed to load fixtures/world.yaml: the file does not exist.');
    expect(describeStartFailure(error, parseArguments([], {}))).toBe(error.message);
  });

  it('leaves any other failure to the caller', () => {
    expect(describeStartFailure(new Error('boom'), parseArguments([], {}))).toBeUndefined();
  });
});
