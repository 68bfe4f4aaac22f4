# Glasswatch GCP push path: a Cloud Logging sink (organization or project) → Pub/Sub topic → push
# subscription (OIDC-authenticated, retries with backoff, dead-letter topic) → Cloud Run function
# running the Glasswatch core, which correlates in the AWS incident table and publishes on the AWS
# incident bus with a role assumed from its Google identity (no AWS key in GCP).
#
# Build first (writes ../../dist/gcp-function/ and ../../dist/gcp-function/sink-filter.txt from the
# same registry):   node infra/gcp/build-function.mjs
# Then:             terraform -chdir=infra/gcp init && terraform -chdir=infra/gcp apply

terraform {
  required_version = ">= 1.5"
  required_providers {
    google  = { source = "hashicorp/google", version = ">= 5.30" }
    archive = { source = "hashicorp/archive", version = ">= 2.4" }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

data "google_project" "this" {}

locals {
  build_dir   = "${path.module}/../../dist/gcp-function"
  sink_filter = trimspace(file("${local.build_dir}/sink-filter.txt"))
  # The Pub/Sub service agent mints the push OIDC tokens and moves messages to the dead-letter topic.
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# ------------------------------------------------------------------ topic, dead letters
resource "google_pubsub_topic" "audit" {
  name                       = "glasswatch-audit"
  message_retention_duration = "86400s"
}

resource "google_pubsub_topic" "dead_letter" {
  name = "glasswatch-audit-dead-letter"
}

# A topic keeps nothing by itself: this subscription holds dead letters for an operator (7 days).
resource "google_pubsub_subscription" "dead_letter_hold" {
  name                       = "glasswatch-audit-dead-letter-hold"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "604800s"
  expiration_policy { ttl = "" }
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_source" {
  subscription = google_pubsub_subscription.push.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# ------------------------------------------------------------------ the sink
resource "google_logging_organization_sink" "glasswatch" {
  count            = var.organization_id == "" ? 0 : 1
  name             = "glasswatch"
  org_id           = var.organization_id
  include_children = true # every folder and project, and the organization's own (Workspace) logs
  filter           = local.sink_filter
  destination      = "pubsub.googleapis.com/${google_pubsub_topic.audit.id}"
}

resource "google_logging_project_sink" "glasswatch" {
  count                  = var.organization_id == "" ? 1 : 0
  name                   = "glasswatch"
  filter                 = local.sink_filter
  destination            = "pubsub.googleapis.com/${google_pubsub_topic.audit.id}"
  unique_writer_identity = true
}

resource "google_pubsub_topic_iam_member" "sink_writer" {
  topic = google_pubsub_topic.audit.id
  role  = "roles/pubsub.publisher"
  member = (var.organization_id == ""
    ? google_logging_project_sink.glasswatch[0].writer_identity
  : google_logging_organization_sink.glasswatch[0].writer_identity)
}

# ------------------------------------------------------------------ the function
resource "google_service_account" "function" {
  account_id   = "glasswatch-push"
  display_name = "Glasswatch push function (assumes the AWS role ${local.aws_push_role_arn})"
}

resource "google_service_account" "pusher" {
  account_id   = "glasswatch-pubsub-push"
  display_name = "Identity of the Pub/Sub push to the Glasswatch function"
}

resource "google_service_account_iam_member" "pubsub_mints_push_tokens" {
  service_account_id = google_service_account.pusher.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

data "archive_file" "source" {
  type        = "zip"
  source_dir  = local.build_dir
  excludes    = ["sink-filter.txt"]
  output_path = "${path.module}/.terraform/glasswatch-gcp-function.zip"
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-glasswatch-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_storage_bucket_object" "source" {
  name   = "glasswatch-gcp-function-${data.archive_file.source.output_md5}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

resource "google_cloudfunctions2_function" "push" {
  name     = "glasswatch-push"
  location = var.region

  build_config {
    runtime     = "nodejs24"
    entry_point = "glasswatchPubSubPush"
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.function.email
    ingress_settings               = "ALLOW_INTERNAL_ONLY" # Pub/Sub push from this project is internal traffic
    available_memory               = "512Mi"
    timeout_seconds                = 60
    max_instance_count             = 20
    all_traffic_on_latest_revision = true
    environment_variables = {
      GLASSWATCH_INGEST_BUS   = local.aws_ingest_bus_arn
      GLASSWATCH_AWS_REGION   = var.aws_region
      GLASSWATCH_AWS_ROLE_ARN = local.aws_push_role_arn
      GLASSWATCH_AWS_AUDIENCE = var.aws_audience
    }
  }
}

# Only the push identity may call the function (Cloud Run IAM checks the OIDC token).
resource "google_cloud_run_service_iam_member" "pusher_invokes" {
  location = google_cloudfunctions2_function.push.location
  service  = google_cloudfunctions2_function.push.service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.pusher.email}"
}

resource "google_pubsub_subscription" "push" {
  name                       = "glasswatch-audit-push"
  topic                      = google_pubsub_topic.audit.id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  expiration_policy { ttl = "" }

  push_config {
    push_endpoint = google_cloudfunctions2_function.push.service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.pusher.email
      audience              = google_cloudfunctions2_function.push.service_config[0].uri
    }
  }

  # A non-2xx answer (500: the AWS side is unreachable; 422: an unreadable record) is redelivered with
  # backoff; after max_delivery_attempts the message moves to the dead-letter topic.
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }
}

# ------------------------------------------------------------------ alerting
resource "google_monitoring_alert_policy" "dead_letters" {
  display_name = "Glasswatch: audit entries dead-lettered"
  combiner     = "OR"
  conditions {
    display_name = "messages waiting in glasswatch-audit-dead-letter-hold"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.dead_letter_hold.name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  notification_channels = var.notification_channels
}

resource "google_monitoring_alert_policy" "backlog" {
  display_name = "Glasswatch: audit entries not delivered to the function for 15 minutes"
  combiner     = "OR"
  conditions {
    display_name = "oldest unacked message in glasswatch-audit-push"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.push.name}\" AND metric.type = \"pubsub.googleapis.com/subscription/oldest_unacked_message_age\""
      comparison      = "COMPARISON_GT"
      threshold_value = 900
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  notification_channels = var.notification_channels
}
