import type { Pipeline } from '../../registry/pipeline.js';
import { type CheckResult, couldNotRead, fail, pass, unchecked } from './result.js';

/**
 * The Pub/Sub half of the GCP push path read back (Pub/Sub REST `projects.topics.get` and
 * `projects.subscriptions.get`, https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#Subscription):
 * the topic the sink writes to exists; the push subscription exists, is attached to that topic (a
 * deleted topic leaves its subscriptions on `_deleted-topic_`), is not detached, is `ACTIVE` (not
 * `RESOURCE_ERROR`) and pushes to the deployed endpoint (an empty `pushConfig` makes it a pull
 * subscription that nobody pulls).
 */
export interface PubSubPlumbing {
  /** The topic by full name (`projects/p/topics/t`), or undefined when it does not exist. */
  topic(name: string): Promise<{ name: string } | undefined>;
  /** The subscription by full name, or undefined when it does not exist. */
  subscription(name: string): Promise<SubscriptionView | undefined>;
}

export interface SubscriptionView {
  topic: string;
  /** Undefined for a pull subscription (`pushConfig` empty). */
  pushEndpoint?: string;
  detached: boolean;
  /** `ACTIVE`, `RESOURCE_ERROR`, or undefined when the answer carries none. */
  state?: string;
}

const TOPIC = 'topic the sink writes to exists';
const SUBSCRIPTION = 'push subscription exists, on the pipeline’s topic, active, pushing to the push function';

async function checkTopic(pubsub: PubSubPlumbing, topic: string): Promise<CheckResult> {
  try {
    return (await pubsub.topic(topic))
      ? pass('gcp', 'gcp.pubsub.topic', TOPIC)
      : fail('gcp', 'gcp.pubsub.topic', TOPIC, `${topic} does not exist`);
  } catch (error) {
    return fail('gcp', 'gcp.pubsub.topic', TOPIC, couldNotRead(error));
  }
}

/** What is wrong with the subscription, or undefined when it is as deployed. */
function subscriptionProblem(view: SubscriptionView, gcp: NonNullable<Pipeline['gcp']>): string | undefined {
  if (gcp.topic && view.topic !== gcp.topic)
    return view.topic === '_deleted-topic_' ? 'its topic was deleted' : `attached to ${view.topic}`;
  if (view.detached) return 'detached from its topic';
  if (view.pushEndpoint === undefined) return 'no push endpoint (a pull subscription)';
  if (gcp.pushEndpoint && view.pushEndpoint !== gcp.pushEndpoint) return `pushes to ${view.pushEndpoint}`;
  if (view.state !== undefined && view.state !== 'ACTIVE') return `state ${view.state}`;
  return undefined;
}

async function checkSubscription(
  pubsub: PubSubPlumbing,
  gcp: NonNullable<Pipeline['gcp']>,
  subscription: string,
): Promise<CheckResult[]> {
  const key = 'gcp.pubsub.subscription';
  let view: SubscriptionView | undefined;
  try {
    view = await pubsub.subscription(subscription);
  } catch (error) {
    return [fail('gcp', key, SUBSCRIPTION, couldNotRead(error))];
  }
  if (!view) return [fail('gcp', key, SUBSCRIPTION, `${subscription} does not exist`)];
  const problem = subscriptionProblem(view, gcp);
  const results = [problem ? fail('gcp', key, SUBSCRIPTION, problem) : pass('gcp', key, SUBSCRIPTION)];
  // Without the deployed endpoint the push target is reported, not compared: said, never passed.
  if (!gcp.pushEndpoint)
    results.push(
      unchecked(
        'gcp',
        'gcp.pubsub.endpoint',
        'push subscription pushes to the deployed endpoint',
        `pipeline.gcp.pushEndpoint not in the registry (it pushes to ${view.pushEndpoint ?? 'nothing'})`,
      ),
    );
  return results;
}

export const NO_CREDENTIALS = 'no Google credentials in this run';

/** The topic and push subscription checks; a name the registry does not give is reported as unchecked. */
export async function verifyPubSub(
  pubsub: PubSubPlumbing | undefined,
  pipeline: Pipeline | undefined,
  missing = NO_CREDENTIALS,
) {
  const gcp = pipeline?.gcp;
  const topic = gcp?.topic;
  const subscription = gcp?.subscription;
  const results: CheckResult[] = [];
  if (!topic) results.push(unchecked('gcp', 'gcp.pubsub.topic', TOPIC, 'pipeline.gcp.topic not in the registry'));
  if (!subscription)
    results.push(
      unchecked('gcp', 'gcp.pubsub.subscription', SUBSCRIPTION, 'pipeline.gcp.subscription not in the registry'),
    );
  if (!gcp || (!topic && !subscription)) return results;
  if (!pubsub) {
    return [
      ...results,
      ...(topic ? [unchecked('gcp', 'gcp.pubsub.topic', TOPIC, missing)] : []),
      ...(subscription ? [unchecked('gcp', 'gcp.pubsub.subscription', SUBSCRIPTION, missing)] : []),
    ];
  }
  if (topic) results.push(await checkTopic(pubsub, topic));
  if (subscription) results.push(...(await checkSubscription(pubsub, gcp, subscription)));
  return results;
}
