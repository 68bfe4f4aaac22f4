import { Readable } from 'node:stream';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * SSM Parameter Store has no local server: this answers at the SDK's transport (a custom
 * `requestHandler`), so the real SSMClient serializes GetParameter (AWS JSON 1.1,
 * `X-Amz-Target: AmazonSSM.GetParameter`) and parses the documented answers
 * (docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html):
 * `{Parameter: {Name, Type, Value, Version, LastModifiedDate, ARN, DataType}}`; a SecureString read
 * without `WithDecryption` returns the ciphertext, as the service does; an unknown name is 400
 * `ParameterNotFound`. Records every request.
 */
type StubRequest = { body?: unknown; headers: Record<string, string> };

export class SsmStub {
  readonly requests: { target: string; body: Record<string, unknown> }[] = [];
  /** Errors answered to the next requests, in order (`ThrottlingException`, …). */
  readonly failures: { status: number; type: string }[] = [];
  readonly client: SSMClient;
  private readonly parameters = new Map<string, { type: 'String' | 'SecureString'; value: string; version: number }>();

  constructor(readonly region = 'us-east-1') {
    this.client = new SSMClient({
      region,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      requestHandler: { handle: (request: StubRequest) => this.handle(request) },
    });
  }

  /** Stores (or overwrites, with a new version) a parameter. */
  put(name: string, value: string, type: 'String' | 'SecureString' = 'SecureString'): this {
    const version = (this.parameters.get(name)?.version ?? 0) + 1;
    this.parameters.set(name, { type, value, version });
    return this;
  }

  private async handle(request: StubRequest) {
    const target = request.headers['x-amz-target'] ?? '';
    const raw = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : request.body;
    const body = JSON.parse(typeof raw === 'string' ? raw : '{}') as Record<string, unknown>;
    this.requests.push({ target, body });
    if (request.headers['content-type'] !== 'application/x-amz-json-1.1')
      return answer(400, { __type: 'SerializationException', message: 'expected application/x-amz-json-1.1' });
    const failure = this.failures.shift();
    if (failure) return answer(failure.status, { __type: failure.type, message: `Injected ${failure.type}` });
    if (target !== 'AmazonSSM.GetParameter')
      return answer(400, { __type: 'UnknownOperationException', message: `not served here: ${target}` });
    const name = String(body.Name ?? '');
    const parameter = this.parameters.get(name);
    // The service's ParameterNotFound carries no message ("… calling the GetParameter operation: ").
    if (!parameter) return answer(400, { __type: 'ParameterNotFound', message: '' });
    const plain = parameter.type === 'String' || body.WithDecryption === true;
    return answer(200, {
      Parameter: {
        Name: name,
        Type: parameter.type,
        Value: plain ? parameter.value : `AQICAHh${Buffer.from(parameter.value).toString('base64')}`,
        Version: parameter.version,
        LastModifiedDate: 1_764_115_200,
        ARN: `arn:aws:ssm:${this.region}:123456789012:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    });
  }
}

function answer(statusCode: number, json: unknown) {
  return {
    response: {
      statusCode,
      reason: '',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: Readable.from([Buffer.from(JSON.stringify(json))]),
    },
  };
}
