// A CommonJS program requires the package.
/* global fetch */
const assert = require('node:assert/strict');
const { ApiError, DEFAULT_CONFIG, createApp, resolveConfig, startMockServer } = require('keystore-mock');

async function main() {
  const mock = await startMockServer({ seed: 42 });
  try {
    const res = await fetch(`${mock.url}/apiops/projects/MyProject/keystores/`, {
      headers: { Authorization: 'Bearer demo-token' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { success: true, resultList: [], resultCount: 0 });
    await assert.rejects(mock.setScenario('no-such-scenario'), ApiError);
  } finally {
    await mock.close();
  }

  const { app } = await createApp(resolveConfig({ logLevel: 'silent' }));
  assert.equal(typeof app, 'function', 'createApp(...).app is an Express application');
  assert.equal(DEFAULT_CONFIG.port, 8080);
  console.log('CommonJS require of keystore-mock works');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
