#!/usr/bin/env node
/**
 * Builds the dashboard (ui/) into dist/ui: one hashed script and stylesheet bundled by esbuild,
 * an index.html that names them, and a brotli and a gzip copy of each file, so the mock serves
 * them without compressing at run time. Fails when the compressed page passes its budget.
 * `node scripts/build-ui.js` (part of `npm run build`).
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const esbuild = require('esbuild');

const ROOT = path.join(__dirname, '..');
const SOURCE = path.join(ROOT, 'ui');
const OUT = path.join(ROOT, 'dist', 'ui');
/** The limit for every asset of the page, compressed (the gzip copies, which every browser takes). */
const BUDGET_BYTES = 150 * 1024;

async function main() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [path.join(SOURCE, 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: OUT,
    entryNames: '[name]-[hash]',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const stylesheet = outputs.find((file) => file.endsWith('.css'));
  if (script === undefined || stylesheet === undefined) {
    throw new Error(`esbuild wrote ${outputs.join(', ')}: expected one .js and one .css file`);
  }
  const html = fs
    .readFileSync(path.join(SOURCE, 'index.html'), 'utf8')
    .replace('{{js}}', `./${script}`)
    .replace('{{css}}', `./${stylesheet}`);
  fs.writeFileSync(path.join(OUT, 'index.html'), html);

  let total = 0;
  const lines = [];
  for (const file of ['index.html', script, stylesheet]) {
    const raw = fs.readFileSync(path.join(OUT, file));
    const gzip = zlib.gzipSync(raw, { level: 9 });
    const brotli = zlib.brotliCompressSync(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
    fs.writeFileSync(path.join(OUT, `${file}.gz`), gzip);
    fs.writeFileSync(path.join(OUT, `${file}.br`), brotli);
    total += gzip.length;
    lines.push(`  ${file}: ${raw.length} B, gzip ${gzip.length} B, brotli ${brotli.length} B`);
  }
  console.log(`dashboard built into dist/ui (${(total / 1024).toFixed(1)} KB gzip of ${BUDGET_BYTES / 1024} KB)`);
  console.log(lines.join('\n'));
  if (total > BUDGET_BYTES) {
    throw new Error(
      `the dashboard is ${total} bytes gzip-compressed, over its budget of ${BUDGET_BYTES}: ` +
        'drop a dependency or split less into the page',
    );
  }
}

main().catch((error) => {
  console.error(`Failed to build the dashboard: ${error.message}`);
  process.exit(1);
});
