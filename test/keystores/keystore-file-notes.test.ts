import { api } from '../helpers/contract-request';
import { JKS_FILE, aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const PEM_FILE = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIDXTCCAkWgAwIBAgIJ\n').toString('base64');

async function lastNotes(app: Parameters<typeof api>[0]): Promise<unknown> {
  const res = await api(app).get('/__mock/requests?limit=1').expect(200);
  return res.body.requests[0].notes;
}

describe('looking inside keystore files', () => {
  it('accepts a create whose file does not match its declared type, and notes it in the journal', async () => {
    const { app } = await testApp();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'production', type: 'PKCS12', file: JKS_FILE }] }))
      .expect(200);
    expect(await lastNotes(app)).toEqual([
      'keyStoreEnvironmentList[0].file is declared PKCS12 but its bytes look like JKS (starts with FE ED FE ED)',
    ]);
  });

  it('accepts an update whose file is no keystore, and notes what it looks like', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app)
      .put(keystorePath('my-keystore'))
      .set(auth())
      .send(aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'staging', type: 'JKS', file: PEM_FILE }] }))
      .expect(200);
    expect(await lastNotes(app)).toEqual([
      'keyStoreEnvironmentList[0].file is declared JKS but its bytes are neither JKS nor PKCS#12: ' +
        'it looks like PEM text (starts with -----BEGIN CERTIFICATE-----)',
    ]);
  });

  it('notes nothing when each file looks like its declared type', async () => {
    const { app } = await testApp();
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    expect(await lastNotes(app)).toBeUndefined();
  });

  it('stores the mismatched file exactly as sent', async () => {
    const { app } = await testApp();
    const body = aKeystore({
      keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: PEM_FILE }],
    });
    await api(app).post(keystoresPath()).set(auth()).send(body).expect(200);
    const res = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList[0].keyStoreEnvironmentList[0].file).toBe(PEM_FILE);
  });
});
