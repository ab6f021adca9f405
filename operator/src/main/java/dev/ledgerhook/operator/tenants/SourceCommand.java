package dev.ledgerhook.operator.tenants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ledgerhook.operator.LedgerhookCommand;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.secrets.SecretResolver;
import dev.ledgerhook.tenants.SourceConfig;
import dev.ledgerhook.tenants.TenantStore;
import dev.ledgerhook.tenants.TenantStore.StoredSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ledgerhook source add|rotate-secret}: a tenant's webhook endpoints. */
@Command(name = "source", description = "Add a tenant's webhook source, or rotate its signing secret.")
public final class SourceCommand {

    @ParentCommand
    LedgerhookCommand root;

    @Command(name = "add", description = "Add (or replace) a source and print the webhook URL to paste into the provider.")
    int add(@Parameters(paramLabel = "<tenant>") String tenant,
            @Parameters(paramLabel = "<source>") String source,
            @Option(names = "--type", required = true,
                    description = "stripe, shopify, quickbooks, xero, standard or finch.") String type,
            @Option(names = "--secret", required = true,
                    description = "A reference to the signing secret: secretsmanager:<name>, ssm:<parameter>, or inline:<value> (local only).") String secret,
            @Option(names = "--retention-days", description = "How long event keys are remembered (default 30).") Integer retentionDays) {
        TenantStore tenants = root.connection().tenants();
        TenantCommand.requireTenant(tenants, tenant);
        SourceType sourceType = SourceType.fromId(type).orElseThrow(() -> new IllegalArgumentException(
                "unknown type " + type + "; one of stripe, shopify, quickbooks, xero, standard, finch"));
        requireReference(secret);
        Optional<Duration> retention = Optional.ofNullable(retentionDays).map(Duration::ofDays);
        tenants.putSource(new SourceConfig(tenant, source, sourceType, List.of(secret), retention));
        String url = root.connection().webhookUrl(tenant, source);
        root.output().message("source " + tenant + "/" + source + " (" + sourceType.id() + ") added; webhook URL:\n  " + url,
                Map.of("tenant", tenant, "source", source, "type", sourceType.id(), "url", url));
        return 0;
    }

    @Command(name = "rotate-secret", description = {
            "Rotate a source's signing secret in two steps: first add the new secret (both verify),",
            "switch the provider to it, then run again with --finish to drop the old one."})
    int rotateSecret(@Parameters(paramLabel = "<tenant>") String tenant,
                     @Parameters(paramLabel = "<source>") String source,
                     @Option(names = "--secret", description = "The new secret's reference.") String secret,
                     @Option(names = "--finish", description = "Keep only the newest secret.") boolean finish) {
        TenantStore tenants = root.connection().tenants();
        SourceConfig current = find(tenants, tenant, source);
        List<String> secrets = rotated(current.secretRefs(), secret, finish);
        tenants.putSource(new SourceConfig(tenant, source, current.type(), secrets, current.retention()));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tenant", tenant);
        fields.put("source", source);
        fields.put("secrets", secrets.size());
        fields.put("url", root.connection().webhookUrl(tenant, source));
        root.output().message(finish
                ? "source " + tenant + "/" + source + " now verifies with its newest secret only"
                : "source " + tenant + "/" + source + " verifies with both secrets; switch the provider to the new one, then run with --finish",
                fields);
        return 0;
    }

    private static List<String> rotated(List<String> current, String secret, boolean finish) {
        if (finish == (secret != null)) {
            throw new IllegalArgumentException("give either --secret <new reference> or --finish");
        }
        if (finish) {
            return List.of(current.get(current.size() - 1));
        }
        requireReference(secret);
        List<String> secrets = new ArrayList<>(List.of(current.get(current.size() - 1)));
        secrets.add(secret);
        return secrets;
    }

    public static SourceConfig find(TenantStore tenants, String tenant, String source) {
        StoredSource stored = tenants.find(tenant).map(found -> found.sources().get(source)).orElse(null);
        if (stored == null) {
            throw new IllegalArgumentException("no source " + tenant + "/" + source + " (see `ledgerhook tenant list`)");
        }
        return stored.config().orElseThrow(() -> new IllegalArgumentException(
                "source " + tenant + "/" + source + " is unusable: " + stored.problem().orElse("unknown problem")));
    }

    static void requireReference(String reference) {
        if (!SecretResolver.isReference(reference)) {
            throw new IllegalArgumentException("a secret is given by reference: secretsmanager:<name>, ssm:<parameter> or inline:<value>");
        }
    }
}
