import { DRILL_STEPS, type DrillBounds, formatMs, LOCAL_DRILL_BOUNDS } from '../../core/assure/drill/steps.js';

/**
 * Every command's usage text, apart from the commands themselves: `glasswatch --help` lists them, and a
 * command's module (with the SDK clients it needs) is loaded only when it runs.
 */
export const BACKFILL_USAGE = `glasswatch backfill --stack NAME (--since YYYY-MM-DD [--until YYYY-MM-DD] | --lookup-events) [--account ID…] [--region R…] [--no-wait]

Starts the deployed stack's backfill state machine (<stack>-backfill) and follows it to the end:
  --since, --until  read the organization trail's log files of these UTC days (until: today), with the
                    s3-log-files code on a Step Functions Distributed Map; events already seen count once
  --account ID      only these member accounts (repeatable); --region R only these Regions (repeatable)
  --lookup-events   no trail bucket: sweep 90 days of CloudTrail event history in every SweepRegions Region
  --no-wait         print the execution and return
  --interval S      seconds between progress lines (default 15)
The Region is AWS_REGION's; credentials are the SDK's usual ones. Exit: 0 every day read · 2 the execution
ended with failed days (see the results bucket) · 1 it failed or could not start`;
export const DRILL_USAGE = `glasswatch drill --registry FILE --account ID [--state DIR | --ephemeral] [--within STEP=SECONDS]… [--json]

Injects a synthetic, clearly marked sign-in of the break-glass account into the ingest path (in-process,
on the embedded store) and follows it: incident opened as a drill, DRILL page at low urgency, ticket,
drill incident closed and its page resolved, review scheduled when the act stage schedules reviews.
Prints each step's time; stores the result (see "glasswatch drills").
  --registry FILE        the break-glass registry (YAML); its responders (or the local outbox) are used
  --account ID           registry id of the account to drill
  --state DIR            embedded DynamoDB folder (default .glasswatch/db, as replay)
  --ephemeral            keep state in memory only
  --within STEP=SECONDS  bound of one step (${DRILL_STEPS.join(', ')}); defaults ${boundsText(LOCAL_DRILL_BOUNDS)}
  --json                 the drill result as one JSON object on stdout
Exit: 0 every step happened in time · 1 usage, registry or fatal error · 4 the drill failed (a real,
non-drill page was sent through the configured pagers) · 5 skipped: a real incident of the account is open`;
export const DRILLS_USAGE = `glasswatch drills --registry FILE [--account ID] [--state DIR | --ephemeral] [--json]

Lists stored drill results per account, newest first: injected drills ("glasswatch drill", the scheduled
drill function) and real sign-ins inside a declared drill window, with time to incident, page and ticket.
  --registry FILE   the break-glass registry (YAML)
  --account ID      only this account
  --state DIR       embedded DynamoDB folder (default .glasswatch/db)
  --ephemeral       an empty in-memory store (lists nothing; for checks)
  --json            one JSON object per drill per line
Exit: 0 · 1 usage, registry or fatal error`;
export const FILTERS_USAGE = `glasswatch filters --registry FILE [--json | --gcp-sink | --aws] [--now ISO]

Prints what the ingestion paths watch for this registry, for review: the AWS forwarder's parameters
  and the sweeper's event-history lookups, the Cloud Logging sink filter (push) and pull filter
  (scheduled poller, receiveTimestamp window), and the KQL query per Log Analytics table (scheduled
  poller, ingestion_time() window).
  --registry FILE   the break-glass registry (YAML)
  --gcp-sink        print only the sink filter (for gcloud --log-filter or Terraform)
  --aws             print only the forwarder parameters, as --parameter-overrides (sam deploy, cloudformation deploy)
  --json            one JSON object: {aws: {forwarder, sweep}, gcp: {sinkFilter, pollFilter}, azure: [{table, idColumn, kql}]}
  --now ISO         the time the example poll windows are computed from (default: now)
Exit: 0 ok · 1 usage, registry or filter error`;
export const REPLAY_USAGE = `glasswatch replay --registry FILE [--json] [--state DIR | --ephemeral] [--no-respond] [--threads N] PATHS…

Runs ingest → normalize → detect → correlate over log files, folders or s3://bucket/prefix (plain or .gz; CloudTrail,
EventBridge, Cloud Audit Logs, Pub/Sub push bodies, Entra/Azure rows and Event Hub records), in event-time order.
  --registry FILE   the break-glass registry (YAML)
  --json            one JSON object per incident per line on stdout
  --state DIR       embedded DynamoDB folder (default .glasswatch/db): a later replay extends open incidents
  --ephemeral       keep state in memory only
  --no-respond      correlate only: no pages, tickets or outbox files
  --threads N       detection worker threads (default: every core for inputs over 4 MiB; 1 = single-threaded)
Responders come from the registry's \`responders:\` (vendor credentials from the environment variables it
names); with none configured, pages, tickets and schedules are written to the local outbox (.glasswatch/outbox).
Exit: 0 ok · 1 usage, registry or fatal error · 2 some records or files failed (reported on stderr; the rest
was processed) · 3 a page, ticket or other action is still undelivered after its retries`;
export const REPORT_USAGE = `glasswatch report --registry FILE --out PATH.html [--json PATH] [--state DIR | --ephemeral | --stack NAME | --table NAME] [--region R] [--expect SOURCE[#REGION]]…

Writes the posture report: one self-contained HTML page (no external resources) and the same data as
JSON beside it. Per break-glass account and for the estate: controls (MFA on the last sign-in, rotation
age, last passed live drill, no root access keys, used within a year, the verify checks) with evidence
and a score; the window the logs cover; incidents with their page/ticket/review/rotation workflow and a
trend; coverage (sources, accounts, projects, subscriptions, Regions); live drill latencies per account.
  --registry FILE   the break-glass registry (YAML)
  --out PATH.html   where to write the page
  --json PATH       where to write the JSON (default: PATH.html with .json)
  --state DIR       embedded DynamoDB folder (default .glasswatch/db)
  --ephemeral       an empty in-memory store
  --stack NAME      read the deployed stack's incident table (its IncidentTableName output, found with
                    CloudFormation DescribeStacks), read only, with your AWS credentials
  --table NAME      read this DynamoDB table directly (no DescribeStacks permission needed)
  --region R        the stack's Region (default: the SDK's, e.g. AWS_REGION or the profile's)
  --expect SOURCE   a source that must have delivered (cloudtrail-s3, cloudtrail-eventbridge#eu-west-1, …):
                    shown as "never" until it does
Exit: 0 · 1 usage, registry or fatal error`;
export const VERIFY_USAGE = `glasswatch verify --registry FILE [--json] [--state DIR | --ephemeral]

Reads each delivery path's configuration back with the clouds' own APIs and compares it with what the
registry's pipeline: section says was deployed: the trail (logging, delivery errors, management events
read and write, multi-Region, organization, its bucket), every Glasswatch EventBridge rule in each
forwarder Region (enabled, targeting the ingest bus, the tamper rule listing every tamper action), and
the trail bucket's notification to the trail-object queue; the GCP organization sink (its filter the
one generated from the registry, its destination the topic), the topic and the push subscription (on
the topic, active, pushing to pipeline.gcp.pushEndpoint); each Azure diagnostic setting of the registry
(exists, sends the categories its kind needs, to the registry's workspace and event hub). AWS
credentials come from the SDK's default chain (environment, profile, SSO), Google's from Application
Default Credentials, Azure's from DefaultAzureCredential (AZURE_TENANT_ID, AZURE_CLIENT_ID and
AZURE_CLIENT_SECRET of the poller's app registration, or az login). What cannot be checked is listed
with the reason. Each check's result is stored in the local state, where glasswatch report shows it.
  --registry FILE   the break-glass registry (YAML) with its pipeline: section
  --json            one JSON object per check per line: {key, cloud, setting, status, detail}
  --state DIR       embedded DynamoDB folder the results are stored in (default .glasswatch/db)
  --ephemeral       store nothing
Exit: 0 every configured check passed · 1 usage, registry or fatal error · 6 a check failed ·
7 nothing could be checked (no pipeline: section, or no cloud configured in it)`;

/** Step bounds as the usage and the drill's messages word them: `signin 5 s, …`. */
export function boundsText(bounds: DrillBounds): string {
  return DRILL_STEPS.map((s) => `${s} ${formatMs(bounds[s])}`).join(', ');
}
