package dev.ledgerhook.operator.tenants;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.ledgerhook.operator.LedgerhookCommand;
import dev.ledgerhook.operator.StackConnection;
import dev.ledgerhook.tenants.TenantStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ledgerhook tenant add|list|disable|enable|connect-quickbooks}. */
@Command(name = "tenant", description = "Add, list, disable or enable tenants; connect a tenant to QuickBooks Online.")
public final class TenantCommand {

    @ParentCommand
    LedgerhookCommand root;

    @Command(name = "add", description = "Add an enabled tenant.")
    int add(@Parameters(paramLabel = "<tenant>") String tenant) {
        TenantStore tenants = root.connection().tenants();
        if (tenants.find(tenant).isPresent()) {
            throw new IllegalArgumentException("tenant " + tenant + " exists already (use `tenant enable` to re-enable it)");
        }
        tenants.putTenant(tenant, true);
        root.output().message("tenant " + tenant + " added; add its sources with `ledgerhook source add " + tenant
                + " <source> --type <type> --secret <reference>`", Map.of("tenant", tenant, "enabled", true));
        return 0;
    }

    @Command(name = "list", description = "List tenants with their sources.")
    int list() {
        List<Map<String, ?>> rows = new ArrayList<>();
        for (TenantStore.StoredTenant tenant : root.connection().tenants().list()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tenant", tenant.id());
            row.put("enabled", tenant.enabled());
            row.put("sources", String.join(",", new TreeSet<>(tenant.sources().keySet())));
            rows.add(row);
        }
        root.output().table(List.of("tenant", "enabled", "sources"), rows, "no tenants");
        return 0;
    }

    @Command(name = "disable", description = "Disable a tenant: its webhooks answer 404 within the functions' cache time (30 s).")
    int disable(@Parameters(paramLabel = "<tenant>") String tenant) {
        return setEnabled(tenant, false);
    }

    @Command(name = "enable", description = "Enable a disabled tenant.")
    int enable(@Parameters(paramLabel = "<tenant>") String tenant) {
        return setEnabled(tenant, true);
    }

    @Command(name = "connect-quickbooks", description = "Connect a tenant to a QuickBooks Online company (OAuth 2.0 refresh token).")
    int connectQuickBooks(@Parameters(paramLabel = "<tenant>") String tenant,
                          @Option(names = "--realm", required = true, description = "The company's realm id.") String realm,
                          @Option(names = "--client-id", required = true) String clientId,
                          @Option(names = "--client-secret", required = true,
                                  description = "A reference to the app's client secret: secretsmanager:..., ssm:... (inline:... locally).") String clientSecretRef,
                          @Option(names = "--refresh-token", required = true) String refreshToken) {
        StackConnection connection = root.connection();
        requireTenant(connection.tenants(), tenant);
        SourceCommand.requireReference(clientSecretRef);
        connection.quickBooks().connect(tenant, realm, clientId, clientSecretRef, refreshToken);
        root.output().message("tenant " + tenant + " connected to QuickBooks company " + realm,
                Map.of("tenant", tenant, "realmId", realm));
        return 0;
    }

    private int setEnabled(String tenant, boolean enabled) {
        TenantStore tenants = root.connection().tenants();
        requireTenant(tenants, tenant);
        tenants.putTenant(tenant, enabled);
        root.output().message("tenant " + tenant + (enabled ? " enabled" : " disabled"),
                Map.of("tenant", tenant, "enabled", enabled));
        return 0;
    }

    static void requireTenant(TenantStore tenants, String tenant) {
        if (tenants.find(tenant).isEmpty()) {
            throw new IllegalArgumentException("no tenant " + tenant + " (see `ledgerhook tenant list`)");
        }
    }
}
