import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from './cloudformation-yaml.js';

/**
 * One Node.js major everywhere: what Lambda and Cloud Run functions run, what esbuild targets, and what
 * this suite runs on (`node@24`, a devDependency, is first on the PATH of every npm script, so
 * `npm test` — the README's and `.ci/run`'s command — runs on it even where the machine has Node 20).
 * Lambda `nodejs24.x`: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * Cloud Run functions `nodejs24`: https://docs.cloud.google.com/run/docs/runtimes/nodejs
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PRODUCTION_MAJOR = 24;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the Node.js runtime', () => {
  it('is nodejs24.x for every Lambda function of the templates', () => {
    for (const path of ['infra/template.yaml', 'infra/regional-forwarder.yaml']) {
      const template = readTemplate(join(ROOT, path));
      const runtimes = [
        template.Globals?.Function?.Runtime,
        ...Object.values(template.Resources).map((r) => r.Properties?.Runtime),
      ].filter((r) => r !== undefined);
      for (const runtime of runtimes) expect(runtime, path).toBe(`nodejs${PRODUCTION_MAJOR}.x`);
    }
    expect(read('infra/template.yaml')).toContain(`Runtime: nodejs${PRODUCTION_MAJOR}.x`);
  });

  it('is nodejs24 for the Cloud Run function (Terraform and the gcloud steps) and its package', () => {
    expect(read('infra/gcp/main.tf')).toMatch(new RegExp(`runtime\\s*=\\s*"nodejs${PRODUCTION_MAJOR}"`));
    expect(read('infra/gcp/README.md')).toContain(`--runtime=nodejs${PRODUCTION_MAJOR} `);
    expect(read('infra/gcp/README.md')).not.toMatch(/--runtime=nodejs(?!24\b)\d+/);
    expect(read('infra/gcp/build-function.mjs')).toContain(`engines: { node: '>=${PRODUCTION_MAJOR}' }`);
  });

  it('is what esbuild targets for the function bundles', () => {
    for (const path of ['scripts/build-functions.mjs', 'infra/gcp/build-function.mjs']) {
      expect(read(path), path).toContain(`target: 'node${PRODUCTION_MAJOR}'`);
    }
  });

  it('is what this suite runs on', () => {
    const pinned = JSON.parse(read('package.json')).devDependencies.node;
    expect(pinned).toMatch(new RegExp(`^\\^${PRODUCTION_MAJOR}\\.`));
    expect(
      Number(process.versions.node.split('.')[0]),
      `the suite runs on Node ${process.versions.node} (${process.execPath}); run it through npm (npm test, npx vitest) after npm ci, which puts node_modules/.bin/node (Node ${PRODUCTION_MAJOR}) first on the PATH`,
    ).toBe(PRODUCTION_MAJOR);
  });
});
