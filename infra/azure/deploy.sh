#!/usr/bin/env bash
# Glasswatch on Azure / Entra, end to end (az CLI ≥ 2.60 with Bicep, aws CLI v2, jq):
#   1. app registration "glasswatch-log-reader" with a certificate credential (no client secret);
#   2. least privilege: Log Analytics Reader on the one workspace (ACCESS_SCOPE=tables: only the four tables);
#   3. the Entra diagnostic setting (tenant) and this subscription's Activity log setting → the workspace;
#   4. an Activity log alert when a diagnostic setting is deleted;
#   5. optional (EVENT_HUB_NAMESPACE set): Event Hubs namespace/hub for the push consumer;
#   6. the credentials into the AWS Secrets Manager secrets of the stack (never printed, never on disk
#      outside a 0600 temp dir removed on exit).
#
# Usage:
#   WORKSPACE_RG=rg-sec WORKSPACE_NAME=law-sec ALERT_EMAIL=secops@example.com \
#   AZURE_SECRET_ID=<stack output AzureCredentialsSecretArn> \
#   [EVENT_HUB_NAMESPACE=glasswatch-ehns EVENTHUB_SECRET_ID=<stack output EventHubConnectionSecretArn>] \
#   [ACCESS_SCOPE=tables] [LOCATION=westeurope] ./infra/azure/deploy.sh
set -euo pipefail

: "${WORKSPACE_RG:?resource group of the Log Analytics workspace}"
: "${WORKSPACE_NAME:?name of the Log Analytics workspace}"
: "${ALERT_EMAIL:?who is told when a diagnostic setting is deleted}"
: "${AZURE_SECRET_ID:?Secrets Manager secret for the app credentials}"
LOCATION="${LOCATION:-westeurope}"
ACCESS_SCOPE="${ACCESS_SCOPE:-workspace}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

scratch="$(mktemp -d)"
chmod 700 "$scratch"
trap 'rm -rf "$scratch"' EXIT

tenant_id="$(az account show --query tenantId -o tsv)"
workspace_id="$(az monitor log-analytics workspace show -g "$WORKSPACE_RG" -n "$WORKSPACE_NAME" --query id -o tsv)"
workspace_customer_id="$(az monitor log-analytics workspace show -g "$WORKSPACE_RG" -n "$WORKSPACE_NAME" --query customerId -o tsv)"

echo "1/6 app registration glasswatch-log-reader"
app_id="$(az ad app list --display-name glasswatch-log-reader --query '[0].appId' -o tsv)"
if [[ -z "$app_id" ]]; then
  app_id="$(az ad app create --display-name glasswatch-log-reader --sign-in-audience AzureADMyOrg --query appId -o tsv)"
fi
sp_object_id="$(az ad sp show --id "$app_id" --query id -o tsv 2>/dev/null || az ad sp create --id "$app_id" --query id -o tsv)"
# A fresh one-year certificate replaces any previous credential: rotation is re-running this script.
az ad app credential reset --id "$app_id" --create-cert --years 1 --query fileWithCertAndPrivateKey -o tsv >"$scratch/pem-path"
pem_file="$(cat "$scratch/pem-path")"
mv "$pem_file" "$scratch/cert.pem"

echo "2/6 least privilege on $WORKSPACE_NAME ($ACCESS_SCOPE), and 4/6 the alert on diagnostic-setting deletion"
az deployment group create -g "$WORKSPACE_RG" --template-file "$HERE/workspace-access.bicep" \
  --parameters workspaceName="$WORKSPACE_NAME" appObjectId="$sp_object_id" alertEmail="$ALERT_EMAIL" accessScope="$ACCESS_SCOPE" \
  --output none

send_rule=""
if [[ -n "${EVENT_HUB_NAMESPACE:-}" ]]; then
  echo "5/6 Event Hubs namespace $EVENT_HUB_NAMESPACE"
  az deployment group create -g "$WORKSPACE_RG" --template-file "$HERE/event-hub.bicep" \
    --parameters namespaceName="$EVENT_HUB_NAMESPACE" --query properties.outputs -o json >"$scratch/eh.json"
  send_rule="$(jq -r .sendAuthorizationRuleId.value "$scratch/eh.json")"
  listen_rule="$(jq -r .listenAuthorizationRuleId.value "$scratch/eh.json")"
  : "${EVENTHUB_SECRET_ID:?Secrets Manager secret for the Event Hubs listen connection string}"
  az rest --method post --url "https://management.azure.com${listen_rule}/listKeys?api-version=2024-01-01" \
    --query primaryConnectionString -o tsv | tr -d '\n' |
    aws secretsmanager put-secret-value --secret-id "$EVENTHUB_SECRET_ID" --secret-string file:///dev/stdin --output text --query VersionId >/dev/null
fi

echo "3/6 diagnostic settings → $WORKSPACE_NAME"
az deployment tenant create --location "$LOCATION" --template-file "$HERE/entra-diagnostics.bicep" \
  --parameters workspaceResourceId="$workspace_id" eventHubAuthorizationRuleId="$send_rule" --output none
az deployment sub create --location "$LOCATION" --template-file "$HERE/subscription-diagnostics.bicep" \
  --parameters workspaceResourceId="$workspace_id" eventHubAuthorizationRuleId="$send_rule" --output none

echo "6/6 credentials → Secrets Manager $AZURE_SECRET_ID"
jq -n --arg tenantId "$tenant_id" --arg clientId "$app_id" --rawfile certificatePem "$scratch/cert.pem" \
  '{tenantId: $tenantId, clientId: $clientId, certificatePem: $certificatePem}' >"$scratch/secret.json"
aws secretsmanager put-secret-value --secret-id "$AZURE_SECRET_ID" --secret-string "file://$scratch/secret.json" \
  --output text --query VersionId >/dev/null

echo "done. Set the stack parameter AzureWorkspaceId=$workspace_customer_id"
