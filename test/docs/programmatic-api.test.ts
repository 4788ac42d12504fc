import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'src', 'index.ts');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The README's section on the programmatic API, up to the next `## ` heading. */
function apiSection(): string {
  const start = README.indexOf('## In a jest suite (programmatic API)');
  if (start < 0) throw new Error('README.md has no "## In a jest suite (programmatic API)" section');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The package's exports as TypeScript sees them, which of them are interfaces, and their members. */
function packageExports(): { names: string[]; interfaces: string[]; membersOf: (name: string) => string[] } {
  const program = ts.createProgram([ENTRY], {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    esModuleInterop: true,
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`TypeScript could not load ${ENTRY}`);
  const symbols = checker.getExportsOfModule(moduleSymbol);
  const resolve = (symbol: ts.Symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return {
    names: symbols.map((symbol) => symbol.getName()).sort(),
    interfaces: symbols
      .filter((symbol) => resolve(symbol).flags & ts.SymbolFlags.Interface)
      .map((symbol) => symbol.getName())
      .sort(),
    membersOf: (name) => {
      const symbol = symbols.find((candidate) => candidate.getName() === name);
      if (symbol === undefined) throw new Error(`the package exports no ${name}`);
      const type = checker.getDeclaredTypeOfSymbol(resolve(symbol));
      return checker
        .getPropertiesOfType(type)
        .map((property) => property.getName())
        .sort();
    },
  };
}

/** The first column of the member table that follows the README's `**\`name\`**` paragraph. */
function documentedMembers(section: string, name: string): string[] {
  const start = section.indexOf(`**\`${name}\`**`);
  if (start < 0) throw new Error(`the README's API section has no **\`${name}\`** paragraph`);
  const table = /\n\n((?:\|.*\n)+)/.exec(section.slice(start))?.[1] ?? '';
  return [...table.matchAll(/^\| `(\w+)/gm)].map((match) => match[1] as string).sort();
}

/** The paragraph of the README's API section that holds `**\`name\`**`. */
function paragraphOf(section: string, name: string): string {
  const start = section.indexOf(`**\`${name}\`**`);
  if (start < 0) throw new Error(`the README's API section has no **\`${name}\`** paragraph`);
  const paragraphStart = section.lastIndexOf('\n\n', start);
  const end = section.indexOf('\n\n', start);
  return section.slice(paragraphStart, end < 0 ? undefined : end);
}

const TABLED = ['MockServer', 'MockApp'];

describe('the README programmatic API reference', () => {
  const section = apiSection();
  const api = packageExports();

  it.each(api.names)('documents the export %s in bold', (name) => {
    expect(section).toMatch(new RegExp(`\\*\\*\`${name}[(\`]`));
  });

  it.each(api.interfaces.filter((name) => !TABLED.includes(name)))(
    'names every field of %s in its paragraph',
    (name) => {
      const paragraph = paragraphOf(section, name);
      expect(api.membersOf(name).filter((member) => !paragraph.includes(`\`${member}\``))).toEqual([]);
    },
  );

  it.each(TABLED)('lists exactly the members of %s in its table', (name) => {
    expect(documentedMembers(section, name)).toEqual(api.membersOf(name));
  });
});
