import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/server';
import { contractProblems } from '../helpers/contract-validator';
import { JKS_FILE, aKeystore, auth, keystoresPath } from '../helpers/world';

/** Debian's chromium by default; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'docs', 'dashboard.png');
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What page.evaluate callbacks read in the page; the suite compiles without the DOM library. */
interface PageGlobals {
  document: { activeElement: { getAttribute(name: string): string | null } | null };
}

let browser: Browser;
const mocks: MockServer[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await Promise.all(mocks.splice(0).map((mock) => mock.close()));
});

afterAll(async () => {
  await browser.close();
});

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const mock = await startMockServer({ seed: 42, logLevel: 'silent', wait: () => Promise.resolve(), ...options });
  mocks.push(mock);
  return mock;
}

/** A page of the dashboard, with every request it makes and every console error it logs. */
async function openDashboard(mock: MockServer, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  contexts.push(context);
  const page = await context.newPage();
  const requested: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${mock.url}/__mock/ui/`);
  return { page, requested, consoleErrors };
}

/** A call to the mock from the test, checked against the OpenAPI documents like every response of the suite. */
async function call(
  mock: MockServer,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${mock.url}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await res.json()) as Record<string, unknown>;
  const problems = await contractProblems(method, url, res.status, Object.fromEntries(res.headers), parsed);
  if (problems.length > 0) throw new Error(`${method} ${url} answered off-contract:\n- ${problems.join('\n- ')}`);
  return { status: res.status, body: parsed };
}

const createKeystore = (mock: MockServer, name: string) =>
  call(mock, 'POST', keystoresPath(), aKeystore({ name }), auth());

const keystoreRow = (page: Page, name: string) => page.locator(`tr[data-keystore="${name}"]`);

describe('the dashboard in a real browser', () => {
  it('loads with no request to any other host and no console error', async () => {
    const mock = await start();
    const { page, requested, consoleErrors } = await openDashboard(mock);
    await page.getByRole('heading', { name: 'Keystores (0)' }).waitFor({ timeout: 5000 });
    await page.getByText('live', { exact: true }).waitFor({ timeout: 5000 });
    const origin = new URL(mock.url).origin;
    expect(requested.filter((url) => /^https?:/.test(url) && new URL(url).origin !== origin)).toEqual([]);
    expect(requested.some((url) => url.endsWith('/__mock/ui/'))).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('shows the empty state with a curl on the page origin that creates the first keystore', async () => {
    const mock = await start();
    const { page } = await openDashboard(mock);
    const curl = await page.locator('#first-curl').textContent({ timeout: 5000 });
    expect(curl).toContain(`curl -s -X POST ${mock.url}/apiops/projects/MyProject/keystores/`);
    expect(curl).toContain("-H 'Authorization: Bearer demo-token'");
  });

  it('shows a keystore created through the API within a second, without a reload', async () => {
    const mock = await start();
    const { page } = await openDashboard(mock);
    await page.getByText('live', { exact: true }).waitFor({ timeout: 5000 });
    let reloaded = false;
    page.on('framenavigated', () => (reloaded = true));
    expect((await createKeystore(mock, 'from-the-api')).status).toBe(200);
    await keystoreRow(page, 'from-the-api').waitFor({ timeout: 1000 });
    await expect(keystoreRow(page, 'from-the-api').textContent()).resolves.toContain('looks like JKS');
    await page.locator('.journal li', { hasText: 'createKeystore' }).waitFor({ timeout: 1000 });
    expect(reloaded).toBe(false);
  });

  it('makes the next API create show the partial failure once the scenario is switched in the page', async () => {
    const mock = await start();
    const { page } = await openDashboard(mock);
    const scenario = page.locator('li.scenario', {
      has: page.getByRole('heading', { name: 'partial-deploy-failure' }),
    });
    await scenario.getByRole('button', { name: 'Activate' }).click({ timeout: 5000 });
    await page.locator('#active-scenario', { hasText: 'partial-deploy-failure' }).waitFor({ timeout: 5000 });
    const created = await call(
      mock,
      'POST',
      keystoresPath(),
      aKeystore({
        keyStoreEnvironmentList: [
          { environmentName: 'production', type: 'JKS', file: JKS_FILE },
          { environmentName: 'staging', type: 'JKS', file: JKS_FILE },
        ],
      }),
      auth(),
    );
    expect(created.body.deploymentResult).toMatchObject({
      success: false,
      environmentResults: [
        { environmentName: 'production', success: true },
        { environmentName: 'staging', success: false },
      ],
    });
    await page.locator('.journal li', { hasText: 'partial-deploy-failure' }).waitFor({ timeout: 2000 });
  });

  it('empties the table on reset in the page, and the API agrees', async () => {
    const mock = await start();
    await createKeystore(mock, 'one');
    await createKeystore(mock, 'two');
    const { page } = await openDashboard(mock);
    await keystoreRow(page, 'two').waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Reset session' }).click();
    await page.getByRole('heading', { name: 'Keystores (0)' }).waitFor({ timeout: 5000 });
    expect(await page.locator('tr[data-keystore]').count()).toBe(0);
    const listed = await call(mock, 'GET', keystoresPath(), undefined, auth());
    expect(listed.body.resultCount).toBe(0);
  });

  it('brings the keystores back by exporting, resetting and importing the file', async () => {
    const mock = await start();
    await createKeystore(mock, 'kept');
    const { page } = await openDashboard(mock);
    await keystoreRow(page, 'kept').waitFor({ timeout: 5000 });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 5000 }),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-')), 'state.json');
    await download.saveAs(file);
    await page.getByRole('button', { name: 'Reset all sessions' }).click();
    await page.getByRole('heading', { name: 'Keystores (0)' }).waitFor({ timeout: 5000 });
    await page.locator('#import-file').setInputFiles(file);
    await keystoreRow(page, 'kept').waitFor({ timeout: 5000 });
    const listed = await call(mock, 'GET', keystoresPath(), undefined, auth());
    expect(listed.body.resultList).toEqual([expect.objectContaining({ name: 'kept' })]);
  });

  it('shows why a bad import file was refused, and changes nothing', async () => {
    const mock = await start();
    await createKeystore(mock, 'stays');
    const { page } = await openDashboard(mock);
    await keystoreRow(page, 'stays').waitFor({ timeout: 5000 });
    const bad = { projects: { MyProject: { keystores: [{ name: 'no environments' }] } } };
    await page
      .locator('#import-file')
      .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.textContent()).toContain('The state was not imported, nothing changed');
    await page.locator('#import-file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ not json'),
    });
    await page.getByRole('alert').filter({ hasText: 'broken.json is not JSON' }).waitFor({ timeout: 5000 });
    expect((await call(mock, 'GET', keystoresPath(), undefined, auth())).body.resultCount).toBe(1);
  });

  it('opens a keystore to show its whole stored record', async () => {
    const mock = await start();
    await createKeystore(mock, 'detailed');
    const { page } = await openDashboard(mock);
    await page.getByRole('button', { name: 'Details of detailed' }).click({ timeout: 5000 });
    const dialog = page.getByRole('dialog', { name: 'detailed in MyProject' });
    await dialog.waitFor({ timeout: 5000 });
    expect(JSON.parse((await dialog.locator('pre').textContent()) ?? '')).toEqual(
      expect.objectContaining({
        name: 'detailed',
        keyStoreEnvironmentList: [expect.objectContaining({ file: JKS_FILE })],
      }),
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 5000 });
  });

  it('filters the journal and opens an entry to show its request and response', async () => {
    const mock = await start();
    await createKeystore(mock, 'filtered');
    await call(mock, 'GET', keystoresPath(), undefined, auth());
    const { page } = await openDashboard(mock);
    const rows = page.locator('.journal > li');
    await rows.nth(1).waitFor({ timeout: 5000 });
    await page.getByLabel('Operation').selectOption('createKeystore');
    await page.locator('.journal > li:nth-child(2)').waitFor({ state: 'detached', timeout: 5000 });
    expect(await rows.count()).toBe(1);
    await rows.first().locator('summary').click();
    await rows.first().getByRole('heading', { name: 'Response' }).waitFor({ timeout: 5000 });
  });

  it('is usable with the keyboard alone: Tab reaches a scenario and Enter activates it', async () => {
    const mock = await start();
    const { page } = await openDashboard(mock);
    await page.getByRole('heading', { name: 'Scenarios' }).waitFor({ timeout: 5000 });
    const target = 'deploy-failure';
    let reached = false;
    for (let presses = 0; presses < 80 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(
        (name) =>
          (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-describedby') ===
          `scenario-${name}`,
        target,
      );
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#active-scenario', { hasText: target }).waitFor({ timeout: 5000 });
  });

  it('keeps the journal in place while entries stream in', async () => {
    const mock = await start();
    const { page } = await openDashboard(mock);
    await page.getByText('live', { exact: true }).waitFor({ timeout: 5000 });
    const journal = page.locator('ol.journal');
    const before = await journal.boundingBox();
    for (let index = 0; index < 5; index += 1) await call(mock, 'GET', keystoresPath(), undefined, auth());
    await page.locator('.journal > li').nth(4).waitFor({ timeout: 5000 });
    expect(await journal.boundingBox()).toEqual(before);
    const heights = await page.locator('.journal summary').evaluateAll((rows) => rows.map((row) => row.clientHeight));
    expect(new Set(heights)).toEqual(new Set([40]));
  });

  it.each(['light', 'dark'] as const)(
    'has no serious or critical accessibility violation in %s mode (axe-core)',
    async (scheme) => {
      const mock = await start();
      await createKeystore(mock, 'scanned');
      const { page } = await openDashboard(mock, scheme);
      await keystoreRow(page, 'scanned').waitFor({ timeout: 5000 });
      await page.locator('.journal > li').first().waitFor({ timeout: 5000 });
      await page.evaluate(AXE_SOURCE);
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } }
        ).axe;
        const result = await axe.run();
        return result.violations.map(({ id, impact }) => ({ id, impact }));
      });
      expect(violations.filter(({ impact }) => impact === 'serious' || impact === 'critical')).toEqual([]);
    },
  );

  it('refuses to work without the admin token, page and event stream, and works once it is given', async () => {
    const mock = await start({ adminToken: 's3cret' });
    const { page } = await openDashboard(mock);
    const streamStatus = page.waitForResponse((res) => res.url().includes('/__mock/requests/stream'), {
      timeout: 5000,
    });
    await page.getByRole('heading', { name: 'Admin token needed' }).waitFor({ timeout: 5000 });
    expect((await streamStatus).status()).toBe(401);
    expect(await page.getByRole('heading', { name: /^Keystores/ }).count()).toBe(0);
    await page.getByLabel('Admin token', { exact: true }).fill('wrong');
    const refused = page.waitForResponse((res) => res.url().endsWith('/__mock/sessions'), { timeout: 5000 });
    await page.getByRole('button', { name: 'Use token' }).click();
    expect((await refused).status()).toBe(401);
    await page.getByRole('heading', { name: 'Admin token needed' }).waitFor({ timeout: 5000 });
    await page.getByLabel('Admin token', { exact: true }).fill('s3cret');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('heading', { name: 'Keystores (0)' }).waitFor({ timeout: 5000 });
    await page.getByText('live', { exact: true }).waitFor({ timeout: 5000 });
  });

  it('writes the screenshot the README shows', async () => {
    // A fixed clock keeps the journal's times, and so the committed picture, the same each run.
    const mock = await start({ clock: () => Date.parse('2026-12-01T09:30:00Z') });
    await createKeystore(mock, 'payments-gateway');
    await call(
      mock,
      'POST',
      keystoresPath(),
      aKeystore({
        name: 'partner-mtls',
        description: 'mTLS for partner calls',
        keyStoreEnvironmentList: [
          { environmentName: 'production', type: 'PKCS12', file: JKS_FILE },
          { environmentName: 'staging', type: 'JKS', file: JKS_FILE },
        ],
      }),
      { ...auth(), 'X-Mock-Scenario': 'partial-deploy-failure' },
    );
    await call(mock, 'GET', keystoresPath('OtherProject'), undefined, auth());
    const { page } = await openDashboard(mock);
    await keystoreRow(page, 'partner-mtls').waitFor({ timeout: 5000 });
    await page.locator('.journal > li').nth(2).waitFor({ timeout: 5000 });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });
});
