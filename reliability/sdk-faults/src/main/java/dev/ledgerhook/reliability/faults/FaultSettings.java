package dev.ledgerhook.reliability.faults;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to inject, from the container's environment (the storm sets it; the template never does).
 *
 * @param directory                where each process writes its record; absent: inject nothing
 * @param function                 {@code AWS_LAMBDA_FUNCTION_NAME}: ingest or worker
 * @param eventsTable              the events table ({@code LEDGERHOOK_EVENTS_TABLE})
 * @param eventsQueueName          the events queue's name, from {@code LEDGERHOOK_EVENTS_QUEUE_URL}
 * @param dynamoDbThrottleRate     share of DynamoDB calls throttled
 * @param sqsSendFailureRate       share of SendMessage(Batch) calls that fail
 * @param killBeforeSendRate       share of ingest sends preceded by a SIGKILL of the process
 * @param killBeforeCompletedRate  share of worker COMPLETED marks preceded by a SIGKILL
 * @param killCap                  at most this many kills per window in the whole run
 */
public record FaultSettings(Path directory, String function, String eventsTable, String eventsQueueName,
                            double dynamoDbThrottleRate, double sqsSendFailureRate, double killBeforeSendRate,
                            double killBeforeCompletedRate, int killCap) {

    public static final String DIRECTORY = "LEDGERHOOK_FAULTS_DIR";
    public static final String DYNAMODB_THROTTLE_RATE = "LEDGERHOOK_FAULTS_DYNAMODB_THROTTLE_RATE";
    public static final String SQS_SEND_FAILURE_RATE = "LEDGERHOOK_FAULTS_SQS_SEND_FAILURE_RATE";
    public static final String KILL_BEFORE_SEND_RATE = "LEDGERHOOK_FAULTS_KILL_BEFORE_SEND_RATE";
    public static final String KILL_BEFORE_COMPLETED_RATE = "LEDGERHOOK_FAULTS_KILL_BEFORE_COMPLETED_RATE";
    public static final String KILL_CAP = "LEDGERHOOK_FAULTS_KILL_CAP";

    static FaultSettings fromEnvironment(Map<String, String> env) {
        String directory = env.get(DIRECTORY);
        String queueUrl = env.getOrDefault("LEDGERHOOK_EVENTS_QUEUE_URL", "");
        return new FaultSettings(directory == null || directory.isBlank() ? null : Path.of(directory),
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "unknown"),
                env.getOrDefault("LEDGERHOOK_EVENTS_TABLE", ""),
                queueUrl.substring(queueUrl.lastIndexOf('/') + 1),
                rate(env, DYNAMODB_THROTTLE_RATE), rate(env, SQS_SEND_FAILURE_RATE),
                rate(env, KILL_BEFORE_SEND_RATE), rate(env, KILL_BEFORE_COMPLETED_RATE),
                Integer.parseInt(env.getOrDefault(KILL_CAP, "0")));
    }

    boolean active() {
        return directory != null;
    }

    boolean ingest() {
        return function.contains("ingest");
    }

    boolean worker() {
        return function.contains("worker");
    }

    private static double rate(Map<String, String> env, String name) {
        double rate = Double.parseDouble(env.getOrDefault(name, "0"));
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, not " + rate);
        }
        return rate;
    }
}
