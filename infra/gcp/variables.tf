variable "project_id" {
  description = "Project that hosts the topic, the function and its service accounts (a dedicated security project)."
  type        = string
}

variable "region" {
  description = "Region of the function and the source bucket."
  type        = string
  default     = "europe-west1"
}

variable "organization_id" {
  description = "Numeric organization id: the sink then covers every project and the Workspace logs. Empty: a project sink on project_id only (no Workspace logs)."
  type        = string
  default     = ""
}

variable "aws_region" {
  description = "Region of the Glasswatch stack (its ingest bus)."
  type        = string
}

variable "aws_account_id" {
  description = "AWS account of the Glasswatch stack."
  type        = string
  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id: the 12-digit AWS account id."
  }
}

# The AWS names the GCP side needs are derived from the stack name, so Terraform can run before the
# AWS stack has its GCP parameters (no cycle): role ${stack}-gcp-push, role ${stack}-gcp-logging-poller,
# role ${stack}-verify, bus ${stack}-ingest (infra/template.yaml names them so).
variable "aws_stack_name" {
  description = "Name of the Glasswatch CloudFormation stack (samconfig.toml stack_name)."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,127}$", var.aws_stack_name))
    error_message = "aws_stack_name: a CloudFormation stack name."
  }
}

variable "aws_audience" {
  description = "Audience of the function's Google ID token; the AWS role's trust policy expects it (accounts.google.com:oaud)."
  type        = string
  default     = "glasswatch-aws"
}

variable "max_delivery_attempts" {
  description = "Deliveries before a message moves to the dead-letter topic (5–100)."
  type        = number
  default     = 10
}

# No default: every alert policy must reach a person (README, Deploying: "every alarm reaches a person").
variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/P/notificationChannels/N) for the dead-letter and backlog alerts; at least one."
  type        = list(string)
  validation {
    condition     = length(var.notification_channels) > 0 && alltrue([for c in var.notification_channels : can(regex("^projects/[^/]+/notificationChannels/[^/]+$", c))])
    error_message = "notification_channels: at least one channel id of the form projects/P/notificationChannels/N; alerts nobody receives page nobody."
  }
}

locals {
  aws_push_role_arn    = "arn:aws:iam::${var.aws_account_id}:role/${var.aws_stack_name}-gcp-push"
  aws_poller_role_name = "${var.aws_stack_name}-gcp-logging-poller"
  aws_verify_role_name = "${var.aws_stack_name}-verify"
  aws_ingest_bus_arn   = "arn:aws:events:${var.aws_region}:${var.aws_account_id}:event-bus/${var.aws_stack_name}-ingest"
}
