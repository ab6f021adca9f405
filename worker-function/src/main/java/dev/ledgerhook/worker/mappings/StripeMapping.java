package dev.ledgerhook.worker.mappings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ledgerhook.accounting.AccountingCommand;
import dev.ledgerhook.accounting.Commands;
import dev.ledgerhook.accounting.Commands.SalesLine;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.queue.EventEnvelope;

/**
 * Stripe: {@code customer.created|updated} → customer; {@code charge.succeeded} → sales receipt;
 * {@code charge.refunded} → refund receipt; {@code invoice.paid} → invoice and its payment.
 * Amounts are Stripe's minor units, taken as two decimals.
 */
@ApplicationScoped
public class StripeMapping implements EventMapping {

    @Override
    public SourceType type() {
        return SourceType.STRIPE;
    }

    @Override
    public MappingResult map(EventEnvelope event) {
        JsonNode object = Payloads.parse(event.payload()).path("data").path("object");
        long version = event.version();
        return switch (event.eventType()) {
            // Stripe's versions are whole seconds: a created and an updated of one second tie, and
            // the tie-break puts the updated after it; two refunds of a charge in one second are
            // ordered by the cumulative amount refunded, which only grows
            case "customer.created" -> apply(new Commands.TieBroken(customer(object, version), 0));
            case "customer.updated" -> apply(new Commands.TieBroken(customer(object, version), 1));
            case "charge.succeeded" -> apply(new Commands.UpsertSalesReceipt(Payloads.text(object, "id"), version,
                    Payloads.optional(object, "customer"), List.of(line(object, Payloads.cents(object, "amount"))),
                    "Stripe charge " + Payloads.text(object, "id")));
            case "charge.refunded" -> apply(new Commands.TieBroken(new Commands.UpsertRefundReceipt(
                    "refund-of-" + Payloads.text(object, "id"), version, Payloads.optional(object, "customer"),
                    List.of(line(object, Payloads.cents(object, "amount_refunded"))),
                    "Stripe refund of charge " + Payloads.text(object, "id")), minorUnits(object, "amount_refunded")));
            case "invoice.paid" -> invoicePaid(object, version);
            default -> new MappingResult.Skip("no mapping for Stripe event type " + event.eventType());
        };
    }

    private static AccountingCommand customer(JsonNode object, long version) {
        Optional<String> email = Payloads.optional(object, "email");
        String name = Payloads.optional(object, "name").or(() -> email).orElse(Payloads.text(object, "id"));
        return new Commands.UpsertCustomer(Payloads.text(object, "id"), version, name, email);
    }

    private static MappingResult invoicePaid(JsonNode invoice, long version) {
        String id = Payloads.text(invoice, "id");
        String customer = Payloads.text(invoice, "customer");
        List<SalesLine> lines = new ArrayList<>();
        for (JsonNode line : invoice.path("lines").path("data")) {
            lines.add(new SalesLine(Payloads.optional(line, "description").orElse("Stripe invoice line"),
                    Payloads.cents(line, "amount"), Commands.DEFAULT_ITEM_ID));
        }
        BigDecimal paid = Payloads.cents(invoice, "amount_paid");
        if (lines.isEmpty()) {
            lines.add(new SalesLine("Stripe invoice " + id, paid, Commands.DEFAULT_ITEM_ID));
        }
        return new MappingResult.Apply(List.of(
                new Commands.UpsertInvoice(id, version, customer, lines, "Stripe invoice " + id),
                new Commands.UpsertPayment("payment-of-" + id, version, customer, id, paid)));
    }

    private static long minorUnits(JsonNode object, String field) {
        return object.path(field).asLong(0);
    }

    private static SalesLine line(JsonNode charge, BigDecimal amount) {
        return new SalesLine(Payloads.optional(charge, "description").orElse("Stripe charge " + Payloads.text(charge, "id")),
                amount, Commands.DEFAULT_ITEM_ID);
    }

    private static MappingResult apply(AccountingCommand command) {
        return new MappingResult.Apply(List.of(command));
    }
}
