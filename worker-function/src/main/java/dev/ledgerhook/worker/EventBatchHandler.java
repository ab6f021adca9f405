package dev.ledgerhook.worker;

import java.util.List;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/**
 * The SQS-triggered entry point (ReportBatchItemFailures).
 *
 * <p>Not yet applying events (the worker issue builds that): until it does, every message is
 * reported as a batch item failure, so SQS keeps it and, after maxReceiveCount, moves it to the
 * DLQ, from where it can be replayed once the worker lands. Nothing is acknowledged unprocessed.
 */
@Named("events")
public class EventBatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = Logger.getLogger(EventBatchHandler.class);

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = event.getRecords().stream()
                .map(message -> new SQSBatchResponse.BatchItemFailure(message.getMessageId()))
                .toList();
        LOG.warnf("worker not implemented yet: returned %d message(s) to the queue", failures.size());
        return new SQSBatchResponse(failures);
    }
}
