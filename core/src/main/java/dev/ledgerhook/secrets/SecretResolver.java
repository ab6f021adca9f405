package dev.ledgerhook.secrets;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Turns secret references into secret values, cached per warm container:
 * <ul>
 * <li>{@code secretsmanager:<name or ARN>}: the secret's string value;</li>
 * <li>{@code ssm:<parameter name>}: a (SecureString) parameter, decrypted;</li>
 * <li>{@code inline:<value>}: the value itself, only when {@code ledgerhook.secrets.allow-inline}.</li>
 * </ul>
 * The AWS clients are built on first use, so a deployment that never references one never pays
 * for it at start-up.
 */
@ApplicationScoped
public class SecretResolver {

    private record Cached(String value, Instant until) {
    }

    private final SecretsConfig config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile SecretsManagerClient secretsManager;
    private volatile SsmClient ssm;

    public SecretResolver(SecretsConfig config) {
        this.config = config;
    }

    public List<String> resolveAll(List<String> references) throws SecretUnavailableException {
        List<String> values = new ArrayList<>(references.size());
        for (String reference : references) {
            values.add(resolve(reference));
        }
        return values;
    }

    public String resolve(String reference) throws SecretUnavailableException {
        Cached cached = cache.get(reference);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.value();
        }
        String value = fetch(reference);
        cache.put(reference, new Cached(value, Instant.now().plus(config.cacheTtl())));
        return value;
    }

    /** Checks a reference's form without fetching it, for configuration checks. */
    public static boolean isReference(String reference) {
        return reference.startsWith("secretsmanager:") || reference.startsWith("ssm:") || reference.startsWith("inline:");
    }

    private String fetch(String reference) throws SecretUnavailableException {
        int colon = reference.indexOf(':');
        String scheme = colon < 0 ? "" : reference.substring(0, colon);
        String name = colon < 0 ? "" : reference.substring(colon + 1);
        if (name.isEmpty()) {
            throw new SecretUnavailableException("secret reference has no name: " + scheme + ":");
        }
        try {
            return switch (scheme) {
                case "inline" -> inline(name);
                case "secretsmanager" -> secretsManager().getSecretValue(get -> get.secretId(name)).secretString();
                case "ssm" -> ssm().getParameter(get -> get.name(name).withDecryption(true)).parameter().value();
                default -> throw new SecretUnavailableException(
                        "secret reference must start with secretsmanager:, ssm: or inline:");
            };
        } catch (SdkException e) {
            throw new SecretUnavailableException("could not read " + scheme + ":" + name + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private String inline(String value) throws SecretUnavailableException {
        if (!config.allowInline()) {
            throw new SecretUnavailableException("inline secrets are disabled (ledgerhook.secrets.allow-inline=false)");
        }
        return value;
    }

    private SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            synchronized (this) {
                if (secretsManager == null) {
                    var builder = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
                    config.secretsManagerEndpoint().map(URI::create).ifPresent(builder::endpointOverride);
                    secretsManager = builder.build();
                }
            }
        }
        return secretsManager;
    }

    private SsmClient ssm() {
        if (ssm == null) {
            synchronized (this) {
                if (ssm == null) {
                    var builder = SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
                    config.ssmEndpoint().map(URI::create).ifPresent(builder::endpointOverride);
                    ssm = builder.build();
                }
            }
        }
        return ssm;
    }
}
