package dev.ledgerhook.tenants;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Tenant configuration as the ingest function sees it: read through {@link TenantStore} and kept
 * per warm container for a short time, so a burst of deliveries costs one Query per tenant, not
 * one per delivery. Unknown tenants are remembered too (for less time), so a flood of requests to
 * made-up tenants does not become a flood of Queries.
 */
@ApplicationScoped
public class TenantDirectory {

    /** Cache settings. */
    @ConfigMapping(prefix = "ledgerhook.tenants")
    public interface Config {

        /** How long a tenant's configuration is kept per warm container. Default 30 seconds. */
        @WithDefault("PT30S")
        Duration cacheTtl();

        /** How long an unknown tenant is remembered as unknown. Default 5 seconds. */
        @WithDefault("PT5S")
        Duration unknownCacheTtl();
    }

    /** What a (tenant, source) pair resolves to. */
    public sealed interface Lookup {
        record Found(SourceConfig source) implements Lookup {
        }

        /** Unknown tenant, unknown source or disabled tenant: all answered alike (404). */
        record NotFound(String reason) implements Lookup {
        }

        /** The source exists but its item cannot be used; the provider should retry after it is fixed. */
        record Misconfigured(String reason) implements Lookup {
        }
    }

    /** Bounds memory when requests name many different tenants; a full cache simply starts over. */
    private static final int MAX_CACHED_TENANTS = 10_000;

    private record Entry(Optional<TenantStore.StoredTenant> tenant, Instant until) {
    }

    private final TenantStore store;
    private final Config config;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public TenantDirectory(TenantStore store, Config config) {
        this.store = store;
        this.config = config;
    }

    public Lookup lookUp(String tenant, String source) {
        Optional<TenantStore.StoredTenant> stored = tenant(tenant);
        if (stored.isEmpty()) {
            return new Lookup.NotFound("unknown tenant");
        }
        if (!stored.get().enabled()) {
            return new Lookup.NotFound("tenant disabled");
        }
        TenantStore.StoredSource found = stored.get().sources().get(source);
        if (found == null) {
            return new Lookup.NotFound("unknown source");
        }
        return found.config().<Lookup>map(Lookup.Found::new)
                .orElseGet(() -> new Lookup.Misconfigured(found.problem().orElse("unusable source")));
    }

    /** Forgets everything cached, for tests and operator tools that just changed a tenant. */
    public void invalidate() {
        cache.clear();
    }

    private Optional<TenantStore.StoredTenant> tenant(String tenant) {
        Instant now = Instant.now();
        Entry entry = cache.get(tenant);
        if (entry == null || entry.until().isBefore(now)) {
            Optional<TenantStore.StoredTenant> loaded = store.find(tenant);
            Duration ttl = loaded.isPresent() ? config.cacheTtl() : config.unknownCacheTtl();
            entry = new Entry(loaded, now.plus(ttl));
            if (cache.size() >= MAX_CACHED_TENANTS) {
                cache.clear();
            }
            cache.put(tenant, entry);
        }
        return entry.tenant();
    }
}
