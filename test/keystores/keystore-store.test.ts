import { ApiError } from '../../src/errors';
import type { KeystoreInput, ProjectInfo } from '../../src/keystores/keystore';
import { KeystoreStore } from '../../src/keystores/keystore-store';

const PROJECTS: ProjectInfo[] = [
  { name: 'MyProject', id: 'my-id', environmentNames: ['production', 'staging'] },
  { name: 'OtherProject', id: 'other-id', environmentNames: ['production'] },
];

function input(name: string, overrides: Partial<KeystoreInput> = {}): KeystoreInput {
  return {
    name,
    description: `keystore ${name}`,
    keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: 'AAEC' }],
    ...overrides,
  };
}

function names(store: KeystoreStore, project = 'MyProject'): string[] {
  return store.list(project).map((keystore) => keystore.name);
}

/** Runs `act`, expecting it to throw an ApiError, and returns that error. */
function apiErrorOf(act: () => unknown): ApiError {
  try {
    act();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, but nothing was thrown');
}

function duplicateMessage(name: string): string {
  return `Keystore (name: ${name}) is already exist! Try update operation if want to change its value.`;
}

describe('KeystoreStore', () => {
  let store: KeystoreStore;

  beforeEach(() => {
    store = new KeystoreStore(PROJECTS, { maxPerProject: 3 });
  });

  describe('projects', () => {
    it('knows each project by its case-sensitive name', () => {
      expect(store.project('MyProject')).toEqual(PROJECTS[0]);
      expect(store.project('myproject')).toBeUndefined();
    });

    it('lists the projects it was given', () => {
      expect(store.projectInfos()).toEqual(PROJECTS);
    });

    it('answers not_found naming the project for any use of an unknown project', () => {
      const error = apiErrorOf(() => store.list('NoSuchProject'));
      expect(error.status).toBe(404);
      expect(error.description).toBe(
        'Project (NoSuchProject) is not found or user does not have privilege to access it!',
      );
    });

    it('starts empty unless given keystores', () => {
      expect(store.snapshot()).toEqual({ MyProject: [], OtherProject: [] });
      expect(store.size()).toBe(0);
    });

    it('starts with the keystores it is given, in their order', () => {
      const initial = {
        MyProject: [
          { ...input('b'), projectId: 'my-id' },
          { ...input('a'), projectId: 'my-id' },
        ],
      };
      const seeded = new KeystoreStore(PROJECTS, { maxPerProject: 3 }, initial);
      expect(names(seeded)).toEqual(['b', 'a']);
      expect(seeded.list('OtherProject')).toEqual([]);
    });
  });

  describe('create', () => {
    it('stores the keystore with the projectId of its project and returns it', () => {
      const created = store.create('MyProject', input('alpha'));
      expect(created).toEqual({ ...input('alpha'), projectId: 'my-id' });
      expect(store.get('MyProject', 'alpha')).toEqual(created);
    });

    it('keeps only the contract fields, ignoring a projectId or extra fields in the input', () => {
      const sent = { ...input('alpha'), projectId: 'forged', extra: true } as KeystoreInput;
      expect(store.create('MyProject', sent)).toEqual({ ...input('alpha'), projectId: 'my-id' });
    });

    it('leaves the description out when the input has none', () => {
      const { description: _description, ...bare } = input('alpha');
      expect(store.create('MyProject', bare)).not.toHaveProperty('description');
    });

    it('lists keystores in creation order', () => {
      for (const name of ['charlie', 'alpha', 'bravo']) store.create('MyProject', input(name));
      expect(names(store)).toEqual(['charlie', 'alpha', 'bravo']);
    });

    it('rejects a taken name with the documented message and leaves the store unchanged', () => {
      store.create('MyProject', input('alpha'));
      const before = store.snapshot();
      const version = store.version('MyProject');
      const error = apiErrorOf(() => store.create('MyProject', input('alpha', { description: 'other' })));
      expect({ status: error.status, code: error.code, description: error.description }).toEqual({
        status: 400,
        code: 'bad_request',
        description: duplicateMessage('alpha'),
      });
      expect(store.snapshot()).toEqual(before);
      expect(store.version('MyProject')).toBe(version);
    });

    it('allows the same name in another project', () => {
      store.create('MyProject', input('shared'));
      store.create('OtherProject', input('shared'));
      expect(store.get('OtherProject', 'shared').projectId).toBe('other-id');
      expect(store.size()).toBe(2);
    });

    it('checks a create without changing anything', () => {
      store.create('MyProject', input('alpha'));
      const version = store.version('MyProject');
      store.assertCanCreate('MyProject', 'bravo');
      expect(apiErrorOf(() => store.assertCanCreate('MyProject', 'alpha')).description).toBe(duplicateMessage('alpha'));
      expect(names(store)).toEqual(['alpha']);
      expect(store.version('MyProject')).toBe(version);
    });
  });

  describe('the per-project limit', () => {
    beforeEach(() => {
      for (const name of ['a', 'b', 'c']) store.create('MyProject', input(name));
    });

    it('refuses a create past the limit with limit_exceeded and stores nothing', () => {
      const error = apiErrorOf(() => store.create('MyProject', input('d')));
      expect(error.status).toBe(400);
      expect(error.code).toBe('limit_exceeded');
      expect(names(store)).toEqual(['a', 'b', 'c']);
    });

    it('counts each project on its own', () => {
      store.create('OtherProject', input('d'));
      expect(names(store, 'OtherProject')).toEqual(['d']);
    });

    it('allows a create again once a keystore is removed', () => {
      store.remove('MyProject', 'b');
      store.create('MyProject', input('d'));
      expect(names(store)).toEqual(['a', 'c', 'd']);
    });

    it('still allows replacing and renaming at the limit', () => {
      store.replace('MyProject', 'b', input('renamed'));
      expect(names(store)).toEqual(['a', 'renamed', 'c']);
    });
  });

  describe('get', () => {
    it('answers bad_request naming the keystore in the product words', () => {
      const error = apiErrorOf(() => store.get('MyProject', 'ghost'));
      expect(error.status).toBe(400);
      expect(error.code).toBe('bad_request');
      expect(error.description).toBe('Keystore (name: ghost) is not found!');
    });

    it('does not find a keystore of another project', () => {
      store.create('OtherProject', input('elsewhere'));
      expect(store.has('MyProject', 'elsewhere')).toBe(false);
      expect(apiErrorOf(() => store.get('MyProject', 'elsewhere')).status).toBe(400);
    });
  });

  describe('replace', () => {
    beforeEach(() => {
      for (const name of ['alpha', 'bravo', 'charlie']) store.create('MyProject', input(name));
    });

    it('replaces the whole keystore under the same name, keeping its place', () => {
      const next = input('bravo', {
        keyStoreEnvironmentList: [{ environmentName: 'staging', type: 'PKCS12', file: 'AA==' }],
      });
      const { description: _description, ...withoutDescription } = next;
      store.replace('MyProject', 'bravo', withoutDescription);
      expect(store.get('MyProject', 'bravo')).toEqual({ ...withoutDescription, projectId: 'my-id' });
      expect(names(store)).toEqual(['alpha', 'bravo', 'charlie']);
    });

    it('renames a keystore, keeping its place in the creation order', () => {
      store.replace('MyProject', 'bravo', input('zulu'));
      expect(names(store)).toEqual(['alpha', 'zulu', 'charlie']);
      expect(store.has('MyProject', 'bravo')).toBe(false);
      expect(store.get('MyProject', 'zulu')).toEqual({ ...input('zulu'), projectId: 'my-id' });
    });

    it('frees the old name of a renamed keystore', () => {
      store.replace('MyProject', 'bravo', input('zulu'));
      store.remove('MyProject', 'alpha');
      store.create('MyProject', input('bravo'));
      expect(names(store)).toEqual(['zulu', 'charlie', 'bravo']);
    });

    it('rejects a rename onto a taken name with the documented message and leaves the store unchanged', () => {
      const before = store.snapshot();
      const version = store.version('MyProject');
      const error = apiErrorOf(() => store.replace('MyProject', 'alpha', input('charlie')));
      expect({ status: error.status, code: error.code, description: error.description }).toEqual({
        status: 400,
        code: 'bad_request',
        description: duplicateMessage('charlie'),
      });
      expect(store.snapshot()).toEqual(before);
      expect(store.version('MyProject')).toBe(version);
    });

    it('answers the update variant for a missing keystore before looking at the new name', () => {
      const error = apiErrorOf(() => store.replace('MyProject', 'ghost', input('alpha')));
      expect(error.status).toBe(400);
      expect(error.description).toBe('Keystore (name: ghost) is not found! Try create operation.');
      expect(names(store)).toEqual(['alpha', 'bravo', 'charlie']);
    });

    it('checks a replace without changing anything', () => {
      const version = store.version('MyProject');
      store.assertCanReplace('MyProject', 'alpha', 'new-name');
      store.assertCanReplace('MyProject', 'alpha', 'alpha');
      expect(apiErrorOf(() => store.assertCanReplace('MyProject', 'alpha', 'bravo')).code).toBe('bad_request');
      expect(names(store)).toEqual(['alpha', 'bravo', 'charlie']);
      expect(store.version('MyProject')).toBe(version);
    });
  });

  describe('remove', () => {
    beforeEach(() => {
      for (const name of ['alpha', 'bravo', 'charlie']) store.create('MyProject', input(name));
    });

    it('removes only the named keystore and returns it', () => {
      const removed = store.remove('MyProject', 'bravo');
      expect(removed).toEqual({ ...input('bravo'), projectId: 'my-id' });
      expect(names(store)).toEqual(['alpha', 'charlie']);
    });

    it('answers bad_request for a missing keystore and leaves the store unchanged', () => {
      const version = store.version('MyProject');
      expect(apiErrorOf(() => store.remove('MyProject', 'ghost')).status).toBe(400);
      expect(names(store)).toEqual(['alpha', 'bravo', 'charlie']);
      expect(store.version('MyProject')).toBe(version);
    });

    it('leaves the same name in another project alone', () => {
      store.create('OtherProject', input('bravo'));
      store.remove('MyProject', 'bravo');
      expect(names(store, 'OtherProject')).toEqual(['bravo']);
    });
  });

  describe('snapshot and restore', () => {
    it('exports every keystore by project, in creation order', () => {
      store.create('MyProject', input('bravo'));
      store.create('MyProject', input('alpha'));
      store.create('OtherProject', input('x'));
      expect(store.snapshot()).toEqual({
        MyProject: [
          { ...input('bravo'), projectId: 'my-id' },
          { ...input('alpha'), projectId: 'my-id' },
        ],
        OtherProject: [{ ...input('x'), projectId: 'other-id' }],
      });
      expect(store.size()).toBe(3);
    });

    it('gives a snapshot that later changes do not alter', () => {
      store.create('MyProject', input('alpha'));
      const snapshot = store.snapshot();
      store.create('MyProject', input('bravo'));
      store.remove('MyProject', 'alpha');
      expect(snapshot.MyProject?.map((keystore) => keystore.name)).toEqual(['alpha']);
    });

    it('is not changed by changes made to a snapshot', () => {
      store.create('MyProject', input('alpha'));
      store.snapshot().MyProject?.splice(0);
      expect(names(store)).toEqual(['alpha']);
    });

    it('restores a snapshot exactly, names, contents and order', () => {
      for (const name of ['charlie', 'alpha']) store.create('MyProject', input(name));
      store.create('OtherProject', input('x'));
      const snapshot = store.snapshot();
      store.replace('MyProject', 'charlie', input('renamed'));
      store.remove('OtherProject', 'x');
      store.create('MyProject', input('extra'));
      store.restore(snapshot);
      expect(store.snapshot()).toEqual(snapshot);
    });

    it('empties a project that the restored snapshot leaves out', () => {
      store.create('OtherProject', input('x'));
      store.restore({ MyProject: [{ ...input('alpha'), projectId: 'my-id' }] });
      expect(names(store)).toEqual(['alpha']);
      expect(store.list('OtherProject')).toEqual([]);
    });

    it('enforces uniqueness on restored keystores', () => {
      store.restore({ MyProject: [{ ...input('alpha'), projectId: 'my-id' }] });
      expect(apiErrorOf(() => store.create('MyProject', input('alpha'))).description).toBe(duplicateMessage('alpha'));
    });
  });

  describe('versions', () => {
    it.each([
      ['a create', (s: KeystoreStore) => s.create('MyProject', input('new'))],
      ['a replace under the same name', (s: KeystoreStore) => s.replace('MyProject', 'alpha', input('alpha'))],
      ['a rename', (s: KeystoreStore) => s.replace('MyProject', 'alpha', input('renamed'))],
      ['a remove', (s: KeystoreStore) => s.remove('MyProject', 'alpha')],
      ['a restore', (s: KeystoreStore) => s.restore(s.snapshot())],
    ])('bumps the project version on %s', (_case, change) => {
      store.create('MyProject', input('alpha'));
      const version = store.version('MyProject');
      change(store);
      expect(store.version('MyProject')).toBeGreaterThan(version);
    });

    it.each([
      ['reads', (s: KeystoreStore) => [s.list('MyProject'), s.get('MyProject', 'alpha'), s.snapshot(), s.size()]],
      ['a failed create', (s: KeystoreStore) => apiErrorOf(() => s.create('MyProject', input('alpha')))],
      ['a failed rename', (s: KeystoreStore) => apiErrorOf(() => s.replace('MyProject', 'alpha', input('bravo')))],
      ['a failed remove', (s: KeystoreStore) => apiErrorOf(() => s.remove('MyProject', 'ghost'))],
    ])('keeps the project version on %s', (_case, act) => {
      store.create('MyProject', input('alpha'));
      store.create('MyProject', input('bravo'));
      const version = store.version('MyProject');
      act(store);
      expect(store.version('MyProject')).toBe(version);
    });

    it('bumps only the version of the project that changed', () => {
      const other = store.version('OtherProject');
      store.create('MyProject', input('alpha'));
      expect(store.version('OtherProject')).toBe(other);
    });
  });
});
