package dev.ledgerhook.accounting;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The built-in commands, one record per entity type, in QuickBooks Online's JSON shapes. */
public final class Commands {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The QuickBooks item sales lines point at when the mapping names none (the sandbox's "Sales"). */
    public static final String DEFAULT_ITEM_ID = "1";

    private Commands() {
    }

    /** A sales line: description, amount, and the QuickBooks item it sells. */
    public record SalesLine(String description, BigDecimal amount, String itemId) {
    }

    /**
     * A command with a tie-break: the same upsert, ordered after commands of its version with a
     * smaller one (see {@link AccountingCommand#tieBreak()}).
     */
    public record TieBroken(AccountingCommand command, long tieBreak) implements AccountingCommand {
        @Override
        public EntityType entityType() {
            return command.entityType();
        }

        @Override
        public String sourceObjectId() {
            return command.sourceObjectId();
        }

        @Override
        public long version() {
            return command.version();
        }

        @Override
        public List<SourceRef> references() {
            return command.references();
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            return command.fields(accountingIds);
        }

        @Override
        public String describe() {
            return command.describe();
        }
    }

    /** A journal line: Debit or Credit, amount, QuickBooks account id. */
    public record JournalLine(String postingType, BigDecimal amount, String accountId, String description) {
    }

    public record UpsertCustomer(String sourceObjectId, long version, String displayName, Optional<String> email)
            implements AccountingCommand {

        @Override
        public EntityType entityType() {
            return EntityType.CUSTOMER;
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            ObjectNode fields = JSON.objectNode().put("DisplayName", displayName);
            email.ifPresent(address -> fields.putObject("PrimaryEmailAddr").put("Address", address));
            return fields;
        }
    }

    public record UpsertSalesReceipt(String sourceObjectId, long version, Optional<String> customerSourceId,
                                     List<SalesLine> lines, String privateNote) implements AccountingCommand {

        @Override
        public EntityType entityType() {
            return EntityType.SALES_RECEIPT;
        }

        @Override
        public List<SourceRef> references() {
            return customerSourceId.map(id -> List.of(new SourceRef(EntityType.CUSTOMER, id))).orElse(List.of());
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            return salesDocument(references(), accountingIds, lines, privateNote);
        }
    }

    public record UpsertRefundReceipt(String sourceObjectId, long version, Optional<String> customerSourceId,
                                      List<SalesLine> lines, String privateNote) implements AccountingCommand {

        @Override
        public EntityType entityType() {
            return EntityType.REFUND_RECEIPT;
        }

        @Override
        public List<SourceRef> references() {
            return customerSourceId.map(id -> List.of(new SourceRef(EntityType.CUSTOMER, id))).orElse(List.of());
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            return salesDocument(references(), accountingIds, lines, privateNote);
        }
    }

    public record UpsertInvoice(String sourceObjectId, long version, String customerSourceId, List<SalesLine> lines,
                                String privateNote) implements AccountingCommand {

        @Override
        public EntityType entityType() {
            return EntityType.INVOICE;
        }

        @Override
        public List<SourceRef> references() {
            return List.of(new SourceRef(EntityType.CUSTOMER, customerSourceId));
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            return salesDocument(references(), accountingIds, lines, privateNote);
        }
    }

    /** A payment applied to one invoice. */
    public record UpsertPayment(String sourceObjectId, long version, String customerSourceId, String invoiceSourceId,
                                BigDecimal amount) implements AccountingCommand {

        @Override
        public EntityType entityType() {
            return EntityType.PAYMENT;
        }

        @Override
        public List<SourceRef> references() {
            return List.of(new SourceRef(EntityType.CUSTOMER, customerSourceId),
                    new SourceRef(EntityType.INVOICE, invoiceSourceId));
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            ObjectNode fields = JSON.objectNode();
            fields.putObject("CustomerRef").put("value", accountingIds.get(references().get(0)));
            fields.put("TotalAmt", amount);
            ObjectNode line = fields.putArray("Line").addObject().put("Amount", amount);
            line.putArray("LinkedTxn").addObject()
                    .put("TxnId", accountingIds.get(references().get(1))).put("TxnType", "Invoice");
            return fields;
        }
    }

    public record UpsertJournalEntry(String sourceObjectId, long version, List<JournalLine> lines, String privateNote)
            implements AccountingCommand {

        @Override
        public EntityType entityType() {
            return EntityType.JOURNAL_ENTRY;
        }

        @Override
        public ObjectNode fields(Map<SourceRef, String> accountingIds) {
            ObjectNode fields = JSON.objectNode().put("PrivateNote", privateNote);
            ArrayNode array = fields.putArray("Line");
            for (JournalLine line : lines) {
                ObjectNode node = array.addObject().put("DetailType", "JournalEntryLineDetail")
                        .put("Amount", line.amount()).put("Description", line.description());
                ObjectNode detail = node.putObject("JournalEntryLineDetail").put("PostingType", line.postingType());
                detail.putObject("AccountRef").put("value", line.accountId());
            }
            return fields;
        }
    }

    private static ObjectNode salesDocument(List<SourceRef> references, Map<SourceRef, String> accountingIds,
                                            List<SalesLine> lines, String privateNote) {
        ObjectNode fields = JSON.objectNode().put("PrivateNote", privateNote);
        if (!references.isEmpty()) {
            fields.putObject("CustomerRef").put("value", accountingIds.get(references.get(0)));
        }
        ArrayNode array = fields.putArray("Line");
        for (SalesLine line : lines) {
            ObjectNode node = array.addObject().put("DetailType", "SalesItemLineDetail")
                    .put("Amount", line.amount()).put("Description", line.description());
            node.putObject("SalesItemLineDetail").putObject("ItemRef").put("value", line.itemId());
        }
        return fields;
    }
}
