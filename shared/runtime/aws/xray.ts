/**
 * The X-Ray SDK's side of Powertools, loaded only where tracing is on ({@link ./observability.ts}):
 * loading it creates cls-hooked's namespace, whose async hooks then run on every promise and stream
 * callback of the process.
 */
export { Tracer } from '@aws-lambda-powertools/tracer';
export { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
