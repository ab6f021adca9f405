package dev.ledgerhook.worker.mappings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ledgerhook.accounting.Commands;
import dev.ledgerhook.accounting.Commands.SalesLine;
import dev.ledgerhook.providers.SourceType;
import dev.ledgerhook.queue.EventEnvelope;

/**
 * Shopify: {@code customers/create|update} → customer; {@code orders/paid} → sales receipt;
 * {@code refunds/create} → refund receipt. Amounts are Shopify's decimal strings.
 */
@ApplicationScoped
public class ShopifyMapping implements EventMapping {

    @Override
    public SourceType type() {
        return SourceType.SHOPIFY;
    }

    @Override
    public MappingResult map(EventEnvelope event) {
        JsonNode body = Payloads.parse(event.payload());
        long version = event.version();
        return switch (event.eventType()) {
            case "customers/create", "customers/update" -> new MappingResult.Apply(List.of(customer(body, version)));
            case "orders/paid" -> new MappingResult.Apply(List.of(new Commands.UpsertSalesReceipt(
                    "order-" + Payloads.text(body, "id"), version, customerOf(body), orderLines(body),
                    "Shopify order " + Payloads.optional(body, "name").orElse(Payloads.text(body, "id")))));
            case "refunds/create" -> new MappingResult.Apply(List.of(new Commands.UpsertRefundReceipt(
                    "refund-" + Payloads.text(body, "id"), version, Optional.empty(), refundLines(body),
                    "Shopify refund " + Payloads.text(body, "id") + " of order " + Payloads.text(body, "order_id"))));
            default -> new MappingResult.Skip("no mapping for Shopify topic " + event.eventType());
        };
    }

    private static Commands.UpsertCustomer customer(JsonNode body, long version) {
        Optional<String> email = Payloads.optional(body, "email");
        String name = (Payloads.optional(body, "first_name").orElse("") + " " + Payloads.optional(body, "last_name").orElse("")).trim();
        return new Commands.UpsertCustomer("customer-" + Payloads.text(body, "id"), version,
                name.isEmpty() ? email.orElse("Shopify customer " + Payloads.text(body, "id")) : name, email);
    }

    private static Optional<String> customerOf(JsonNode order) {
        return Payloads.optional(order.path("customer"), "id").map(id -> "customer-" + id);
    }

    private static List<SalesLine> orderLines(JsonNode order) {
        List<SalesLine> lines = new ArrayList<>();
        for (JsonNode item : order.path("line_items")) {
            BigDecimal amount = Payloads.decimal(item, "price").multiply(BigDecimal.valueOf(item.path("quantity").asLong(1)));
            lines.add(new SalesLine(Payloads.optional(item, "title").orElse("Shopify item"), amount, Commands.DEFAULT_ITEM_ID));
        }
        if (lines.isEmpty()) {
            lines.add(new SalesLine("Shopify order", Payloads.decimal(order, "total_price"), Commands.DEFAULT_ITEM_ID));
        }
        return lines;
    }

    private static List<SalesLine> refundLines(JsonNode refund) {
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode transaction : refund.path("transactions")) {
            total = total.add(Payloads.decimal(transaction, "amount"));
        }
        if (total.signum() == 0) {
            throw new IllegalArgumentException("refund has no transaction amount");
        }
        return List.of(new SalesLine("Shopify refund", total, Commands.DEFAULT_ITEM_ID));
    }
}
