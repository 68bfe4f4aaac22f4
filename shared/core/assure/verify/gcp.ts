import { cloudLoggingFilter } from '../../ingest/filters/cloud-logging.js';
import type { Registry } from '../../registry/index.js';
import { NO_CREDENTIALS, type PubSubPlumbing, verifyPubSub } from './gcp-pubsub.js';
import { type CheckResult, couldNotRead, fail, pass, unchecked } from './result.js';

/**
 * The GCP push path read back: the organization sink exists, exports (not `disabled`, no active
 * exclusion: either silently drops entries), its filter is the one generated from the registry
 * (`glasswatch filters --gcp-sink`), its destination is the pipeline's topic (Cloud Logging `sinks.get`,
 * https://cloud.google.com/logging/docs/reference/v2/rest/v2/organizations.sinks/get); then the topic
 * and the push subscription ({@link verifyPubSub}).
 */
export interface GcpPlumbing extends PubSubPlumbing {
  /** The sink by full name (`organizations/123/sinks/glasswatch`), or undefined when it does not exist. */
  sink(name: string): Promise<SinkView | undefined>;
}

export interface SinkView {
  filter: string;
  destination: string;
  /** LogSink `disabled`: the sink exports nothing. */
  disabled: boolean;
  /** Names of the sink's exclusions that are not themselves disabled. */
  exclusions: string[];
}

const SETTING = 'organization sink exists, with the registry’s filter and the pipeline’s topic';

/** `missing`: why this run has no Google client, reported for each setting it could not check. */
export async function verifyGcp(
  gcp: GcpPlumbing | undefined,
  registry: Registry,
  missing = NO_CREDENTIALS,
): Promise<CheckResult[]> {
  return [...(await verifySink(gcp, registry, missing)), ...(await verifyPubSub(gcp, registry.pipeline, missing))];
}

const EXPORTING = 'sink is enabled, with no active exclusion';

function exporting(sink: SinkView): CheckResult {
  if (sink.disabled) return fail('gcp', 'gcp.sink.enabled', EXPORTING, 'the sink is disabled (it exports nothing)');
  if (sink.exclusions.length > 0)
    return fail('gcp', 'gcp.sink.enabled', EXPORTING, `active exclusions: ${sink.exclusions.join(', ')}`);
  return pass('gcp', 'gcp.sink.enabled', EXPORTING);
}

async function verifySink(gcp: GcpPlumbing | undefined, registry: Registry, missing: string): Promise<CheckResult[]> {
  const config = registry.pipeline?.gcp;
  if (!config?.sink) return [unchecked('gcp', 'gcp.sink', SETTING, 'pipeline.gcp.sink not in the registry')];
  if (!gcp) return [unchecked('gcp', 'gcp.sink', SETTING, missing)];
  let sink: Awaited<ReturnType<GcpPlumbing['sink']>>;
  try {
    sink = await gcp.sink(config.sink);
  } catch (error) {
    return [fail('gcp', 'gcp.sink', SETTING, couldNotRead(error))];
  }
  const results: CheckResult[] = [];
  if (!sink) results.push(fail('gcp', 'gcp.sink', SETTING, `${config.sink} does not exist`));
  else {
    results.push(exporting(sink));
    results.push(
      sink.filter === cloudLoggingFilter(registry)
        ? pass('gcp', 'gcp.sink.filter', 'sink filter is the one generated from the registry')
        : fail(
            'gcp',
            'gcp.sink.filter',
            'sink filter is the one generated from the registry',
            'filter differs (glasswatch filters --gcp-sink prints the expected one)',
          ),
    );
    const topic = config.topic ? `pubsub.googleapis.com/${config.topic}` : undefined;
    if (!topic)
      results.push(
        unchecked(
          'gcp',
          'gcp.sink.destination',
          'sink destination is the pipeline’s topic',
          'pipeline.gcp.topic not in the registry',
        ),
      );
    else {
      results.push(
        sink.destination === topic
          ? pass('gcp', 'gcp.sink.destination', 'sink destination is the pipeline’s topic')
          : fail(
              'gcp',
              'gcp.sink.destination',
              'sink destination is the pipeline’s topic',
              `destination ${sink.destination}`,
            ),
      );
    }
  }
  return results;
}
