package dev.ledgerhook.tracing;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The X-Ray trace header of the current invocation, {@code Root=1-...;Parent=...;Sampled=1}. The
 * Lambda runtime sets it per invocation in the system property {@value #PROPERTY} (Quarkus' runtime
 * loop does too); the environment variable {@value #VARIABLE} is the fallback.
 *
 * @param root    the trace id, {@code 1-<8 hex>-<24 hex>}
 * @param parent  the id of the segment this invocation's subsegments belong to, 16 hex; empty if absent
 * @param sampled whether the header says {@code Sampled=1}
 */
public record TraceHeader(String root, Optional<String> parent, boolean sampled) {

    public static final String PROPERTY = "com.amazonaws.xray.traceHeader";
    public static final String VARIABLE = "_X_AMZN_TRACE_ID";

    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern SEGMENT_ID = Pattern.compile("[0-9a-f]{16}");

    /** The current invocation's header, if one is set and has a well-formed Root. */
    public static Optional<TraceHeader> current() {
        String header = System.getProperty(PROPERTY);
        if (header == null || header.isBlank()) {
            header = System.getenv(VARIABLE);
        }
        return parse(header);
    }

    /**
     * Parses a header; empty when it is null or has no well-formed Root. A malformed Parent is left
     * out (nothing can be attached to it); any Sampled other than {@code 1} is not sampled.
     */
    public static Optional<TraceHeader> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String root = null;
        String parent = null;
        boolean sampled = false;
        for (String part : header.split(";")) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = part.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(equals + 1).trim();
            switch (key) {
                case "root" -> root = value;
                case "parent" -> parent = value;
                case "sampled" -> sampled = value.equals("1");
                default -> { } // Lineage, Self and others: not needed for a subsegment
            }
        }
        if (root == null || !ROOT.matcher(root).matches()) {
            return Optional.empty();
        }
        Optional<String> parentId = Optional.ofNullable(parent).filter(id -> SEGMENT_ID.matcher(id).matches());
        return Optional.of(new TraceHeader(root, parentId, sampled));
    }

    /** Whether subsegments can be sent for it: sampled, and with a parent to attach them to. */
    public boolean traced() {
        return sampled && parent.isPresent();
    }
}
