package dev.ledgerhook.ingest;

import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.ledgerhook.providers.WebhookRequest;
import dev.ledgerhook.tracing.LogContext;

/** {@code POST /webhooks/{tenant}/{source}}: one endpoint per tenant and source. */
@Path("/webhooks/{tenant}/{source}")
public class WebhookResource {

    private final DeliveryIntake intake;

    public WebhookResource(DeliveryIntake intake) {
        this.intake = intake;
    }

    /** The invocation's request id and trace id are in the logging MDC while it runs (see {@link LogContext}). */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(@PathParam("tenant") String tenant, @PathParam("source") String source,
                            @Context HttpHeaders headers, @Context com.amazonaws.services.lambda.runtime.Context lambda,
                            byte[] body) {
        WebhookRequest request = new WebhookRequest(headers.getRequestHeaders(), body == null ? new byte[0] : body);
        Optional<String> contentType = Optional.ofNullable(headers.getHeaderString(HttpHeaders.CONTENT_TYPE));
        try (LogContext log = LogContext.open(requestId(lambda))) {
            return toResponse(intake.handle(tenant, source, contentType, request));
        }
    }

    /** The Lambda request id; none outside Lambda (the request-scoped context is then absent). */
    static String requestId(com.amazonaws.services.lambda.runtime.Context lambda) {
        try {
            return lambda == null ? null : lambda.getAwsRequestId();
        } catch (RuntimeException absent) {
            return null;
        }
    }

    static Response toResponse(IntakeResult result) {
        if (result instanceof IntakeResult.Accepted accepted) {
            return json(200, Map.of("received", accepted.received(), "duplicates", accepted.duplicates()));
        }
        if (result instanceof IntakeResult.IntentToReceive) {
            return Response.ok().build();
        }
        if (result instanceof IntakeResult.Rejected rejected) {
            return json(rejected.status(), Map.of("error", rejected.error(), "message", rejected.message()));
        }
        IntakeResult.Unavailable unavailable = (IntakeResult.Unavailable) result;
        return Response.status(503)
                .header("Retry-After", unavailable.retryAfterSeconds())
                .entity(Map.of("error", unavailable.error(), "message", unavailable.message()))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    private static Response json(int status, Map<String, ?> body) {
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON).build();
    }
}
