package dev.ledgerhook.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whether the functions send X-Ray subsegments (env {@code LEDGERHOOK_TRACING_ENABLED}). */
@ConfigMapping(prefix = "ledgerhook.tracing")
public interface TracingConfig {

    /**
     * Whether spans (claim, send, each QuickBooks request, the event-state writes) are sent to the
     * X-Ray daemon at {@code AWS_XRAY_DAEMON_ADDRESS}. Even when on, only invocations whose trace
     * header says {@code Sampled=1} send anything. Default {@code false}: the template turns it on
     * together with the functions' active tracing.
     */
    @WithDefault("false")
    boolean enabled();
}
