import { Readable } from 'node:stream';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Fault } from './base.js';

/**
 * SNS has no local server: this stubs the SDK's transport (a custom `requestHandler`), so the real
 * SNSClient serializes the Publish call (AWS Query protocol) and parses real-shaped XML answers and
 * errors. Records every Publish; faults as for the HTTP servers.
 */
export interface Published {
  topicArn: string;
  subject?: string;
  message: string;
}

type StubRequest = { body?: unknown; headers: Record<string, string> };

export class SnsStub {
  readonly published: Published[] = [];
  readonly attempts: Published[] = [];
  readonly script: Fault[] = [];
  injector?: (publish: Published) => Fault | undefined;
  /**
   * `wait` (default): a hung or lost Publish waits for the driver's abort signal, as the SDK would.
   * `now`: it times out at once (an injected clock's timeout), for tests that must not race real time.
   */
  timeouts: 'wait' | 'now' = 'wait';
  readonly client: SNSClient;

  constructor() {
    this.client = new SNSClient({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      requestHandler: {
        handle: (request: StubRequest, options?: { abortSignal?: AbortSignal }) =>
          this.handle(request, options?.abortSignal),
      },
    });
  }

  fail(...faults: Fault[]): this {
    this.script.push(...faults);
    return this;
  }

  private async handle(request: StubRequest, signal: AbortSignal | undefined) {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const publish: Published = {
      topicArn: form.get('TopicArn') ?? '',
      message: form.get('Message') ?? '',
      ...(form.get('Subject') !== null ? { subject: form.get('Subject') as string } : {}),
    };
    this.attempts.push(publish);
    const fault = this.script.shift() ?? this.injector?.(publish);
    if (fault?.kind === 'hang' || fault?.kind === 'lost') {
      if (fault.kind === 'lost') this.published.push(publish);
      if (this.timeouts === 'now')
        throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
      await new Promise((_, reject) =>
        signal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
        ),
      );
    }
    if (fault?.kind === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    if (fault?.kind === 'status') {
      const code = fault.status === 429 || fault.status === 400 ? 'Throttling' : 'InternalError';
      return response(
        fault.status,
        `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${fault.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>Injected ${code}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
      );
    }
    if (form.get('Action') !== 'Publish')
      return response(
        400,
        '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Unsupported</Message></Error></ErrorResponse>',
      );
    const subject = publish.subject;
    if (subject !== undefined && (subject.length >= 100 || /[^\x20-\x7E]/.test(subject))) {
      return response(
        400,
        '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Subject</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      );
    }
    this.published.push(publish);
    const id = `msg-${this.published.length}`;
    return response(
      200,
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>req-${id}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  }
}

function response(statusCode: number, xml: string) {
  return {
    response: {
      statusCode,
      reason: '',
      headers: { 'content-type': 'text/xml' },
      body: Readable.from([Buffer.from(xml)]),
    },
  };
}
