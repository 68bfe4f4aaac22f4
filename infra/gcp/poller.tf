# Glasswatch GCP pull path: the scheduled Lambda (infra/template.yaml, GcpLoggingPollerFunction) reads Cloud Logging as a
# Google service account it impersonates through workload identity federation: the Lambda's own AWS
# role is the credential, nothing secret is stored. Its credential configuration (not a secret, but
# kept in Secrets Manager beside the Azure one) is the output `poller_credential_config`:
#   aws secretsmanager put-secret-value --secret-id <GcpCredentialsSecret> \
#     --secret-string "$(terraform -chdir=infra/gcp output -raw poller_credential_config)"

resource "google_iam_workload_identity_pool" "aws" {
  workload_identity_pool_id = "glasswatch-aws"
  display_name              = "Glasswatch on AWS"
}

resource "google_iam_workload_identity_pool_provider" "aws" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.aws.workload_identity_pool_id
  workload_identity_pool_provider_id = "glasswatch-poller"
  attribute_mapping = {
    "google.subject"     = "assertion.arn"
    "attribute.aws_role" = "assertion.arn.extract('assumed-role/{role}/')"
  }
  # Only the poller's role and the verify function's, no other principal of the account.
  attribute_condition = "attribute.aws_role in [\"${local.aws_poller_role_name}\", \"${local.aws_verify_role_name}\"]"
  aws {
    account_id = var.aws_account_id
  }
}

resource "google_service_account" "poller" {
  account_id   = "glasswatch-poller"
  display_name = "Glasswatch Cloud Logging reader (impersonated from AWS)"
}

# The verify function (VerifyFunction, role ${stack}-verify) uses the same credential configuration
# (the secret GcpCredentialsSecret) and so the same reader: it needs logging.sinks.get (in
# roles/logging.viewer below) and pubsub.viewer on the topic and the push subscription (below).
resource "google_service_account_iam_member" "poller_federation" {
  for_each           = toset([local.aws_poller_role_name, local.aws_verify_role_name])
  service_account_id = google_service_account.poller.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.aws.name}/attribute.aws_role/${each.value}"
}

# glasswatch verify reads the topic and the push subscription back (projects.topics.get,
# projects.subscriptions.get): pubsub.viewer on those two resources only.
resource "google_pubsub_topic_iam_member" "verify_reads_topic" {
  topic  = google_pubsub_topic.audit.id
  role   = "roles/pubsub.viewer"
  member = "serviceAccount:${google_service_account.poller.email}"
}

resource "google_pubsub_subscription_iam_member" "verify_reads_subscription" {
  subscription = google_pubsub_subscription.push.id
  role         = "roles/pubsub.viewer"
  member       = "serviceAccount:${google_service_account.poller.email}"
}

# What the poller reads. The organization's own logs (Workspace logins, org-level IAM and sinks) are
# listed at organizations/<id> directly, whatever sinks exist. Project audit logs live in each
# project: an aggregated sink with the same registry filter copies them into one log bucket here,
# whose _AllLogs view the poller lists too. (Without an organization: the project itself.)
resource "google_logging_project_bucket_config" "audit" {
  count          = var.organization_id == "" ? 0 : 1
  project        = var.project_id
  location       = "global"
  bucket_id      = "glasswatch-audit"
  retention_days = 400
  description    = "Break-glass and tampering audit entries of every project (aggregated sink glasswatch-bucket)"
}

resource "google_logging_organization_sink" "bucket" {
  count            = var.organization_id == "" ? 0 : 1
  name             = "glasswatch-bucket"
  org_id           = var.organization_id
  include_children = true
  filter           = local.sink_filter
  destination      = "logging.googleapis.com/${google_logging_project_bucket_config.audit[0].id}"
}

resource "google_project_iam_member" "bucket_sink_writes" {
  count   = var.organization_id == "" ? 0 : 1
  project = var.project_id
  role    = "roles/logging.bucketWriter"
  member  = google_logging_organization_sink.bucket[0].writer_identity
}

# Reading: logging.viewer lists entries; Data Access logs (Workspace logins among them) are private
# logs and also need privateLogViewer. viewAccessor reads the bucket's view.
resource "google_organization_iam_member" "poller_reads" {
  for_each = var.organization_id == "" ? toset([]) : toset(["roles/logging.viewer", "roles/logging.privateLogViewer"])
  org_id   = var.organization_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.poller.email}"
}

resource "google_project_iam_member" "poller_reads_bucket" {
  count   = var.organization_id == "" ? 0 : 1
  project = var.project_id
  role    = "roles/logging.viewAccessor"
  member  = "serviceAccount:${google_service_account.poller.email}"
  condition {
    title      = "glasswatch-audit view only"
    expression = "resource.name == \"projects/${var.project_id}/locations/global/buckets/glasswatch-audit/views/_AllLogs\""
  }
}

resource "google_project_iam_member" "poller_reads" {
  for_each = var.organization_id == "" ? toset(["roles/logging.viewer", "roles/logging.privateLogViewer"]) : toset([])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.poller.email}"
}

output "poller_credential_config" {
  description = "external_account configuration for the Lambda (google-auth-library reads the Lambda's AWS credentials from its environment)."
  value = jsonencode({
    type                              = "external_account"
    audience                          = "//iam.googleapis.com/${google_iam_workload_identity_pool_provider.aws.name}"
    subject_token_type                = "urn:ietf:params:aws:token-type:aws4_request"
    service_account_impersonation_url = "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${google_service_account.poller.email}:generateAccessToken"
    token_url                         = "https://sts.googleapis.com/v1/token"
    credential_source = {
      environment_id                 = "aws1"
      region_url                     = "http://169.254.169.254/latest/meta-data/placement/availability-zone"
      url                            = "http://169.254.169.254/latest/meta-data/iam/security-credentials"
      regional_cred_verification_url = "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"
    }
  })
}

output "poller_resources" {
  description = "GLASSWATCH_GCP_RESOURCES for the poller (stack parameter GcpResources)."
  value = (var.organization_id == ""
    ? "projects/${var.project_id}"
  : "organizations/${var.organization_id},projects/${var.project_id}/locations/global/buckets/glasswatch-audit/views/_AllLogs")
}
