output "function_service_account_unique_id" {
  description = "Give this to the AWS stack (parameter GcpFunctionServiceAccountId): the role trusts exactly this identity."
  value       = google_service_account.function.unique_id
}

output "function_uri" {
  value = google_cloudfunctions2_function.push.service_config[0].uri
}

output "sink_writer_identity" {
  value = (var.organization_id == ""
    ? google_logging_project_sink.glasswatch[0].writer_identity
  : google_logging_organization_sink.glasswatch[0].writer_identity)
}

output "dead_letter_subscription" {
  description = "Where undeliverable entries wait: gcloud pubsub subscriptions pull <this> --auto-ack=false"
  value       = google_pubsub_subscription.dead_letter_hold.id
}
