import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/types';
import dynalite from 'dynalite';
import { InProcessTransport } from './in-process-transport.js';
import { createTableInput } from './table.js';

/** An in-process DynamoDB (dynalite) for local runs and tests: the same store code as Lambda. */
export interface LocalDynamo {
  client: DynamoDBClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** LevelDB folder; in memory without it. */
  path?: string;
  tableName?: string;
  /**
   * The client hands its requests to dynalite in this process ({@link InProcessTransport}) instead of
   * over loopback HTTP: what a local command that makes thousands of store calls uses. The endpoint
   * still answers HTTP for other clients.
   */
  inProcess?: boolean;
}

/**
 * A request handed to dynalite in this process is never on a wire: signing it (SigV4: a SHA-256 of the
 * body, four HMACs: ~0.1 ms of a ~0.5 ms call) proves nothing. dynalite checks only that the header has the
 * SigV4 shape, never the signature, so the header is a fixed one of that shape.
 */
const IN_PROCESS_SIGNER = {
  sign: async (request: HttpRequest): Promise<HttpRequest> => {
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
    request.headers['x-amz-date'] = '20000101T000000Z';
    return request;
  },
};

/**
 * The client settings of an in-process store: its transport, no signature, and no account-based
 * endpoint (the endpoint is fixed; resolving DynamoDB's account endpoint rules cost ~25 µs a call).
 */
function inProcessClient(server: Server) {
  return {
    requestHandler: new InProcessTransport(server),
    signer: IN_PROCESS_SIGNER,
    accountIdEndpointMode: 'disabled',
  } as const;
}

/**
 * Starts dynalite on 127.0.0.1 (random port) and makes sure the table exists.
 * With `path`, data persists in a LevelDB folder, so a later run extends an open incident exactly as
 * Lambda would; without it, everything lives in memory (tests).
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? 'glasswatch';
  if (options.path) await mkdir(options.path, { recursive: true });
  const server: Server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
    ...(options.inProcess ? inProcessClient(server) : {}),
  });
  await ensureTable(client, tableName);
  return {
    client,
    tableName,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The table of Powertools' idempotency records (the template's IdempotencyTable): hash key `id`. */
export async function createIdempotencyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
}

/** Creates the table if missing and waits until it is ACTIVE (dynalite answers "not found" before). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      if (attempt === 0) await client.send(new CreateTableCommand(createTableInput(tableName)));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`local DynamoDB table ${tableName} did not become ACTIVE`);
}
