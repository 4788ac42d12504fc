import { api } from '../helpers/contract-request';
import { keystorePath, keystoresPath, testApp } from '../helpers/world';

describe('OPTIONS without an Origin (not a CORS preflight)', () => {
  it.each([
    [keystoresPath(), 'GET, POST, HEAD, OPTIONS'],
    [keystorePath('any-name'), 'GET, PUT, DELETE, HEAD, OPTIONS'],
    ['/apiops/auth/token', 'POST, OPTIONS'],
    ['/__mock/health', 'GET, HEAD, OPTIONS'],
  ])('answers %s with 204 and Allow: %s', async (path, allow) => {
    const { app } = await testApp();
    const res = await api(app).options(path).expect(204);
    expect(res.headers.allow).toBe(allow);
  });

  it('still answers an unknown path with 404', async () => {
    const { app } = await testApp();
    await api(app).options('/apiops/nowhere').expect(404);
  });
});
