package dev.ledgerhook.accounting;

/** The accounting entities Ledgerhook writes, named as QuickBooks Online names them. */
public enum EntityType {
    CUSTOMER("Customer"),
    SALES_RECEIPT("SalesReceipt"),
    REFUND_RECEIPT("RefundReceipt"),
    INVOICE("Invoice"),
    PAYMENT("Payment"),
    JOURNAL_ENTRY("JournalEntry");

    private final String apiName;

    EntityType(String apiName) {
        this.apiName = apiName;
    }

    /** The entity's name in the QuickBooks API: JSON wrapper key and, lower-cased, the URL segment. */
    public String apiName() {
        return apiName;
    }

    /**
     * Whether the entity carries a DocNumber (21 characters at most in QuickBooks). A journal
     * entry's is not checked for duplicates by QuickBooks, but it finds the entry again.
     */
    public boolean hasDocNumber() {
        return this == SALES_RECEIPT || this == REFUND_RECEIPT || this == INVOICE || this == JOURNAL_ENTRY;
    }
}
