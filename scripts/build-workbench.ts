/**
 * Bundles the GraphQL workbench (src/workbench/ui: GraphiQL, React, its CSS and fonts) into
 * dist/workbench/ with esbuild: one JS and one CSS file named by a hash of their content, and a
 * manifest.json naming them for the server. Run by `npm run build` after tsc.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../src/workbench/workbench';

async function main(): Promise<void> {
  const root = projectRoot(__dirname);
  const outdir = join(root, 'dist', 'workbench');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const started = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { workbench: join(root, 'src', 'workbench', 'ui', 'main.tsx') },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    // Fonts and images stay inside the CSS (GraphiQL ships its fonts as data: URLs already).
    loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    entryNames: '[name]-[hash]',
    outdir,
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`esbuild wrote ${outputs.join(', ')}: expected a .js and a .css`);
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ js, css }, null, 2) + '\n');
  const sizes = readdirSync(outdir).map((f) => `${f} ${Math.round(statSync(join(outdir, f)).size / 1024)} kB`);
  process.stdout.write(`workbench built in ${Date.now() - started} ms: ${sizes.join(', ')}\n`);
}

main().catch((err) => {
  process.stderr.write(`workbench build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
