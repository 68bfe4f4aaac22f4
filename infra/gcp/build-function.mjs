// Builds the GCP push function into dist/gcp-function/: index.mjs (functions/gcp/index.ts, bundled),
// registry.json (the break-glass registry, validated by the project's own parser) and package.json
// (functions-framework, which the Node.js buildpack installs and starts). Beside it, sink-filter.txt:
// the Cloud Logging sink filter generated from the SAME registry, so the sink lets through exactly
// what the function looks for. Run: node infra/gcp/build-function.mjs  (GLASSWATCH_REGISTRY=path to pick the registry)
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { findRegistry } from '../../scripts/build-functions.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'dist', 'gcp-function');

const NODE_ESM = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __glasswatchRequire } from 'node:module'; const require = __glasswatchRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

/** The registry as JSON and the sink filter, both from the project's own code. */
async function compile(registryPath, scratch) {
  const helper = join(scratch, 'filters.mjs');
  await build({
    stdin: {
      contents:
        "export { parseRegistry } from './shared/core/registry/index.ts';\n" +
        "export { cloudLoggingFilter } from './shared/core/ingest/filters/index.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: helper,
    ...NODE_ESM,
  });
  const { parseRegistry, cloudLoggingFilter } = await import(pathToFileURL(helper).href);
  const registry = parseRegistry(await readFile(registryPath, 'utf8'), relative(ROOT, registryPath) || registryPath);
  return { registryJson: `${JSON.stringify(registry, null, 2)}\n`, sinkFilter: `${cloudLoggingFilter(registry)}\n` };
}

export async function buildGcpFunction(registryPath = findRegistry()) {
  await rm(OUT, { recursive: true, force: true });
  const scratch = join(ROOT, 'dist', '.gcp-build');
  await mkdir(scratch, { recursive: true });
  const { registryJson, sinkFilter } = await compile(registryPath, scratch);
  await build({
    entryPoints: { index: join(ROOT, 'functions/gcp/index.ts') },
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    ...NODE_ESM,
    // The buildpack installs it; it is also what starts the function.
    external: ['@google-cloud/functions-framework'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
  });
  const root = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  await writeFile(join(OUT, 'registry.json'), registryJson);
  await writeFile(join(OUT, 'sink-filter.txt'), sinkFilter);
  await writeFile(
    join(OUT, 'package.json'),
    `${JSON.stringify(
      {
        name: 'glasswatch-gcp-push',
        private: true,
        type: 'module',
        main: 'index.mjs',
        engines: { node: '>=24' },
        dependencies: { '@google-cloud/functions-framework': root.dependencies['@google-cloud/functions-framework'] },
      },
      null,
      2,
    )}\n`,
  );
  await rm(scratch, { recursive: true, force: true });
  return OUT;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(`built ${relative(process.cwd(), await buildGcpFunction())}`);
  } catch (error) {
    console.error(`build-function: ${error.message}`);
    process.exit(1);
  }
}
