package dev.ledgerhook.quickbooks.simulator;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One HTTP answer: status, JSON body, extra headers. Also thrown to end a request early. */
final class SimulatedAnswer extends RuntimeException {

    static final ObjectMapper JSON = new ObjectMapper();

    final int status;
    final String body;
    final Map<String, String> headers;

    SimulatedAnswer(int status, String body, Map<String, String> headers) {
        super(null, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    static SimulatedAnswer ok(ObjectNode body) {
        return new SimulatedAnswer(200, body.toString(), Map.of());
    }

    static SimulatedAnswer json(int status, ObjectNode body) {
        return new SimulatedAnswer(status, body.toString(), Map.of());
    }

    /** A QuickBooks API fault, {@code {"Fault":{"Error":[...],"type":...},"time":...}}. */
    static SimulatedAnswer fault(int status, String type, String code, String message, String detail, String element) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode fault = body.putObject("Fault");
        ObjectNode error = fault.putArray("Error").addObject();
        error.put("Message", message).put("Detail", detail).put("code", code).put("element", element);
        fault.put("type", type);
        body.put("time", Instant.now().toString());
        return new SimulatedAnswer(status, body.toString(), Map.of());
    }

    static SimulatedAnswer validation(String code, String message, String detail, String element) {
        return fault(400, "ValidationFault", code, message, detail, element);
    }

    static SimulatedAnswer throttled(long retryAfterSeconds) {
        SimulatedAnswer fault = fault(429, "SERVICE", "3001",
                "message=ThrottleExceeded; errorCode=003001; statusCode=429", "Too many requests", "");
        return new SimulatedAnswer(429, fault.body, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    static SimulatedAnswer unauthorized() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode fault = body.putObject("fault");
        fault.putArray("error").addObject()
                .put("message", "message=AuthenticationFailed; errorCode=003200; statusCode=401")
                .put("detail", "Token expired or invalid").put("code", "3200");
        fault.put("type", "AUTHENTICATION");
        body.put("time", Instant.now().toString());
        return new SimulatedAnswer(401, body.toString(), Map.of());
    }

    static SimulatedAnswer error(int status, String error) {
        return new SimulatedAnswer(status, JSON.createObjectNode().put("error", error).toString(), Map.of());
    }
}
