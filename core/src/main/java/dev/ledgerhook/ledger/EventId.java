package dev.ledgerhook.ledger;

import java.util.regex.Pattern;

/**
 * Identifies one event across deliveries: deterministic and namespaced (invariant 5). Tenant and
 * source names cannot contain {@code #}, so the key {@code {tenant}#{source}#{eventKey}} splits
 * back unambiguously and one tenant's event id can never land on another tenant's key.
 */
public record EventId(String tenant, String source, String eventKey) {

    /** Tenant and source names: lower-case letters, digits and dashes, 1 to 64 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public EventId {
        if (!NAME.matcher(tenant).matches() || !NAME.matcher(source).matches()) {
            throw new IllegalArgumentException("tenant and source must match " + NAME.pattern());
        }
        if (eventKey.isEmpty() || eventKey.length() > 256) {
            throw new IllegalArgumentException("event key must have 1 to 256 characters");
        }
    }

    public String pk() {
        return tenant + "#" + source + "#" + eventKey;
    }

    public static EventId parse(String pk) {
        String[] parts = pk.split("#", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not an event key: " + pk);
        }
        return new EventId(parts[0], parts[1], parts[2]);
    }
}
