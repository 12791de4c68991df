#!/usr/bin/env python3
"""A Parley exec connector that keeps records in a JSON file.

Parley starts it and talks to it in JSON lines over stdin/stdout (docs/exec-protocol.md):

    python3 json-file-connector.py --schema schema.json --data records.json

The schema file is the answer to `describe` (datatypes, properties, types). Every write gets the next
number of a file-wide sequence; `changes` lists records written after a cursor (that number), deleted
records included as tombstones. The file is re-read for every request and replaced atomically under a
lock, so several copies of this program (and people editing through them) can share it.

Only the standard library is used. Log lines go to stderr, which Parley shows in its error messages.
"""

import argparse
import fcntl
import json
import os
import sys
import tempfile
import time
import uuid


class Failure(Exception):
    """An error answered to Parley as {"error": {"code", "message", "property"}}."""

    def __init__(self, code, message, prop=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.prop = prop


class Store:
    def __init__(self, data_path, schema):
        self.data_path = data_path
        self.lock_path = data_path + ".lock"
        self.schema = schema
        self.datatypes = {d["name"]: d for d in schema.get("datatypes", [])}

    # --- file access -------------------------------------------------------------------------------

    def read(self):
        if not os.path.exists(self.data_path):
            return {"seq": 0, "records": {}}
        with open(self.data_path, encoding="utf-8") as handle:
            return json.load(handle)

    def write(self, data):
        folder = os.path.dirname(os.path.abspath(self.data_path))
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".records-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.data_path)

    def locked(self, change):
        """Runs change(data) under the file lock; writes the data back when change returns True."""
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self.read()
                result, modified = change(data)
                if modified:
                    self.write(data)
                return result
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # --- helpers -----------------------------------------------------------------------------------

    def datatype(self, name):
        if name not in self.datatypes:
            raise Failure("fatal", "unknown datatype '%s' (known: %s)" % (name, ", ".join(sorted(self.datatypes))))
        return self.datatypes[name]

    @staticmethod
    def envelope(record_id, record):
        return {
            "id": record_id,
            "fields": record["fields"],
            "changedAt": record["changedAt"],
            "deleted": record.get("deleted", False),
            "version": str(record["seq"]),
        }

    def validate(self, datatype, fields, creating):
        properties = {p["name"]: p for p in datatype.get("properties", [])}
        for name, prop in properties.items():
            value = get_path(fields, name)
            if creating and prop.get("required") and value in (None, ""):
                raise Failure("rejected", "%s is required" % name, name)
            if value is None:
                continue
            kind = prop.get("type")
            if kind == "enum" and value not in prop.get("values", []):
                raise Failure("rejected", "%s must be one of %s" % (name, ", ".join(prop.get("values", []))), name)
            if kind == "boolean" and not isinstance(value, bool):
                raise Failure("rejected", "%s must be true or false" % name, name)
            if kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
                raise Failure("rejected", "%s must be a whole number" % name, name)

    # --- operations --------------------------------------------------------------------------------

    def describe(self, request):
        return self.schema

    def changes(self, request):
        name = request["datatype"]
        self.datatype(name)
        after = int(request.get("cursor") or 0)
        limit = max(1, int(request.get("limit") or 100))
        data = self.read()
        records = data["records"].get(name, {})
        newer = sorted((r["seq"], record_id) for record_id, r in records.items() if r["seq"] > after)
        page = newer[:limit]
        items = [self.envelope(record_id, records[record_id]) for _, record_id in page]
        next_cursor = str(page[-1][0]) if page else str(after)
        return {"items": items, "next": next_cursor, "hasMore": len(newer) > limit}

    def get(self, request):
        name = request["datatype"]
        self.datatype(name)
        record = self.read()["records"].get(name, {}).get(str(request["recordId"]))
        if record is None or record.get("deleted"):
            return {"record": None}
        return {"record": self.envelope(str(request["recordId"]), record)}

    def create(self, request):
        name = request["datatype"]
        datatype = self.datatype(name)
        fields = request.get("fields") or {}
        key = request.get("idempotencyKey")
        for prop in datatype.get("properties", []):
            if "default" in prop and get_path(fields, prop["name"]) is None:
                set_path(fields, prop["name"], prop["default"])
        self.validate(datatype, fields, creating=True)

        def change(data):
            records = data["records"].setdefault(name, {})
            for record_id, record in records.items():
                if key and record.get("idempotencyKey") == key:
                    return self.envelope(record_id, record), False
            if datatype.get("idType") == "integer":
                record_id = str(max([int(i) for i in records] + [0]) + 1)
                fields[datatype.get("idField", "id")] = int(record_id)
            else:
                record_id = str(uuid.uuid4())
                fields[datatype.get("idField", "id")] = record_id
            data["seq"] += 1
            records[record_id] = {"fields": fields, "seq": data["seq"], "changedAt": now(), "idempotencyKey": key}
            return self.envelope(record_id, records[record_id]), True

        return {"record": self.locked(change)}

    def update(self, request):
        name = request["datatype"]
        datatype = self.datatype(name)
        record_id = str(request["recordId"])
        changes = request.get("fields") or {}
        self.validate(datatype, changes, creating=False)

        def change(data):
            record = data["records"].get(name, {}).get(record_id)
            if record is None or record.get("deleted"):
                raise Failure("not_found", "%s %s does not exist" % (name, record_id))
            if request.get("ifMatch") not in (None, str(record["seq"])):
                raise Failure("conflict", "%s %s changed since version %s" % (name, record_id, request["ifMatch"]))
            merge(record["fields"], changes)
            data["seq"] += 1
            record["seq"] = data["seq"]
            record["changedAt"] = now()
            return self.envelope(record_id, record), True

        return {"record": self.locked(change)}

    def delete(self, request):
        name = request["datatype"]
        self.datatype(name)
        record_id = str(request["recordId"])

        def change(data):
            record = data["records"].get(name, {}).get(record_id)
            if record is None or record.get("deleted"):
                raise Failure("not_found", "%s %s does not exist" % (name, record_id))
            data["seq"] += 1
            record.update({"deleted": True, "seq": data["seq"], "changedAt": now()})
            return {}, True

        return self.locked(change)

    def find(self, request):
        name = request["datatype"]
        self.datatype(name)
        match = request.get("match") or {}
        found = []
        for record_id, record in self.read()["records"].get(name, {}).items():
            if record.get("deleted"):
                continue
            if all(same(get_path(record["fields"], field), value) for field, value in match.items()):
                found.append(self.envelope(record_id, record))
        return {"records": found}


def now():
    return int(time.time() * 1000)


def get_path(fields, path):
    value = fields
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def set_path(fields, path, value):
    parts = path.split(".")
    for part in parts[:-1]:
        fields = fields.setdefault(part, {})
    fields[parts[-1]] = value


def merge(target, changes):
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value


def same(a, b):
    if isinstance(a, (int, float)) and not isinstance(a, bool) or isinstance(b, (int, float)) and not isinstance(b, bool):
        return str(a) == str(b)
    return a == b


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", required=True, help="the describe answer (JSON)")
    parser.add_argument("--data", required=True, help="the records file (created when missing)")
    arguments = parser.parse_args()
    with open(arguments.schema, encoding="utf-8") as handle:
        store = Store(arguments.data, json.load(handle))
    operations = {
        "describe": store.describe, "changes": store.changes, "get": store.get, "create": store.create,
        "update": store.update, "delete": store.delete, "find": store.find,
    }
    print("json-file-connector: serving %s" % arguments.data, file=sys.stderr, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            operation = operations.get(request.get("op"))
            if operation is None:
                raise Failure("unsupported", "unknown operation '%s'" % request.get("op"))
            response = {"id": request_id, "result": operation(request)}
        except Failure as failure:
            error = {"code": failure.code, "message": failure.message}
            if failure.prop:
                error["property"] = failure.prop
            response = {"id": request_id, "error": error}
        except (KeyError, ValueError, TypeError) as problem:
            response = {"id": request_id, "error": {"code": "rejected", "message": "bad request: %r" % (problem,)}}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
