#!/usr/bin/env bash
# Creates Ledgerhook's tables and queues in LocalStack, as sam-template.yaml and StackDefinition
# define them (a test keeps the three in step). Stack name: $STACK (default ledgerhook).
set -euo pipefail
STACK="${STACK:-ledgerhook}"

awslocal dynamodb create-table --table-name "$STACK-events" --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH
awslocal dynamodb update-time-to-live --table-name "$STACK-events" \
  --time-to-live-specification Enabled=true,AttributeName=expiresAt

awslocal dynamodb create-table --table-name "$STACK-tenants" --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S \
  --key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE

awslocal dynamodb create-table --table-name "$STACK-external-ids" --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH

awslocal dynamodb create-table --table-name "$STACK-entity-mirror" --billing-mode PAY_PER_REQUEST \
  --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH

awslocal sqs create-queue --queue-name "$STACK-events-dlq" \
  --attributes VisibilityTimeout=360,MessageRetentionPeriod=1209600,MaximumMessageSize=1048576
dlq_arn=$(awslocal sqs get-queue-attributes --attribute-names QueueArn \
  --queue-url "$(awslocal sqs get-queue-url --queue-name "$STACK-events-dlq" --query QueueUrl --output text)" \
  --query Attributes.QueueArn --output text)
awslocal sqs create-queue --queue-name "$STACK-events" --attributes "{\"VisibilityTimeout\":\"360\",\
\"MessageRetentionPeriod\":\"345600\",\"MaximumMessageSize\":\"1048576\",\
\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"$dlq_arn\\\",\\\"maxReceiveCount\\\":\\\"5\\\"}\"}"

echo "ledgerhook stack '$STACK' ready"
