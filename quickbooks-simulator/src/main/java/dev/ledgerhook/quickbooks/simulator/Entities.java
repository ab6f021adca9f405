package dev.ledgerhook.quickbooks.simulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Create, sparse update and validation of entities, with QuickBooks' fault codes. Callers hold the realm's lock. */
final class Entities {

    /** URL segment to entity name. */
    static final Map<String, String> NAMES = Map.of("customer", "Customer", "item", "Item",
            "salesreceipt", "SalesReceipt", "refundreceipt", "RefundReceipt", "invoice", "Invoice",
            "payment", "Payment", "journalentry", "JournalEntry");

    private Entities() {
    }

    static ObjectNode create(Realm realm, String entity, ObjectNode body) {
        validate(realm, entity, body, null);
        ObjectNode created = body.deepCopy();
        String id = Long.toString(realm.nextId++);
        String now = Instant.now().toString();
        created.put("Id", id).put("SyncToken", "0").put("domain", "QBO").put("sparse", false);
        created.putObject("MetaData").put("CreateTime", now).put("LastUpdatedTime", now);
        computeTotal(entity, created);
        realm.of(entity).put(id, created);
        realm.counts(entity)[0]++;
        return created.deepCopy();
    }

    static ObjectNode update(Realm realm, String entity, ObjectNode body) {
        String id = body.path("Id").asText();
        ObjectNode current = realm.of(entity).get(id);
        if (current == null) {
            throw notFound(entity, id);
        }
        if (!current.path("SyncToken").asText().equals(body.path("SyncToken").asText())) {
            throw stale(entity, id);
        }
        ObjectNode merged = current.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("sparse") && !field.getKey().equals("SyncToken") && !field.getKey().equals("Id")) {
                merged.set(field.getKey(), field.getValue());
            }
        }
        validate(realm, entity, merged, id);
        merged.put("SyncToken", Long.toString(Long.parseLong(current.path("SyncToken").asText()) + 1));
        ((ObjectNode) merged.path("MetaData")).put("LastUpdatedTime", Instant.now().toString());
        if (body.has("Line")) {
            merged.remove("TotalAmt");
            computeTotal(entity, merged);
        }
        realm.of(entity).put(id, merged);
        realm.counts(entity)[1]++;
        return merged.deepCopy();
    }

    /** Another user saved the entity meanwhile: its SyncToken moves on, which is what makes a 5010. */
    static void editedByAnotherUser(Realm realm, String entity, String id) {
        ObjectNode current = realm.of(entity).get(id);
        if (current != null) {
            current.put("SyncToken", Long.toString(Long.parseLong(current.path("SyncToken").asText("0")) + 1));
            ((ObjectNode) current.path("MetaData")).put("LastUpdatedTime", Instant.now().toString());
        }
    }

    static SimulatedAnswer stale(String entity, String id) {
        return SimulatedAnswer.validation("5010", "Stale Object Error",
                "Stale Object Error : You and another user were working on the same thing. " + entity + " Id=" + id, "");
    }

    static SimulatedAnswer notFound(String entity, String id) {
        return SimulatedAnswer.validation("610", "Object Not Found",
                "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
                entity + " Id=" + id);
    }

    private static void validate(Realm realm, String entity, ObjectNode body, String selfId) {
        switch (entity) {
            case "Customer" -> validateCustomer(realm, body, selfId);
            case "SalesReceipt", "RefundReceipt" -> validateSalesDocument(realm, entity, body, selfId);
            case "Invoice" -> {
                validateSalesDocument(realm, entity, body, selfId);
                requireCustomer(realm, body);
            }
            case "Payment" -> {
                requireCustomer(realm, body);
                if (!body.path("TotalAmt").isNumber()) {
                    throw required("TotalAmt");
                }
            }
            case "JournalEntry" -> validateJournal(body);
            default -> {
            }
        }
    }

    private static void validateCustomer(Realm realm, ObjectNode body, String selfId) {
        String name = body.path("DisplayName").asText("");
        if (name.isBlank()) {
            throw required("DisplayName");
        }
        for (ObjectNode other : realm.of("Customer").values()) {
            if (!other.path("Id").asText().equals(selfId) && other.path("DisplayName").asText().equals(name)) {
                throw SimulatedAnswer.validation("6240", "Duplicate Name Exists Error",
                        "The name supplied already exists. : Id=" + other.path("Id").asText(), "DisplayName");
            }
        }
    }

    private static void validateSalesDocument(Realm realm, String entity, ObjectNode body, String selfId) {
        if (!body.path("Line").isArray() || body.path("Line").isEmpty()) {
            throw required("Line");
        }
        String docNumber = body.path("DocNumber").asText("");
        if (docNumber.length() > 21) {
            throw SimulatedAnswer.validation("2050",
                    "String length is either shorter or longer than supported by specification",
                    "String length specified does not match the supported length. Min:0 Max:21 supplied:" + docNumber.length(),
                    "DocNumber");
        }
        if (!docNumber.isEmpty()) {
            for (ObjectNode other : realm.of(entity).values()) {
                if (!other.path("Id").asText().equals(selfId) && other.path("DocNumber").asText().equals(docNumber)) {
                    throw SimulatedAnswer.validation("6140", "Duplicate Document Number Error",
                            "Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber="
                                    + docNumber + " is assigned to TxnType=" + entity + " with TxnId=" + other.path("Id").asText(),
                            "DocNumber");
                }
            }
        }
    }

    private static void requireCustomer(Realm realm, ObjectNode body) {
        String ref = body.path("CustomerRef").path("value").asText("");
        if (ref.isEmpty()) {
            throw required("CustomerRef");
        }
        if (!realm.of("Customer").containsKey(ref)) {
            throw SimulatedAnswer.validation("2500", "Invalid Reference Id", "Invalid Reference Id : Customer " + ref,
                    "CustomerRef");
        }
    }

    private static void validateJournal(ObjectNode body) {
        if (!body.path("Line").isArray() || body.path("Line").isEmpty()) {
            throw required("Line");
        }
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (JsonNode line : body.path("Line")) {
            BigDecimal amount = line.path("Amount").decimalValue();
            String type = line.path("JournalEntryLineDetail").path("PostingType").asText();
            if (type.equals("Debit")) {
                debits = debits.add(amount);
            } else if (type.equals("Credit")) {
                credits = credits.add(amount);
            }
        }
        if (debits.compareTo(credits) != 0) {
            throw SimulatedAnswer.validation("6000", "A business validation error has occurred while processing your request",
                    "Business Validation Error: Transaction is not balanced.", "");
        }
    }

    private static SimulatedAnswer required(String field) {
        return SimulatedAnswer.validation("2020", "Required param missing, need to supply the required value for the API",
                "Required parameter " + field + " is missing in the request", field);
    }

    private static void computeTotal(String entity, ObjectNode body) {
        if (body.has("TotalAmt") || !(entity.equals("SalesReceipt") || entity.equals("RefundReceipt") || entity.equals("Invoice"))) {
            return;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode line : body.path("Line")) {
            total = total.add(line.path("Amount").decimalValue());
        }
        body.put("TotalAmt", total);
    }
}
