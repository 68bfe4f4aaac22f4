// Builds one Lambda bundle per function into dist/functions/<name>/: index.mjs, its source map,
// registry.json (the break-glass registry, validated here by the same parseRegistry the CLI uses, so a
// broken registry fails the build) and a package.json so `sam build` accepts the folder as is.
//
// AWS SDK v3 is BUNDLED, not left external to the copy in the Node.js 22 runtime: bundled and minified,
// the version is the one we tested and init is faster than resolving the runtime's full, unminified
// client packages. With the SDK inside, bundles are 600-850 KiB minified, under the 1 MB target
// (bench/lambda-bundles.ts prints the figures).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/**
 * zod's `z` namespace re-exports every message locale (`z.locales.*`, ~40 languages, ~250 KB minified);
 * Glasswatch only uses the English messages zod configures by default, so the locale index resolves
 * to English alone.
 */
const ZOD_ENGLISH_ONLY = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-en' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * The X-Ray SDK (Powertools Tracer) and its cls-hooked use all of `semver` (29 KB) for one call each:
 * `semver.gte(version, minimum)` on plain x.y.z versions. This is that call.
 */
const SEMVER_GTE_ONLY = {
  name: 'semver-gte-only',
  setup(build) {
    build.onResolve({ filter: /^semver$/ }, (args) =>
      /[\\/](aws-xray-sdk-core|cls-hooked)[\\/]/.test(args.importer)
        ? { path: 'semver-gte', namespace: 'semver-gte' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'semver-gte' }, () => ({
      contents: `const parts = (v) => String(v).replace(/^v/, '').split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
module.exports.gte = (a, b) => {
  const x = parts(a), y = parts(b);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return true;
};`,
      loader: 'js',
    }));
  },
};

/**
 * Lambda always hands credentials to a function in its environment, which the SDK's default chain reads
 * first; the chain's other providers (SSO, INI files, processes, web identity, container/instance
 * metadata) are only reached through dynamic import() when that fails, so they are left out (~110 KB and
 * ~10 ms of init less per function). Outside Lambda, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to run a bundle.
 */
const LAMBDA_UNUSED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/token-providers',
  '@aws-sdk/nested-clients',
  '@aws-sdk/nested-clients/*',
];

/** ESM for Node: ESM builds of dependencies first; CommonJS ones (X-Ray SDK) get a require() for built-ins. */
const NODE_ESM = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  plugins: [ZOD_ENGLISH_ONLY, SEMVER_GTE_ONLY],
  banner: {
    js: "import { createRequire as __glasswatchRequire } from 'node:module'; const require = __glasswatchRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

/** Function name (the folder under dist/functions, the template's CodeUri) → entry file. */
export const FUNCTIONS = {
  'eventbridge-ingest': 'functions/ingest/eventbridge.ts',
  's3-log-files': 'functions/ingest/s3-log-files.ts',
  backfill: 'functions/ingest/backfill.ts',
  sweeper: 'functions/ingest/sweeper.ts',
  'close-sessions': 'functions/correlate/close-sessions.ts',
  responders: 'functions/act/responders.ts',
  'gcp-logging-poller': 'functions/pollers/gcp-logging.ts',
  'azure-log-analytics-poller': 'functions/pollers/azure-log-analytics.ts',
  'event-hub-consumer': 'functions/azure/event-hub-consumer.ts',
  drill: 'functions/assure/drill.ts',
  'heartbeat-check': 'functions/assure/heartbeat-check.ts',
  'compliance-check': 'functions/assure/compliance-check.ts',
  verify: 'functions/assure/verify.ts',
};

/** `GLASSWATCH_REGISTRY`, else registry.yaml at the repository root, else examples/registry.yaml. */
export function findRegistry(root = ROOT, env = process.env) {
  if (env.GLASSWATCH_REGISTRY) {
    const path = resolve(root, env.GLASSWATCH_REGISTRY);
    if (!existsSync(path)) throw new Error(`GLASSWATCH_REGISTRY=${env.GLASSWATCH_REGISTRY}: no such file`);
    return path;
  }
  for (const candidate of ['registry.yaml', 'examples/registry.yaml']) {
    const path = join(root, candidate);
    if (existsSync(path)) return path;
  }
  throw new Error('no break-glass registry: create registry.yaml at the repository root or set GLASSWATCH_REGISTRY');
}

/**
 * Parses the registry YAML with the project's own parsers (schema, unique ids, drills naming known
 * accounts, the responders block) and returns it as JSON text. Throws listing every problem; warns
 * about settings that are valid locally but cannot work on Lambda.
 */
async function compileRegistry(path, scratch, warn) {
  const checker = join(scratch, 'registry-check.mjs');
  await build({
    stdin: {
      contents:
        "export { parseRegistry } from './shared/core/registry/index.ts';\n" +
        "export { respondersSchema } from './shared/core/act/config-schema.ts';\n" +
        "export { planFor } from './shared/core/act/plan.ts';\n" +
        "export { RULES } from './shared/core/detect/rules/index.ts';\n" +
        "export { ruleInfoOf } from './shared/core/act/render/ticket.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: checker,
    ...NODE_ESM,
  });
  const { parseRegistry, respondersSchema, planFor, RULES, ruleInfoOf } = await import(pathToFileURL(checker).href);
  const file = relative(ROOT, path) || path;
  const registry = parseRegistry(await readFile(path, 'utf8'), file);
  const parsed = respondersSchema.safeParse(registry.responders ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - responders.${i.path.join('.')}: ${i.message}`);
    throw new Error(`${file}: invalid responders block:\n${problems.join('\n')}`);
  }
  if (planFor(registry.responders ? parsed.data : undefined).outbox) {
    warn(
      `${file}: responders configure no pager or ticketing vendor; the responders function refuses to start on Lambda`,
    );
  }
  // A deployed build refuses credentials it would ship in every bundle or that Lambda cannot read.
  const refused = [];
  if (parsed.data.pagerduty?.routingKey) {
    refused.push(
      'responders.pagerduty.routingKey is inline: it would ship inside every bundle; use routingKeySecret: { secretsManager: … }',
    );
  }
  for (const where of envSecretRefs(parsed.data)) {
    refused.push(`responders.${where} reads an environment variable; on Lambda use { secretsManager } or { ssm }`);
  }
  if (refused.length > 0) {
    throw new Error(`${file}: credentials a deployed build refuses:\n${refused.map((r) => `  - ${r}`).join('\n')}`);
  }
  return {
    registryJson: `${JSON.stringify(registry, null, 2)}\n`,
    // The responders' runbooks as data (shared/runtime/aws/rule-info.ts): no rule predicates in that bundle.
    ruleInfoJson: `${JSON.stringify(ruleInfoOf(RULES), null, 2)}\n`,
  };
}

/** Paths of `{ env: NAME }` credential references (explicit or defaulted) in the parsed responders block. */
function envSecretRefs(value, path = []) {
  if (value === null || typeof value !== 'object') return [];
  if (Object.keys(value).length === 1 && typeof value.env === 'string' && path.length > 0) {
    return [`${path.join('.')} (${value.env})`];
  }
  return Object.entries(value).flatMap(([key, inner]) => envSecretRefs(inner, [...path, key]));
}

/**
 * Builds every function. Returns, per function, the bundle path and its size in bytes.
 * Options: `outdir` (default dist/functions), `registry` (default {@link findRegistry}), `only` (names),
 * `warn` (default: console.warn).
 */
export async function buildFunctions(options = {}) {
  const outdir = options.outdir ?? join(ROOT, 'dist', 'functions');
  const registry = options.registry ?? findRegistry();
  const warn = options.warn ?? ((message) => console.warn(`build-functions: warning: ${message}`));
  const scratch = join(outdir, '.build');
  await mkdir(scratch, { recursive: true });
  let registryJson;
  let ruleInfoJson;
  try {
    ({ registryJson, ruleInfoJson } = await compileRegistry(registry, scratch, warn));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  const results = {};
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    if (options.only && !options.only.includes(name)) continue;
    const dir = join(outdir, name);
    await rm(dir, { recursive: true, force: true });
    const result = await build({
      entryPoints: { index: join(ROOT, entry) },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      ...NODE_ESM,
      minify: true,
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      charset: 'utf8',
      external: LAMBDA_UNUSED_CREDENTIAL_PROVIDERS,
      metafile: true,
    });
    await writeFile(join(dir, 'registry.json'), registryJson);
    if (name === 'responders') await writeFile(join(dir, 'rule-info.json'), ruleInfoJson);
    // `version`: SAM's Node.js builder runs `npm pack`, which refuses a package.json without one.
    const manifest = {
      name: `glasswatch-${name}`,
      version: ROOT_VERSION,
      private: true,
      type: 'module',
      description: 'Prebuilt by npm run build',
    };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
    results[name] = { bundle: join(dir, 'index.mjs'), bytes: output?.bytes ?? 0, exports: output?.exports ?? [] };
  }
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const results = await buildFunctions();
    for (const [name, { bytes }] of Object.entries(results))
      console.log(`${name.padEnd(20)} ${(bytes / 1024).toFixed(0).padStart(5)} KiB`);
  } catch (error) {
    console.error(`build-functions: ${error.message}`);
    process.exit(1);
  }
}
