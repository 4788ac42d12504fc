import fs from 'node:fs';
import path from 'node:path';
import { UsageError, cliOptions, parseArguments } from '../../src/cli/parse-arguments';

/** The README's Configuration section, up to the next section. */
function configurationSection(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration\n');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

/** The cells of one column of the section's table, with their backquotes. */
function column(section: string, index: number): string[] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| flag') && !line.startsWith('| ---'))
    .map((line) => line.split('|')[index + 1]?.trim() ?? '')
    .filter((cell) => cell !== '');
}

describe("the README's Configuration section", () => {
  const section = configurationSection();
  const options = Object.values(cliOptions());

  it('lists the environment variable of every option, and no other', () => {
    const documented = column(section, 1).map((cell) => cell.replace(/`/g, ''));
    expect(documented.sort()).toEqual(options.map((option) => option.envVar).sort());
  });

  it('lists the flag of every option, with the --no- form of each boolean', () => {
    const flags = column(section, 0).join(' ');
    const expected = options.flatMap((option) =>
      option.optional ? [option.long, `--no-${option.name()}`] : [option.long],
    );
    expect(expected.filter((flag) => !flags.includes(`${flag}\``))).toEqual([]);
  });

  it.each<[string[], NodeJS.ProcessEnv]>([
    [['--host', '999.1.1.1'], {}],
    [[], { MOCK_SPEC: './fixtures' }],
    [['--fixtures', './my-fixtures'], {}],
  ])('shows the line the CLI prints for %j %j', (argv, env) => {
    let line = '';
    try {
      parseArguments(argv, env);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      line = `keystore-mock: ${error.message}`;
    }
    expect(section.split('\n')).toContain(line);
  });
});
