import { createApp, type MockApp } from '../../src/app';
import { resolveConfig } from '../../src/config';
import { createLogger } from '../../src/logging/create-logger';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath } from '../helpers/world';

const KNOWN = 'known: production, staging, development';

function withEnvironment(environmentName: string, name = 'my-keystore'): Record<string, unknown> {
  return aKeystore({ name, keyStoreEnvironmentList: [{ environmentName, type: 'JKS', file: JKS_FILE }] });
}

/** The journal notes of the last product request. */
async function lastNotes(mock: MockApp): Promise<string[] | undefined> {
  return (await mock.requests()).at(-1)?.notes;
}

describe('an environment the project does not have', () => {
  let mock: MockApp;
  const lines: string[] = [];

  beforeEach(async () => {
    lines.length = 0;
    mock = await createApp(resolveConfig({ seed: 42, logLevel: 'info', validateResponses: true }), {
      logger: createLogger('info', false, { write: (line: string) => void lines.push(line) }),
      wait: () => Promise.resolve(),
    });
  });

  it('answers a create with exactly the product words, naming only the environment', async () => {
    const res = await api(mock.app).post(keystoresPath()).set(auth()).send(withEnvironment('stagng')).expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      error_description: 'Environment (stagng) is not found or user does not have privilege to access it!',
    });
  });

  it('records the known environments of the project as a note in the journal entry', async () => {
    await api(mock.app).post(keystoresPath()).set(auth()).send(withEnvironment('stagng')).expect(400);
    expect(await lastNotes(mock)).toEqual([
      `environment "stagng" is not an environment of project MyProject; ${KNOWN}`,
    ]);
  });

  it('names the project of the path in the note of another project', async () => {
    await api(mock.app).post(keystoresPath('OtherProject')).set(auth()).send(withEnvironment('qa')).expect(400);
    expect(await lastNotes(mock)).toEqual([`environment "qa" is not an environment of project OtherProject; ${KNOWN}`]);
  });

  it('records the note for an update too', async () => {
    await api(mock.app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(mock.app).put(keystorePath('my-keystore')).set(auth()).send(withEnvironment('qa')).expect(400);
    expect(await lastNotes(mock)).toEqual([`environment "qa" is not an environment of project MyProject; ${KNOWN}`]);
  });

  it('writes the note on the request log line', async () => {
    await api(mock.app).post(keystoresPath()).set(auth()).send(withEnvironment('stagng')).expect(400);
    const requestLine = lines
      .map((line) => JSON.parse(line) as { msg?: string; notes?: string[] })
      .find((line) => line.msg === 'request');
    expect(requestLine?.notes).toEqual([`environment "stagng" is not an environment of project MyProject; ${KNOWN}`]);
  });

  it('leaves the journal entry of a request that passes without notes', async () => {
    await api(mock.app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    expect(await lastNotes(mock)).toBeUndefined();
  });
});
