package dev.ledgerhook.operator;

import dev.ledgerhook.operator.dlq.DlqCommand;
import dev.ledgerhook.operator.events.EventCommand;
import dev.ledgerhook.operator.events.EventsCommand;
import dev.ledgerhook.operator.signing.SignCommand;
import dev.ledgerhook.operator.tenants.SourceCommand;
import dev.ledgerhook.operator.tenants.TenantCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ledgerhook}: the operator's tool. Every command works against AWS (the default credential
 * chain and region, the stack named by {@code --stack}) or against the local default
 * ({@code --local}), and prints for a person, or JSON with {@code --json}.
 */
@Command(name = "ledgerhook", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "ledgerhook 0.1.0",
        description = "Operate Ledgerhook: tenants and sources, events, the dead-letter queue, signed test deliveries.",
        subcommands = {TenantCommand.class, SourceCommand.class, EventCommand.class, EventsCommand.class,
                DlqCommand.class, SignCommand.class, CommandLine.HelpCommand.class})
public final class LedgerhookCommand {

    @Option(names = "--local", scope = ScopeType.INHERIT,
            description = "Work against the local default (./run-local): moto (DynamoDB) on 127.0.0.1:8000, ElasticMQ (SQS) on 127.0.0.1:9324.")
    boolean local;

    @Option(names = "--stack", scope = ScopeType.INHERIT, defaultValue = "${env:LEDGERHOOK_STACK_NAME:-ledgerhook}",
            description = "The stack name; tables and queues are {stack}-events, ... (default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--region", scope = ScopeType.INHERIT,
            description = "AWS region (default: the SDK's region chain, e.g. AWS_REGION).")
    String region;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON, for scripts.")
    boolean json;

    @Option(names = "--base-url", scope = ScopeType.INHERIT,
            description = "The webhook base URL ({base}/{tenant}/{source}); default: LEDGERHOOK_WEBHOOK_BASE_URL (the stack's WebhookBaseUrl output), or http://127.0.0.1:8080/webhooks with --local.")
    String baseUrl;

    private StackConnection connection;

    /** The clients and stores for the chosen target, built on first use. */
    public StackConnection connection() {
        if (connection == null) {
            connection = local ? StackConnection.local(stack, baseUrl) : StackConnection.aws(stack, region, baseUrl);
        }
        return connection;
    }

    public Output output() {
        return new Output(json);
    }

    public static void main(String[] args) {
        // the AWS SDK and Quarkus libraries on the classpath log through JBoss LogManager; say so before any logging
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a bad argument or a failed call prints one clear line. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new LedgerhookCommand());
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            line.getErr().println("ledgerhook: " + Output.describe(failure));
            return failure instanceof IllegalArgumentException ? 2 : 1;
        });
        return commandLine;
    }
}
