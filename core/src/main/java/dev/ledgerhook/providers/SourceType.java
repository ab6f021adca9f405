package dev.ledgerhook.providers;

import java.util.Locale;
import java.util.Optional;

/** The kinds of webhook sender Ledgerhook understands; the id is the {source} segment of the URL. */
public enum SourceType {
    STRIPE, SHOPIFY, QUICKBOOKS, XERO, STANDARD, FINCH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Exact, lower-case match only: URLs and stored keys use the id, so "Stripe" is not an alias. */
    public static Optional<SourceType> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (SourceType type : values()) {
            if (type.id().equals(id)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
