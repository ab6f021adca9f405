package dev.ledgerhook.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ledgerhook.connections.QuickBooksConnections;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.quickbooks.simulator.QuickBooksSimulator;
import dev.ledgerhook.tenants.SourceConfig;
import dev.ledgerhook.tenants.TenantStore;

/**
 * The local default's tenant {@code demo}: one source of each type, named after it, with the
 * local-only secrets README lists, connected to the simulator's demo company.
 */
public final class DemoTenant {

    public static final String ID = "demo";

    /** Local-only secrets, by source type; published in README, never valid anywhere else. */
    public static final Map<SourceType, String> SECRETS = secrets();

    private DemoTenant() {
    }

    /** Writes the tenant, unless a kept state already has it (its refresh token has rotated since). */
    public static boolean seed(TenantStore tenants, QuickBooksConnections quickBooks) {
        if (tenants.find(ID).isPresent()) {
            return false;
        }
        tenants.putTenant(ID, true);
        SECRETS.forEach((type, secret) -> tenants.putSource(new SourceConfig(ID, type.id(), type,
                List.of("inline:" + secret), Optional.empty())));
        quickBooks.connect(ID, QuickBooksSimulator.DEMO_REALM, QuickBooksSimulator.DEMO_CLIENT_ID,
                "inline:" + QuickBooksSimulator.DEMO_CLIENT_SECRET, QuickBooksSimulator.DEMO_REFRESH_TOKEN);
        return true;
    }

    private static Map<SourceType, String> secrets() {
        Map<SourceType, String> secrets = new LinkedHashMap<>();
        secrets.put(SourceType.STRIPE, "whsec_localdemo_stripe");
        secrets.put(SourceType.SHOPIFY, "localdemo_shopify");
        secrets.put(SourceType.QUICKBOOKS, "localdemo_quickbooks");
        secrets.put(SourceType.XERO, "localdemo_xero");
        secrets.put(SourceType.STANDARD, "whsec_bG9jYWxkZW1vX3N0YW5kYXJkX3NlY3JldF8zMmJ5dGVz");
        secrets.put(SourceType.FINCH, "bG9jYWxkZW1vX2ZpbmNoX3NlY3JldF8zMmJ5dGVzISE=");
        return java.util.Collections.unmodifiableMap(secrets);
    }
}
