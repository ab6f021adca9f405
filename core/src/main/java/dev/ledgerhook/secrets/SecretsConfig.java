package dev.ledgerhook.secrets;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How signing secrets are resolved from their references. */
@ConfigMapping(prefix = "ledgerhook.secrets")
public interface SecretsConfig {

    /**
     * Whether {@code inline:<secret>} references are accepted. Default {@code false}: in AWS a
     * secret lives in Secrets Manager or SSM Parameter Store; inline secrets are for local runs.
     */
    @WithDefault("false")
    boolean allowInline();

    /** How long a resolved secret is kept per warm container. Default 5 minutes. */
    @WithDefault("PT5M")
    Duration cacheTtl();

    /** Secrets Manager endpoint override, for LocalStack. Default: the SDK's regional endpoint. */
    Optional<String> secretsManagerEndpoint();

    /** SSM endpoint override, for LocalStack. Default: the SDK's regional endpoint. */
    Optional<String> ssmEndpoint();
}
