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
  description = "Region of the Glasswatch stack (incident table and bus)."
  type        = string
}

variable "aws_table_name" {
  description = "The Glasswatch incident table (stack output IncidentTableName)."
  type        = string
}

variable "aws_incident_bus" {
  description = "The Glasswatch incident bus name (stack output IncidentBusName)."
  type        = string
}

variable "aws_role_arn" {
  description = "The role the function assumes (stack output GcpPushFunctionRoleArn from infra/pollers-snippet.yaml)."
  type        = string
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

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids for the dead-letter and backlog alerts."
  type        = list(string)
  default     = []
}
