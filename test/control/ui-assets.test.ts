import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { DASHBOARD_CSP, uiAssets } from '../../src/control/ui-assets';

const SCRIPT = 'export const page = 1;\n';

/** A dashboard folder as the build writes it: index.html, a hashed script, and compressed copies. */
function builtFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-assets-'));
  fs.writeFileSync(
    path.join(folder, 'index.html'),
    '<!doctype html><script type="module" src="./main-ABCD2345.js"></script>',
  );
  fs.writeFileSync(path.join(folder, 'main-ABCD2345.js'), SCRIPT);
  fs.writeFileSync(path.join(folder, 'main-ABCD2345.js.gz'), zlib.gzipSync(SCRIPT));
  fs.writeFileSync(path.join(folder, 'main-ABCD2345.js.br'), zlib.brotliCompressSync(SCRIPT));
  return folder;
}

function appFor(folder: string) {
  const app = express();
  app.use('/__mock/ui', uiAssets({ folder, mount: '/__mock/ui', closing: () => false }));
  return app;
}

describe('the dashboard files', () => {
  it('redirects /__mock/ui to /__mock/ui/', async () => {
    const res = await request(appFor(builtFolder())).get('/__mock/ui').expect(301);
    expect(res.headers.location).toBe('/__mock/ui/');
  });

  it('serves index.html uncached, under a strict Content-Security-Policy, with nosniff', async () => {
    const res = await request(appFor(builtFolder())).get('/__mock/ui/').set('Accept-Encoding', 'identity').expect(200);
    expect(res.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
    });
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
  });

  it.each([
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['identity', undefined],
  ])(
    'answers Accept-Encoding %p with Content-Encoding %p, a hashed file cached for ever',
    async (accepted, encoding) => {
      const res = await request(appFor(builtFolder()))
        .get('/__mock/ui/main-ABCD2345.js')
        .set('Accept-Encoding', accepted)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toBe('Accept-Encoding');
    },
  );

  it.each(['/__mock/ui/nothing-here.js', '/__mock/ui/..%2Fsecret', '/__mock/ui/main-ABCD2345.js.br'])(
    'answers %s with 404 not_found',
    async (url) => {
      const res = await request(appFor(builtFolder())).get(url).expect(404);
      expect(res.body.error).toBe('not_found');
    },
  );

  it('says how to build the page when dist/ui was never built', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-assets-'));
    const res = await request(appFor(empty)).get('/__mock/ui/').expect(404);
    expect(res.body.error_description).toContain('run npm run build');
  });

  it('refuses other methods with 405 and an Allow header', async () => {
    const res = await request(appFor(builtFolder())).post('/__mock/ui/').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});
