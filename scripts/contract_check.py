#!/usr/bin/env python3
"""Exercise every operation of the Custom System contract against a running system and validate each
response (status, content type, headers, body) against Contracts/custom-system.yaml with jsonschema.

usage: contract_check.py SPEC BASE_URL [--token TOKEN]
Prints one line per check and a closing 'N passed, N failed'; exits non-zero on any failure.
Only talks to BASE_URL and to a webhook receiver it runs itself on 127.0.0.1.
"""
import argparse
import hashlib
import hmac
import http.server
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import jsonschema
import yaml


class Spec:
    def __init__(self, path):
        with open(path) as handle:
            self.document = yaml.safe_load(handle)

    def resolve(self, node):
        if isinstance(node, dict):
            if "$ref" in node:
                target = self.document
                for part in node["$ref"].lstrip("#/").split("/"):
                    target = target[part]
                return self.resolve(target)
            return {key: self.resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(value) for value in node]
        return node

    def operation(self, template, method):
        return self.resolve(self.document["paths"][template][method.lower()])

    def schema(self, name):
        return self.resolve(self.document["components"]["schemas"][name])


class Checker:
    def __init__(self, spec, base, token):
        self.spec = spec
        self.base = base.rstrip("/")
        self.token = token
        self.passed = 0
        self.failed = 0

    def check(self, condition, what):
        if condition:
            self.passed += 1
            print(f"  ok    {what}")
        else:
            self.failed += 1
            print(f"  FAIL  {what}")
        return condition

    def request(self, method, path, template, body=None, headers=None, auth=True, expect=None):
        """Send a request and validate the answer against the operation `template`/`method` of the spec."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if auth and self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=30) as response:
                status, response_headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, response_headers, raw = error.code, error.headers, error.read()
        label = f"{method} {path} -> {status}"
        if expect is not None:
            self.check(status == expect, f"{label} (expected {expect})")
        self.validate(template, method, status, response_headers, raw, label)
        parsed = json.loads(raw) if raw else None
        return status, response_headers, parsed

    def validate(self, template, method, status, headers, raw, label):
        if method.lower() not in self.spec.document["paths"][template]:
            self.check(status == 405 and headers.get("Allow") is not None, f"{label}: undocumented method answers 405 with Allow")
            errors = list(jsonschema.Draft202012Validator(self.spec.schema("Error")).iter_errors(json.loads(raw or b"null")))
            self.check(not errors, f"{label}: body is an error object")
            return
        operation = self.spec.operation(template, method)
        documented = operation["responses"].get(str(status))
        if not self.check(documented is not None, f"{label}: status documented for {method} {template}"):
            return
        content = documented.get("content")
        if content is None:
            self.check(not raw, f"{label}: no body")
            return
        content_type = (headers.get("Content-Type") or "").split(";")[0].strip()
        self.check(content_type in content, f"{label}: content type {content_type!r} documented")
        for name, header in documented.get("headers", {}).items():
            if name in ("Idempotent-Replayed",):
                continue
            value = headers.get(name)
            if self.check(value is not None, f"{label}: header {name} present"):
                pattern = header.get("schema", {}).get("pattern")
                if pattern:
                    self.check(re.search(pattern, value) is not None, f"{label}: header {name}={value!r} matches {pattern}")
        try:
            body = json.loads(raw)
        except ValueError:
            self.check(False, f"{label}: body is JSON")
            return
        schema = content[content_type]["schema"] if content_type in content else next(iter(content.values()))["schema"]
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(body), key=str)
        self.check(not errors, f"{label}: body matches the schema" + (f" ({errors[0].message})" if errors else ""))


class Receiver(http.server.BaseHTTPRequestHandler):
    deliveries = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        Receiver.deliveries.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def example_value(prop, datatype, created, counter):
    kind = prop["type"]
    fmt = prop.get("format")
    if kind == "string":
        if fmt == "email":
            return f"Check.{counter}@Example.com"
        if fmt == "iso3166-alpha2":
            return "no"
        if fmt == "iso3166-alpha3":
            return "nor"
        return f"Contract check {datatype['name']} {counter}"
    if kind == "integer":
        return 42 + counter
    if kind in ("float", "decimal"):
        return 1234.565
    if kind == "boolean":
        return True
    if kind == "date":
        return "2026-03-01"
    if kind == "datetime":
        return "2026-03-01T10:00:00.000Z"
    if kind == "enum":
        return prop["values"][0]
    if kind == "reference":
        return created.get(prop["references"])
    return None


def nest(flat):
    body = {}
    for name, value in flat.items():
        target = body
        parts = name.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return body


def build_body(datatype, created, counter):
    flat = {}
    for prop in datatype["properties"]:
        if prop["readOnly"]:
            continue
        value = example_value(prop, datatype, created, counter)
        if value is not None:
            flat[prop["name"]] = value
    return nest(flat)


def exercise(checker):
    print(f"System at {checker.base}")
    checker.request("GET", "/healthz", "/healthz", auth=False, expect=200)
    if checker.token:
        checker.request("GET", "/schema", "/schema", auth=False, expect=401)
    _, _, schema = checker.request("GET", "/schema", "/schema", expect=200)
    checker.request("GET", "/no_such_collection", "/{collection}", expect=404)
    checker.request("PUT", "/schema", "/schema", body={}, expect=405)

    created = {}
    ids = {}
    for counter, datatype in enumerate(schema["datatypes"], start=1):
        collection = datatype["collection"]
        print(f"Datatype {datatype['name']} (/{collection})")
        body = build_body(datatype, created, counter)
        key = {"Idempotency-Key": f"contract-check-{uuid.uuid4()}"}
        status, headers, record = checker.request("POST", f"/{collection}", "/{collection}", body=body, headers=key, expect=201)
        if status != 201:
            continue
        record_id = record[datatype["idField"]]
        created[datatype["name"]] = record_id
        ids[collection] = record_id
        checker.check(headers.get("Location") == f"/{collection}/{record_id}", "Location names the new record")
        status, headers, replay = checker.request("POST", f"/{collection}", "/{collection}", body=body, headers=key, expect=200)
        checker.check(headers.get("Idempotent-Replayed") == "true" and replay == record, "idempotent replay returns the same record")
        _, headers, read = checker.request("GET", f"/{collection}/{record_id}", "/{collection}/{id}", expect=200)
        checker.check(read == record and headers.get("ETag") == '"1"', "GET returns the created record with ETag \"1\"")

        writable = [p for p in datatype["properties"] if not p["readOnly"] and p["type"] == "string" and not p.get("format") and not p["unique"]]
        if writable:
            name = writable[0]["name"]
            patch = nest({name: f"Patched {counter}"})
            checker.request("PATCH", f"/{collection}/{record_id}", "/{collection}/{id}", body=patch, headers={"If-Match": '"7"'}, expect=412)
            _, headers, patched = checker.request("PATCH", f"/{collection}/{record_id}", "/{collection}/{id}", body=patch, headers={"If-Match": '"1"'}, expect=200)
            checker.check(headers.get("ETag") == '"2"', "PATCH bumps the version")
            _, headers, _ = checker.request("PATCH", f"/{collection}/{record_id}", "/{collection}/{id}", body=patch, expect=200)
            checker.check(headers.get("ETag") == '"2"', "a PATCH that changes nothing keeps the version")
        checker.request("PATCH", f"/{collection}/{record_id}", "/{collection}/{id}", body={"no_such_property_x": 1}, expect=422)
        checker.request("PATCH", f"/{collection}/{record_id}", "/{collection}/{id}", body=b"{not json", expect=400)
        for prop in datatype["properties"]:
            if prop["type"] == "enum":
                _, _, error = checker.request("PATCH", f"/{collection}/{record_id}", "/{collection}/{id}", body=nest({prop["name"]: "NOT_ALLOWED"}), expect=422)
                checker.check(all(v in error["error"]["message"] for v in prop["values"]), "enum error lists the allowed values")
            if prop["unique"] and not prop["readOnly"]:
                duplicate = build_body(datatype, created, counter + 100)
                flat_value = record
                for part in prop["name"].split("."):
                    flat_value = flat_value[part]
                if flat_value is not None:
                    duplicate_flat = {prop["name"]: flat_value}
                    merged = {**duplicate, **nest(duplicate_flat)}
                    _, _, error = checker.request("POST", f"/{collection}", "/{collection}", body=merged, expect=409)
                    checker.check(error["error"].get("property") == prop["name"], "conflict names the property")
            if prop["type"] == "reference" and prop["required"]:
                target = next(d for d in schema["datatypes"] if d["name"] == prop["references"])
                missing = 999999999 if target["idType"] == "integer" else str(uuid.uuid4())
                _, _, error = checker.request("POST", f"/{collection}", "/{collection}", body={**build_body(datatype, created, counter + 200), **nest({prop["name"]: missing})}, expect=422)
                checker.check(error["error"].get("property") == prop["name"], "missing reference names the property")

        cursor, pages, seen = None, 0, 0
        while True:
            query = f"?limit=1" + (f"&since={cursor}" if cursor is not None else "")
            _, _, page = checker.request("GET", f"/{collection}{query}", "/{collection}", expect=200)
            seen += len(page["items"])
            pages += 1
            cursor = page["next"]
            if not page["hasMore"] or pages > 200:
                break
        checker.check(seen >= 1, f"feed of {collection} pages through {seen} item(s) with limit=1")
        checker.request("GET", f"/{collection}?since=not-a-cursor", "/{collection}", expect=400)
        checker.request("GET", f"/{collection}?limit=0", "/{collection}", expect=400)
        checker.request("GET", f"/{collection}?since=999999999", "/{collection}", expect=400)

    webhook_checks(checker, schema)

    for datatype in reversed(schema["datatypes"]):
        collection = datatype["collection"]
        if collection not in ids:
            continue
        record_id = ids[collection]
        checker.request("DELETE", f"/{collection}/{record_id}", "/{collection}/{id}", headers={"If-Match": '"99"'}, expect=412)
        checker.request("DELETE", f"/{collection}/{record_id}", "/{collection}/{id}", expect=204)
        checker.request("GET", f"/{collection}/{record_id}", "/{collection}/{id}", expect=410)
        checker.request("DELETE", f"/{collection}/{record_id}", "/{collection}/{id}", expect=410)
        _, _, page = checker.request("GET", f"/{collection}?limit=1000", "/{collection}", expect=200)
        tombstones = [item for item in page["items"] if item.get("deleted") is True and item.get(datatype["idField"]) == record_id]
        checker.check(len(tombstones) == 1 and datatype["changeMarker"] in tombstones[0], "the feed shows the tombstone")
    first = schema["datatypes"][0]
    never = "999999999" if first["idType"] == "integer" else str(uuid.uuid4())
    checker.request("GET", f"/{first['collection']}/{never}", "/{collection}/{id}", expect=404)


def webhook_checks(checker, schema):
    print("Webhooks")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        secret = "contract-check-secret"
        first = schema["datatypes"][0]
        _, _, hook = checker.request("POST", "/webhooks", "/webhooks", body={"url": url, "secret": secret, "collections": [first["collection"]]}, expect=201)
        checker.check(secret not in json.dumps(hook), "the secret is never echoed")
        checker.request("POST", "/webhooks", "/webhooks", body={"url": "not a url", "secret": "x"}, expect=422)
        checker.request("GET", "/webhooks", "/webhooks", expect=200)
        checker.request("GET", f"/webhooks/{hook['id']}", "/webhooks/{webhookId}", expect=200)
        Receiver.deliveries.clear()
        _, _, record = checker.request("POST", f"/{first['collection']}", "/{collection}", body=build_body(first, {}, 900), expect=201)
        deadline = time.time() + 10
        while not Receiver.deliveries and time.time() < deadline:
            time.sleep(0.05)
        if checker.check(len(Receiver.deliveries) == 1, "one webhook delivery arrives"):
            headers, body = Receiver.deliveries[0]
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            checker.check(headers.get("X-Parley-Signature") == expected, "X-Parley-Signature verifies with the secret")
            payload = json.loads(body)
            errors = list(jsonschema.Draft202012Validator(checker.spec.schema("WebhookDelivery")).iter_errors(payload))
            checker.check(not errors, "delivery body matches WebhookDelivery" + (f" ({errors[0].message})" if errors else ""))
            checker.check(payload.get("event") == "created" and payload.get("record") == record, "delivery carries the created record")
            checker.check(headers.get("X-Parley-Delivery") == payload.get("deliveryId"), "X-Parley-Delivery matches deliveryId")
        checker.request("DELETE", f"/webhooks/{hook['id']}", "/webhooks/{webhookId}", expect=204)
        checker.request("DELETE", f"/webhooks/{hook['id']}", "/webhooks/{webhookId}", expect=404)
    finally:
        server.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("base")
    parser.add_argument("--token")
    args = parser.parse_args()
    checker = Checker(Spec(args.spec), args.base, args.token)
    try:
        exercise(checker)
    except Exception as error:  # an unexpected shape is a failure, not a crash
        checker.check(False, f"unexpected error: {error!r}")
    print(f"{checker.passed} passed, {checker.failed} failed")
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
