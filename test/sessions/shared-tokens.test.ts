import { api } from '../helpers/contract-request';
import { auth, keystoresPath, testApp } from '../helpers/world';

const TOKEN_FORM = { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' };

describe('issued tokens across sessions', () => {
  it('accepts a token fetched without a session header in any session', async () => {
    const { app } = await testApp();
    const token = (await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200)).body
      .access_token as string;
    await api(app).get(keystoresPath()).set(auth(token)).set('X-Mock-Session', 'worker-1').expect(200);
  });

  it('keeps issued tokens when only one session is reset', async () => {
    const { app } = await testApp();
    const token = (await api(app).post('/apiops/auth/token').type('form').send(TOKEN_FORM).expect(200)).body
      .access_token as string;
    await api(app).post('/__mock/reset?session=worker-1').expect(200);
    await api(app).get(keystoresPath()).set(auth(token)).set('X-Mock-Session', 'worker-1').expect(200);
  });
});
