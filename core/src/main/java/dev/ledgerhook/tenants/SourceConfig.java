package dev.ledgerhook.tenants;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.ledgerhook.providers.SourceType;

/**
 * One webhook source of a tenant: the endpoint {@code POST /webhooks/{tenant}/{name}}.
 *
 * @param tenant     the tenant id
 * @param name       the source's name in the URL
 * @param type       the provider, which fixes the signature scheme and the event-key derivation
 * @param secretRefs one or two secret references (two while a secret rotates), see {@code SecretResolver}
 * @param retention  how long an event key is remembered; empty means the configured default
 */
public record SourceConfig(String tenant, String name, SourceType type, List<String> secretRefs,
                           Optional<Duration> retention) {

    public SourceConfig {
        secretRefs = List.copyOf(secretRefs);
    }
}
