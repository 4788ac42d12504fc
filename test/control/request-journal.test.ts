import { RequestJournal, type JournalEntry } from '../../src/control/request-journal';

type NewEntry = Omit<JournalEntry, 'sequence'>;

function anEntry(overrides: Partial<NewEntry> = {}): NewEntry {
  return {
    time: '2024-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/apiops/projects/MyProject/keystores/',
    operationId: 'listKeystores',
    session: 'default',
    scenario: 'happy',
    status: 200,
    durationMs: 1,
    keystoreName: null,
    request: { headers: {}, query: {}, body: null },
    response: { status: 200, headers: {}, body: null },
    ...overrides,
  };
}

function journalOf(capacity: number, entries: NewEntry[]): RequestJournal {
  const journal = new RequestJournal(capacity);
  for (const entry of entries) journal.record(entry);
  return journal;
}

const MIXED = [
  anEntry({ method: 'POST', operationId: 'createKeystore', status: 200, keystoreName: 'a' }),
  anEntry({ method: 'POST', operationId: 'createKeystore', status: 400, keystoreName: 'a' }),
  anEntry({ method: 'GET', operationId: 'listKeystores', status: 200 }),
  anEntry({ method: 'DELETE', operationId: 'deleteKeystore', status: 404, keystoreName: 'b' }),
  anEntry({ method: 'GET', operationId: 'getKeystore', status: 404, keystoreName: 'b' }),
];

const sequences = (entries: JournalEntry[]): number[] => entries.map((entry) => entry.sequence);

describe('RequestJournal', () => {
  it('returns entries oldest first, numbered from 1', () => {
    expect(sequences(journalOf(10, MIXED).entries())).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the fields it is given', () => {
    const entry = anEntry({ keystoreName: 'kept' });
    expect(journalOf(10, [entry]).entries()).toEqual([{ sequence: 1, ...entry }]);
  });

  it('keeps only the newest entries once it wraps around', () => {
    expect(sequences(journalOf(3, MIXED).entries())).toEqual([3, 4, 5]);
  });

  it('stays oldest first after wrapping around several times', () => {
    const journal = journalOf(2, [...MIXED, ...MIXED]);
    expect(sequences(journal.entries())).toEqual([9, 10]);
  });

  it('reports its size up to its capacity', () => {
    expect([journalOf(10, MIXED).size(), journalOf(3, MIXED).size()]).toEqual([5, 3]);
  });

  it.each([
    [{ operationId: 'createKeystore' }, [1, 2]],
    [{ method: 'GET' }, [3, 5]],
    [{ method: 'delete' }, [4]],
    [{ status: 404 }, [4, 5]],
    [{ method: 'POST', status: 400 }, [2]],
    [{ limit: 2 }, [4, 5]],
    [{ status: 404, limit: 1 }, [5]],
    [{ limit: 50 }, [1, 2, 3, 4, 5]],
    [{ operationId: 'updateKeystore' }, []],
  ])('filters with %j', (filter, expected) => {
    expect(sequences(journalOf(10, MIXED).entries(filter))).toEqual(expected);
  });

  it('filters only the entries still held after wrapping around', () => {
    expect(sequences(journalOf(3, MIXED).entries({ operationId: 'createKeystore' }))).toEqual([]);
  });

  it('clears every entry and says how many there were', () => {
    const journal = journalOf(3, MIXED);
    expect({ cleared: journal.clear(), entries: journal.entries(), size: journal.size() }).toEqual({
      cleared: 3,
      entries: [],
      size: 0,
    });
  });

  it('numbers from 1 again after a clear', () => {
    const journal = journalOf(3, MIXED);
    journal.clear();
    journal.record(anEntry());
    expect(sequences(journal.entries())).toEqual([1]);
  });

  it('records nothing with a capacity of zero', () => {
    const journal = journalOf(0, MIXED);
    expect({ entries: journal.entries(), size: journal.size() }).toEqual({ entries: [], size: 0 });
  });
});
