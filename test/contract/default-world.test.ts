import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Express } from 'express';
import { loadWorld } from '../../src/fixtures/load-world';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const SHIPPED = path.join(__dirname, '..', '..', 'fixtures');

/** A fixtures folder holding the shipped world changed by `change`; removed by the caller. */
function changedWorld(change: (world: { projects: { environments: Record<string, unknown>[] }[] }) => void): string {
  const world = yaml.load(fs.readFileSync(path.join(SHIPPED, 'world.yaml'), 'utf8')) as Parameters<typeof change>[0];
  change(world);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-world-'));
  fs.writeFileSync(path.join(dir, 'world.json'), JSON.stringify(world));
  return dir;
}

describe('the default world of contract version 2', () => {
  let app: Express;

  beforeAll(async () => {
    ({ app } = await testApp());
  });

  it('gives admin-token both keystore roles as well as ROLE_ADMIN', async () => {
    await api(app).post(keystoresPath()).set(auth('admin-token')).send(aKeystore()).expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth('admin-token')).expect(200);
    await api(app).delete(keystorePath('my-keystore')).set(auth('admin-token')).expect(200);
    await api(app).get('/apiops/environments/').set(auth('admin-token')).expect(200);
  });

  it('gives the admin user ROLE_ADMIN and demo-token not', () => {
    const world = loadWorld(SHIPPED);
    expect(world.users.find((user) => user.clientId === 'admin')?.roles).toContain('ROLE_ADMIN');
    expect(world.tokens.find((token) => token.token === 'demo-token')?.roles).not.toContain('ROLE_ADMIN');
  });

  it('ships environments whose deployed and redeployRequired are true, false or null', () => {
    const environments = loadWorld(SHIPPED).projects.flatMap((project) => project.environments);
    expect(new Set(environments.map((environment) => environment.deployed))).toEqual(new Set([true, false]));
    expect(new Set(environments.map((environment) => environment.redeployRequired))).toEqual(new Set([false, null]));
  });
});

describe('the deployed and redeployRequired fields of a world', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('accepts an environment without them', () => {
    const dir = changedWorld((world) => {
      delete world.projects[0]?.environments[0]?.deployed;
      delete world.projects[0]?.environments[0]?.redeployRequired;
    });
    folders.push(dir);
    expect(loadWorld(dir).projects[0]?.environments[0]).not.toHaveProperty('deployed');
  });

  it.each([
    ['deployed', 'yes'],
    ['redeployRequired', 0],
  ])('refuses %s set to %p, naming the file and the field', (field, value) => {
    const dir = changedWorld((world) => {
      const environment = world.projects[0]?.environments[1];
      if (environment !== undefined) environment[field] = value;
    });
    folders.push(dir);
    expect(() => loadWorld(dir)).toThrow(`projects[0].environments[1].${field} must be boolean.`);
  });
});
