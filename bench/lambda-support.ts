import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuiltFunction, buildFunctions } from '../scripts/build-functions.mjs';
import { DATA_DIR } from './generate.js';

/**
 * Shared by the Lambda benchmarks: the bundles exactly as `npm run build` makes them (built from the
 * benchmark registry plus a PagerDuty responder, so every function can start), and a fresh Node.js
 * process per measurement, as a cold start is.
 */

export const FUNCTIONS_DIR = join(DATA_DIR, 'functions');

export async function buildBenchFunctions(only?: readonly string[]): Promise<Record<string, BuiltFunction>> {
  await mkdir(DATA_DIR, { recursive: true });
  const registry = join(DATA_DIR, 'lambda-registry.yaml');
  const base = await readFile(join(import.meta.dirname, 'registry.yaml'), 'utf8');
  await writeFile(
    registry,
    `${base}\nresponders:\n  pagerduty:\n    routingKeySecret: { secretsManager: glasswatch/pagerduty, jsonKey: routingKey }\n`,
  );
  return buildFunctions({ outdir: FUNCTIONS_DIR, registry, warn: () => {}, ...(only ? { only } : {}) });
}

/** The environment the template gives a function (names only: nothing is called at init). */
export function lambdaEnv(name: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LAMBDA_TASK_ROOT: join(FUNCTIONS_DIR, name),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_METRICS_NAMESPACE: 'Glasswatch',
    GLASSWATCH_TABLE: 'incidents',
    GLASSWATCH_INCIDENT_BUS: 'glasswatch-incidents',
    GLASSWATCH_IDEMPOTENCY_TABLE: 'idempotency',
    GLASSWATCH_SWEEP_REGIONS: 'us-east-1,eu-west-1',
    GLASSWATCH_GCP_RESOURCES: 'organizations/123456789012',
    GLASSWATCH_GCP_CREDENTIALS_SECRET_REF: 'glasswatch/gcp',
    GLASSWATCH_AZURE_WORKSPACE_ID: '00000000-0000-0000-0000-000000000001',
    GLASSWATCH_AZURE_CREDENTIALS_SECRET_REF: 'glasswatch/azure',
    GLASSWATCH_EVENTHUB_CONNECTION_SECRET_REF: 'glasswatch/eventhub',
    GLASSWATCH_INGEST_BUS: 'glasswatch-ingest',
    ...extra,
  };
}

/**
 * Runs ESM `code` in a fresh Node.js process; returns the last line of stdout parsed as JSON. With `cpus`
 * (a list as taskset takes it, such as "0"), the process and all its threads run on those processors only.
 */
export function runNode<T>(code: string, env: NodeJS.ProcessEnv, args: string[] = [], cpus?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--no-warnings', ...args, '--input-type=module', '-e', code];
    const [command, ...argv] = (cpus ? ['taskset', '-c', cpus, ...node] : node) as [string, ...string[]];
    const child = spawn(command, argv, { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (status) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (status !== 0) reject(new Error(`node exited ${status}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
