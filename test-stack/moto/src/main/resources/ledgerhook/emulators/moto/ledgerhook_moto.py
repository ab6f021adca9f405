"""moto's server as Ledgerhook's test stack runs it.

    python ledgerhook_moto.py --port N [--journal FILE]

What this adds to ``moto_server``, and why:

* It exits as soon as its standard input reaches end-of-file, which happens when the JVM that
  started it dies for any reason (SIGKILL included): an emulator never outlives its run. This is
  the Python twin of the harness' ParentWatch.
* It applies one request at a time. moto's DynamoDB checks a condition and then writes, with no
  lock between the two; under a threaded server two conditional puts of one key can both pass
  the check. DynamoDB makes every single-item write atomic, and the ledger's claim relies on it.
* It refuses, as DynamoDB does, what moto 5.2.5 accepts: expression attribute names or values
  that no expression uses, more than 25 writes in one BatchWriteItem (100 reads in one
  BatchGetItem), and numbers of more than 38 significant digits. A test that passes here would
  otherwise fail against AWS.
* With ``--journal``, every DynamoDB request that changed something (a 200 answer to a write) is
  appended to the journal as it is answered. At start the journal is replayed, then rewritten as
  the state it produced (tables, their TTL setting, their items), so a restart costs one write
  per live item and not one per request ever made. moto keeps nothing on disk by itself.
"""

import argparse
import base64
import io
import json
import os
import sys
import threading

from werkzeug.serving import run_simple
from werkzeug.test import Client

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

TARGET_PREFIX = "DynamoDB_20120810."
WRITES = {
    "CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive", "PutItem", "UpdateItem",
    "DeleteItem", "BatchWriteItem", "TransactWriteItems", "ExecuteStatement",
    "BatchExecuteStatement", "ExecuteTransaction", "TagResource", "UntagResource",
}
# The headers a replayed request needs: moto finds the service and region in Authorization.
KEPT_HEADERS = ("Authorization", "Content-Type", "X-Amz-Target")


class SerialJournaledApp:
    """WSGI middleware: one request at a time, and a journal of the DynamoDB writes that took."""

    def __init__(self, app, journal):
        self.app = app
        self.journal = journal
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        body = read_body(environ)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        journaled = self.journal is not None and target.startswith(TARGET_PREFIX) \
            and target[len(TARGET_PREFIX):] in WRITES
        status = []

        def capture(code, headers, exc_info=None):
            status.append(code)
            return start_response(code, headers, exc_info)

        refusal = refusal_of(target[len(TARGET_PREFIX):], body) if target.startswith(TARGET_PREFIX) else None
        if refusal is not None:
            print(f"[ledgerhook-moto] refused {target}: {refusal}", file=sys.stderr, flush=True)
            start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")])
            return [json.dumps({"__type": "com.amazon.coral.validate#ValidationException",
                                "message": refusal}).encode()]
        with self.lock:
            answer = b"".join(self.app(with_body(environ, body), capture))
            if journaled and status and status[0].startswith("200"):
                headers = {name: environ.get(wsgi_key(name)) for name in KEPT_HEADERS}
                self.journal.append(headers, body)
        return [answer]


EXPRESSIONS = ("ConditionExpression", "UpdateExpression", "ProjectionExpression", "FilterExpression",
               "KeyConditionExpression")


def refusal_of(action, body):
    """DynamoDB's ValidationException message for what moto would accept, or None."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return None  # moto answers malformed JSON itself
    if action == "BatchWriteItem" and sum(map(len, request.get("RequestItems", {}).values())) > 25:
        return ("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: "
                "Map value must satisfy constraint: [Member must have length less than or equal to 25]")
    if action == "BatchGetItem" and sum(len(t.get("Keys", [])) for t in request.get("RequestItems", {}).values()) > 100:
        return "Too many items requested for the BatchGetItem call"
    operations = [request]
    if action == "TransactWriteItems":
        operations = [next(iter(item.values())) for item in request.get("TransactItems", []) if item]
    for operation in operations:
        unused = unused_placeholders(operation)
        if unused:
            return unused
    if too_precise(request):
        return "Attempting to store more than 38 significant digits in a Number"
    return None


def unused_placeholders(operation):
    text = " ".join(operation.get(name, "") for name in EXPRESSIONS)
    for field, sign in (("ExpressionAttributeValues", ":"), ("ExpressionAttributeNames", "#")):
        unused = sorted(key for key in operation.get(field, {}) if not placeholder_in(key, text))
        if unused:
            return f"Value provided in {field} unused in expressions: keys: {{{', '.join(unused)}}}"
    return None


def placeholder_in(key, text):
    """Whether the placeholder stands in the text as a whole token (:a does not stand in :ab)."""
    start = text.find(key)
    while start >= 0:
        end = start + len(key)
        if end == len(text) or not (text[end].isalnum() or text[end] == "_"):
            return True
        start = text.find(key, end)
    return False


def too_precise(value):
    if isinstance(value, dict):
        number = value.get("N")
        if isinstance(number, str) and significant_digits(number) > 38:
            return True
        return any(too_precise(inner) for key, inner in value.items() if key != "N" or not isinstance(inner, str))
    if isinstance(value, list):
        return any(too_precise(inner) for inner in value)
    return False


def significant_digits(number):
    mantissa = number.lower().split("e")[0].lstrip("+-").replace(".", "")
    return len(mantissa.strip("0"))


class Journal:
    """Append-only lines of JSON, one per applied write; flushed per line (a killed server keeps them)."""

    def __init__(self, path):
        self.path = path
        self.file = None

    def append(self, headers, body):
        line = json.dumps({"headers": headers, "body": base64.b64encode(body).decode("ascii")})
        self.file.write(line + "\n")
        self.file.flush()

    def entries(self):
        if not os.path.exists(self.path):
            return []
        with open(self.path, encoding="utf-8") as file:
            lines = file.readlines()
        entries = []
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
                entries.append((entry["headers"], base64.b64decode(entry["body"])))
            except (ValueError, KeyError):
                if number == len(lines):
                    break  # a line cut short by a kill mid-write: that write was never answered
                raise SystemExit(f"journal {self.path} line {number} is unreadable; move it away to start empty")
        return entries

    def rewrite(self, entries):
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            for headers, body in entries:
                file.write(json.dumps({"headers": headers, "body": base64.b64encode(body).decode("ascii")}) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)

    def open(self):
        self.file = open(self.path, "a", encoding="utf-8")


class Restorer:
    """Replays journal entries into moto in-process, then reads back the state they made."""

    def __init__(self, app):
        self.client = Client(app)

    def call(self, headers, body):
        answer = self.client.post("/", headers=headers, data=body)
        if answer.status_code != 200:
            return None
        return json.loads(answer.get_data() or b"{}")

    def replay(self, entries):
        for headers, body in entries:
            self.call(headers, body)

    def state(self, authorizations):
        """The entries that recreate every table of each region seen: CreateTable, TTL, then items."""
        entries = []
        for authorization in authorizations:
            for table in self.tables(authorization):
                entries.extend(self.table_entries(authorization, table))
        return entries

    def tables(self, authorization):
        names, start = [], None
        while True:
            request = {"ExclusiveStartTableName": start} if start else {}
            page = self.call(headers_for(authorization, "ListTables"), json.dumps(request).encode())
            names.extend(page.get("TableNames", []))
            start = page.get("LastEvaluatedTableName")
            if not start:
                return names

    def table_entries(self, authorization, name):
        described = self.call(headers_for(authorization, "DescribeTable"), json.dumps({"TableName": name}).encode())
        entries = [entry(authorization, "CreateTable", create_request(described["Table"]))]
        ttl = self.call(headers_for(authorization, "DescribeTimeToLive"), json.dumps({"TableName": name}).encode())
        ttl = ttl.get("TimeToLiveDescription", {})
        if ttl.get("TimeToLiveStatus") == "ENABLED":
            entries.append(entry(authorization, "UpdateTimeToLive", {"TableName": name, "TimeToLiveSpecification": {
                "AttributeName": ttl["AttributeName"], "Enabled": True}}))
        start = None
        while True:
            request = {"TableName": name, **({"ExclusiveStartKey": start} if start else {})}
            page = self.call(headers_for(authorization, "Scan"), json.dumps(request).encode())
            entries.extend(entry(authorization, "PutItem", {"TableName": name, "Item": item})
                           for item in page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return entries


def create_request(table):
    """A CreateTable request for a DescribeTable answer: keys, attributes, billing, indexes, streams."""
    provisioned = table.get("BillingModeSummary", {}).get("BillingMode") != "PAY_PER_REQUEST"
    request = {
        "TableName": table["TableName"],
        "KeySchema": table["KeySchema"],
        "AttributeDefinitions": table["AttributeDefinitions"],
        "BillingMode": "PROVISIONED" if provisioned else "PAY_PER_REQUEST",
    }
    if provisioned:
        request["ProvisionedThroughput"] = throughput(table["ProvisionedThroughput"])
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = [{"IndexName": index["IndexName"], "KeySchema": index["KeySchema"], "Projection": index["Projection"],
                    **({"ProvisionedThroughput": throughput(index["ProvisionedThroughput"])}
                       if provisioned and kind == "GlobalSecondaryIndexes" else {})}
                   for index in table.get(kind, [])]
        if indexes:
            request[kind] = indexes
    if table.get("StreamSpecification"):
        request["StreamSpecification"] = table["StreamSpecification"]
    return request


def throughput(described):
    return {"ReadCapacityUnits": described["ReadCapacityUnits"], "WriteCapacityUnits": described["WriteCapacityUnits"]}


def entry(authorization, action, request):
    return headers_for(authorization, action), json.dumps(request).encode()


def headers_for(authorization, action):
    return {"Authorization": authorization, "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": TARGET_PREFIX + action}


def read_body(environ):
    if environ.get("wsgi.input_terminated"):  # chunked: the server marks where the body ends
        return environ["wsgi.input"].read()
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def with_body(environ, body):
    environ = dict(environ)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def wsgi_key(header):
    name = header.upper().replace("-", "_")
    return name if name == "CONTENT_TYPE" else "HTTP_" + name


class QuietRequestHandler(MotoRequestHandler):
    """No access-log line per request: thousands a second under load, and slower for it."""

    def log_request(self, code="-", size="-"):
        pass


def exit_when_parent_dies():
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def restore(app, journal):
    entries = journal.entries()
    restorer = Restorer(app)
    restorer.replay(entries)
    # one Authorization per region is enough to list that region's tables again
    regions = {}
    for headers, _ in entries:
        authorization = headers.get("Authorization") or ""
        scope = authorization.split("Credential=")[-1].split(",")[0].split("/")
        regions.setdefault(scope[2] if len(scope) > 2 else "", authorization)
    journal.rewrite(restorer.state(regions.values()))
    return len(entries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--journal", help="keep DynamoDB's tables and items in this file across restarts")
    args = parser.parse_args()

    threading.Thread(target=exit_when_parent_dies, name="parent-watch", daemon=True).start()
    app = DomainDispatcherApplication(create_backend_app)
    journal = None
    if args.journal:
        journal = Journal(args.journal)
        replayed = restore(app, journal)
        print(f"[ledgerhook-moto] replayed {replayed} journal entries from {args.journal}", flush=True)
        journal.open()
    run_simple("127.0.0.1", args.port, SerialJournaledApp(app, journal), threaded=True,
               request_handler=QuietRequestHandler)


if __name__ == "__main__":
    main()
