"""Schemathesis hooks for ApiFuzzIT. With LEDGERHOOK_FUZZ_SIGN=1 (the signed pass) they sign most requests to the demo tenant
with its source's local-only secret (README, "Quick start"), so that fuzzed bodies and headers get
past signature verification and reach the providers' parsers, the claim and the queue.

The body is serialized here, once, and sent as those exact bytes: the signature must cover what
goes on the wire. Some requests keep a provider-shaped envelope around the fuzzed value so the
parsers accept them and the claim path runs too. Nothing here is a production secret.
"""
import base64
import hashlib
import hmac
import json
import random
import time
import os
import uuid

import schemathesis

SECRETS = {
    "stripe": "whsec_localdemo_stripe",
    "shopify": "localdemo_shopify",
    "quickbooks": "localdemo_quickbooks",
    "xero": "localdemo_xero",
    "standard": "whsec_bG9jYWxkZW1vX3N0YW5kYXJkX3NlY3JldF8zMmJ5dGVz",
    "finch": "bG9jYWxkZW1vX2ZpbmNoX3NlY3JldF8zMmJ5dGVzISE=",
}
RANDOM = random.Random(20261201)
SIGNED = set()
TALLY = os.environ.get("LEDGERHOOK_FUZZ_TALLY")
SIGNING = os.environ.get("LEDGERHOOK_FUZZ_SIGN") == "1"


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _shaped(source: str, value):
    """A provider-shaped delivery around a fuzzed value, so the parser can accept it."""
    now = int(time.time())
    if source == "stripe":
        return {"id": "evt_" + uuid.uuid4().hex, "type": "customer.created", "created": now,
                "data": {"object": value}}
    if source == "quickbooks":
        return {"eventNotifications": [{"realmId": "9130350000000001", "dataChangeEvent": {"entities": [
            {"name": "Customer", "id": str(RANDOM.randint(1, 5)), "operation": "Update",
             "lastUpdated": "2026-12-01T00:00:00.000Z", "extra": value}]}}]}
    if source == "xero":
        return {"events": [{"resourceUrl": "https://api.xero.com/api.xro/2.0/Contacts/1",
                            "resourceId": uuid.uuid4().hex, "eventDateUtc": "2026-12-01T00:00:00.000",
                            "eventType": "UPDATE", "eventCategory": "CONTACT",
                            "tenantId": uuid.uuid4().hex, "tenantType": "ORGANISATION", "extra": value}],
                "firstEventSequence": 1, "lastEventSequence": 1, "entropy": "fuzz"}
    return {"id": uuid.uuid4().hex, "type": "fuzz.event", "event_type": "fuzz.event", "data": value}


def _sign(source: str, body: bytes, headers: dict) -> None:
    secret = SECRETS[source]
    now = str(int(time.time()))
    event_id = str(uuid.uuid4())
    if source == "stripe":
        signed = now.encode() + b"." + body
        headers["Stripe-Signature"] = "t=%s,v1=%s" % (now, _hmac(secret.encode(), signed).hex())
    elif source == "shopify":
        headers["X-Shopify-Hmac-Sha256"] = _b64(_hmac(secret.encode(), body))
        headers.setdefault("X-Shopify-Event-Id", event_id)
        headers["X-Shopify-Triggered-At"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        headers.setdefault("X-Shopify-Topic", "customers/update")
    elif source == "quickbooks":
        headers["intuit-signature"] = _b64(_hmac(secret.encode(), body))
    elif source == "xero":
        headers["x-xero-signature"] = _b64(_hmac(secret.encode(), body))
    else:
        key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
        prefix = "webhook" if source == "standard" else "Finch"
        names = ("%s-id" % prefix, "%s-timestamp" % prefix, "%s-signature" % prefix) if source == "standard" \
            else ("Finch-Event-Id", "Finch-Timestamp", "Finch-Signature")
        headers[names[0]] = event_id
        headers[names[1]] = now
        signed = ("%s.%s." % (event_id, now)).encode() + body
        headers[names[2]] = "v1," + _b64(_hmac(key, signed))


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.path_parameters.get("tenant") != "demo" or case.path_parameters.get("source") not in SECRETS:
        return
    # Schemathesis favours the first dictionary entry; spread the demo tenant's requests over all six.
    source = RANDOM.choice(sorted(SECRETS))
    case.path_parameters = {**case.path_parameters, "source": source}
    if not SIGNING or RANDOM.random() < 0.1:
        return  # unsigned: must be refused without a write
    SIGNED.add(id(case))
    value = case.body if isinstance(case.body, (dict, list, str, int, float, bool, type(None))) else None
    if RANDOM.random() < 0.5:
        value = _shaped(source, value)
    body = b"" if value is None and RANDOM.random() < 0.2 else json.dumps(value).encode()
    case.body = body
    headers = dict(case.headers or {})
    headers["Content-Type"] = "application/json"
    _sign(source, body, headers)
    case.headers = headers


@schemathesis.hook
def after_call(context, case, response):
    """Appends `source signed|unsigned status` per request to $LEDGERHOOK_FUZZ_TALLY, for the test's summary."""
    if not TALLY:
        return
    source = case.path_parameters.get("source") if case.path_parameters.get("tenant") == "demo" else "other"
    with open(TALLY, "a") as tally:
        tally.write("%s %s %d\n" % (source, "signed" if id(case) in SIGNED else "unsigned", response.status_code))
