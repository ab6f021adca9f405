package dev.ledgerhook.reliability.faults;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Faults at the AWS SDK layer inside a function process, for the storm. Registered as a global
 * interceptor ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), so every
 * client Quarkus builds in the function picks it up without a line of function code changing.
 *
 * <ul>
 *   <li><b>DynamoDB throttling</b>: an execution is throttled for one attempt, two attempts, or all
 *       of them; the first two are absorbed by the SDK's retries (as real throttling mostly is), the
 *       last reaches the application as {@code ProvisionedThroughputExceededException}. The request
 *       never reaches DynamoDB, as a throttled request does not.</li>
 *   <li><b>SQS send failures</b>: a SendMessage(Batch) fails before it is sent (retried by the SDK,
 *       or surfaced), or is sent and its response is lost: the message is on the queue, the caller
 *       sees a failure. The design allows the re-send that follows.</li>
 *   <li><b>SIGKILL at the critical windows</b>: the process kills itself with {@code kill -9} in
 *       ingest after its claim and before its SendMessage, and in the worker after the accounting
 *       calls and before the COMPLETED mark; at most {@code KILL_CAP} times per window per run.</li>
 * </ul>
 * Every claim won, take-over won, message sent, fault and kill is one line in
 * {@code $LEDGERHOOK_FAULTS_DIR/<function>-<pid>.log}, so the storm can hold sends to claims.
 * Without {@code LEDGERHOOK_FAULTS_DIR} the interceptor does nothing.
 */
public final class SdkFaultInterceptor implements ExecutionInterceptor {

    private static final ExecutionAttribute<int[]> FAILING_ATTEMPTS = new ExecutionAttribute<>("LedgerhookStormFailingAttempts");
    private static final ExecutionAttribute<String> FAULT_KIND = new ExecutionAttribute<>("LedgerhookStormFaultKind");
    private static final Pattern ENVELOPE_ID = Pattern.compile("\"tenant\":\"([^\"]*)\",\"source\":\"([^\"]*)\",\"eventKey\":\"([^\"]*)\"");
    private static final int ALL_ATTEMPTS = Integer.MAX_VALUE;

    private static final FaultSettings SETTINGS = FaultSettings.fromEnvironment(System.getenv());
    private static final FaultRecord RECORD = SETTINGS.active() ? FaultRecord.open(SETTINGS) : null;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (RECORD == null) {
            return;
        }
        SdkRequest request = context.request();
        if (request instanceof DynamoDbRequest) {
            if (roll(SETTINGS.dynamoDbThrottleRate())) {
                attributes.putAttribute(FAULT_KIND, "dynamodb-throttle");
                attributes.putAttribute(FAILING_ATTEMPTS, new int[] {attempts()});
            }
            if (SETTINGS.worker() && isCompletedMark(request) && roll(SETTINGS.killBeforeCompletedRate())) {
                killSelf("call-completed", pkOf(request));
            }
        } else if (request instanceof SendMessageRequest || request instanceof SendMessageBatchRequest) {
            if (SETTINGS.ingest() && isEventsQueue(request) && roll(SETTINGS.killBeforeSendRate())) {
                killSelf("claim-send", String.join(",", keysOf(request)));
            }
            if (roll(SETTINGS.sqsSendFailureRate())) {
                boolean lost = ThreadLocalRandom.current().nextInt(10) < 3;
                attributes.putAttribute(FAULT_KIND, lost ? "sqs-response-lost" : "sqs-send-failure");
                attributes.putAttribute(FAILING_ATTEMPTS, new int[] {lost ? 1 : attempts()});
            }
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (RECORD == null) {
            return;
        }
        String kind = attributes.getAttribute(FAULT_KIND);
        int[] failing = attributes.getAttribute(FAILING_ATTEMPTS);
        if (kind == null || kind.equals("sqs-response-lost") || failing[0] <= 0) {
            return;
        }
        if (failing[0] != ALL_ATTEMPTS) {
            failing[0]--;
        }
        RECORD.line("fault " + kind + " " + operation(context.request()) + " " + describe(context.request()));
        throw kind.equals("dynamodb-throttle") ? throttled() : sqsFailure("InternalError", "injected send failure");
    }

    /** A message is on the queue once the queue answered 200, whatever the caller hears next. */
    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (RECORD == null || context.httpResponse().statusCode() != 200) {
            return;
        }
        SdkRequest request = context.request();
        if (request instanceof SendMessageRequest || request instanceof SendMessageBatchRequest) {
            String queue = queueName(request);
            for (String key : keysOf(request)) {
                RECORD.line("send " + queue + " " + key);
            }
            int[] failing = attributes.getAttribute(FAILING_ATTEMPTS);
            if ("sqs-response-lost".equals(attributes.getAttribute(FAULT_KIND)) && failing[0] > 0) {
                failing[0]--;
                RECORD.line("fault sqs-response-lost " + operation(request) + " " + String.join(",", keysOf(request)));
                throw sqsFailure("InternalError", "injected: sent, response lost");
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (RECORD == null || !SETTINGS.ingest()) {
            return;
        }
        SdkRequest request = context.request();
        if (request instanceof PutItemRequest put && SETTINGS.eventsTable().equals(put.tableName())
                && "RECEIVED".equals(stringOf(put.item(), "status"))) {
            RECORD.line("claim " + stringOf(put.item(), "pk"));
        } else if (request instanceof UpdateItemRequest update && SETTINGS.eventsTable().equals(update.tableName())
                && update.updateExpression() != null && update.updateExpression().startsWith("SET leaseUntil = :lease")) {
            RECORD.line("takeover " + stringOf(update.key(), "pk"));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String kind = attributes.getAttribute(FAULT_KIND);
        if (RECORD != null && kind != null) {
            RECORD.line("surfaced " + kind + " " + operation(context.request()) + " " + describe(context.request()));
        }
    }

    private static int attempts() {
        int roll = ThreadLocalRandom.current().nextInt(4);
        return roll < 2 ? 1 : roll == 2 ? 2 : ALL_ATTEMPTS;
    }

    private static boolean roll(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    private static boolean isCompletedMark(SdkRequest request) {
        return request instanceof UpdateItemRequest update && SETTINGS.eventsTable().equals(update.tableName())
                && update.hasExpressionAttributeValues()
                && "COMPLETED".equals(stringOf(update.expressionAttributeValues(), ":status"));
    }

    private static boolean isEventsQueue(SdkRequest request) {
        return SETTINGS.eventsQueueName().equals(queueName(request));
    }

    /**
     * SIGKILL of this very process, as the kernel's OOM killer or a host failure would do it: no
     * shutdown hooks, no finally blocks, nothing flushed but what was written already.
     */
    private static void killSelf(String window, String what) {
        if (!RECORD.takeKillSlot(window)) {
            return;
        }
        long pid = ProcessHandle.current().pid();
        RECORD.line("kill " + window + " " + what);
        try {
            new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
            Thread.sleep(60_000); // the signal is on its way
        } catch (Exception e) {
            Runtime.getRuntime().halt(137);
        }
    }

    private static List<String> keysOf(SdkRequest request) {
        if (request instanceof SendMessageRequest send) {
            return List.of(keyOf(send.messageBody()));
        }
        return ((SendMessageBatchRequest) request).entries().stream().map(SendMessageBatchRequestEntry::messageBody)
                .map(SdkFaultInterceptor::keyOf).toList();
    }

    /** The envelope's {@code tenant#source#eventKey}, the events table's pk. */
    private static String keyOf(String body) {
        Matcher id = body == null ? null : ENVELOPE_ID.matcher(body);
        return id != null && id.find() ? id.group(1) + "#" + id.group(2) + "#" + id.group(3) : "unreadable";
    }

    private static String queueName(SdkRequest request) {
        String url = request instanceof SendMessageRequest send ? send.queueUrl() : ((SendMessageBatchRequest) request).queueUrl();
        return url == null ? "" : url.substring(url.lastIndexOf('/') + 1);
    }

    private static String pkOf(SdkRequest request) {
        return request instanceof UpdateItemRequest update ? stringOf(update.key(), "pk") : "";
    }

    private static String describe(SdkRequest request) {
        if (request instanceof SendMessageRequest || request instanceof SendMessageBatchRequest) {
            return String.join(",", keysOf(request));
        }
        if (request instanceof PutItemRequest put) {
            return put.tableName() + " " + stringOf(put.item(), "pk");
        }
        if (request instanceof UpdateItemRequest update) {
            return update.tableName() + " " + stringOf(update.key(), "pk");
        }
        return "";
    }

    private static String operation(SdkRequest request) {
        return request.getClass().getSimpleName().replace("Request", "");
    }

    private static String stringOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item == null ? null : item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    private static ProvisionedThroughputExceededException throttled() {
        return (ProvisionedThroughputExceededException) ProvisionedThroughputExceededException.builder()
                .message("injected by the storm: throughput exceeded")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("injected by the storm").serviceName("DynamoDb")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).build()).build())
                .build();
    }

    private static SqsException sqsFailure(String code, String message) {
        return (SqsException) SqsException.builder().message(message).statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Sqs")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(500).build()).build())
                .build();
    }
}
