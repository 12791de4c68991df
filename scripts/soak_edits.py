#!/usr/bin/env python3
"""Random edits on both reference systems at a steady rate, and a census of both systems, for scripts/soak.sh.

Usage: soak_edits.py ERP_URL PMS_URL RATE_PER_S DURATION_S [SEED] [--expect FILE]
    Edits for DURATION_S seconds at RATE_PER_S (one request at a time), then prints one JSON line:
    {"edits": N, "errors": N, "seconds": S, "by_kind": {...}, "statuses": {...}}. With --expect, writes to FILE
    the last value the edits gave every (linked pair, property) they touched, for the census.
    Mix: 1% creates in the ERP, 1% in the PMS, 2% "both sides at once" (the same linked pair renamed in the ERP
    and then in the PMS, back to back: a deliberate conflict), the rest single-side PATCHes of one mapped property.
    Loopback only; every request is a normal contract call (PATCH or POST) with valid values.

Usage: soak_edits.py census ERP_URL PMS_URL [--expect FILE --conflicts FILE]
    Reads every customer and project of both systems (archived ones too) directly, without Parley's state, and
    checks that no merge key occurs twice in one system and that every record has exactly one partner on the
    other side (ERP customerNumber = PMS erp_number, ERP projectNumber = PMS code). With --expect (and the output
    of `parley conflicts --all` as --conflicts), also checks that no edit was lost: both sides of every pair hold
    the last value written to it, or that value is a loser in the conflict log (the newest change marker of the
    *record* decides, so a later edit to another property of the same record can outrank it). A last value that
    is neither is "diverged" (the systems disagree) or "overwritten" (both hold another value); for city,
    country and status, whose values repeat, the latter is only "inconclusive". Prints one JSON object; exit 1
    on a duplicate, an unpaired record, a diverged or an overwritten edit.
"""
import http.client
import json
import random
import re
import sys
import time
import urllib.parse

WORDS = ["Nordlys", "Fjell", "Bryggen", "Havn", "Skog", "Elv", "Vind", "Stein", "Lys", "Bro", "Fjord", "Tind"]
CITIES = [("Oslo", "NO", "NOR"), ("Bergen", "NO", "NOR"), ("Göteborg", "SE", "SWE"), ("København", "DK", "DNK"), ("Tromsø", "NO", "NOR")]
ALPHA3_TO_2 = {alpha3: alpha2 for _, alpha2, alpha3 in CITIES}
STATUS_MAP = {"PLANNED": "planned", "ACTIVE": "in_progress", "ON_HOLD": "paused", "COMPLETED": "done"}
PMS_TO_ERP_STATUS = {pms: erp for erp, pms in STATUS_MAP.items()}

# Properties whose every edit writes a value never written before (a counter, or 8 random digits): when such a
# value is gone from both systems and not in the conflict log, an edit was lost. City, country and status take
# values from small sets, so there "the last write is gone" can also be an edit back to the value Parley last saw
# (A, B, A): that is reported as inconclusive, not as lost.
UNIQUE_VALUES = {"name", "phone", "email", "website", "budget"}

# The pairing key of each collection (the default configuration writes it to both sides).
PAIRING = {"customers": ("customerNumber", "erp_number"), "projects": ("projectNumber", "code")}


def erp_address(field):
    return lambda r: (r.get("address") or {}).get(field)


# Mapped properties the edits touch, in canonical (ERP) form: property -> (read from ERP, read from PMS).
CANONICAL = {
    "customers": {
        "name": (lambda r: r.get("name"), lambda r: r.get("display_name")),
        "phone": (lambda r: r.get("phone"), lambda r: r.get("contact_phone")),
        "email": (lambda r: (r.get("email") or "").lower() or None, lambda r: (r.get("contact_email") or "").lower() or None),
        "website": (lambda r: r.get("website"), lambda r: r.get("homepage")),
        "address.city": (erp_address("city"), lambda r: r.get("city")),
        "address.countryCode": (erp_address("countryCode"), lambda r: ALPHA3_TO_2.get(r.get("country"), r.get("country"))),
    },
    "projects": {
        "name": (lambda r: r.get("name"), lambda r: r.get("title")),
        "status": (lambda r: r.get("status"), lambda r: PMS_TO_ERP_STATUS.get(r.get("state"), r.get("state"))),
        "budget": (lambda r: None if r.get("budget") is None else round(r["budget"] * 100),
                   lambda r: r.get("budget_cents")),
    },
}


class System:
    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.connection = None

    def request(self, method, path, body=None):
        for attempt in range(3):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
                data = json.dumps(body).encode() if body is not None else None
                headers = {"Content-Type": "application/json"} if data else {}
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                return response.status, (json.loads(payload) if payload else None)
            except (OSError, http.client.HTTPException):
                self.connection = None
                if attempt == 2:
                    return 0, None
                time.sleep(0.05)

    def records(self, collection):
        """Every live record of a collection, by id (the change feed from the start; tombstones remove)."""
        records, cursor = {}, None
        while True:
            path = f"/{collection}?limit=1000" + (f"&since={urllib.parse.quote(str(cursor), safe='')}" if cursor else "")
            status, page = self.request("GET", path)
            if status != 200:
                raise SystemExit(f"cannot read {collection}: HTTP {status}")
            for item in page["items"]:
                if item.get("deleted"):
                    records.pop(item["id"], None)
                else:
                    records[item["id"]] = item
            cursor = page["next"]
            if not page["hasMore"]:
                return records


def read_all(erp, pms):
    systems = {"erp": erp, "pms": pms}
    return {(side, collection): systems[side].records(collection) for side in systems for collection in PAIRING}


def pairs(records, collection):
    """(erp id, pms id) of every record pair that shares its pairing key, keyed by both ids."""
    erp_key, pms_key = PAIRING[collection]
    by_key = {str(r.get(pms_key) or "").strip().lower(): pms_id for pms_id, r in records[("pms", collection)].items() if r.get(pms_key)}
    result = []
    for erp_id, r in records[("erp", collection)].items():
        pms_id = by_key.get(str(r.get(erp_key) or "").strip().lower())
        if pms_id is not None:
            result.append((erp_id, pms_id))
    return result


def census(erp, pms, expect_file=None, conflicts_file=None):
    """Duplicates per merge key within each system, records without exactly one partner, and lost edits."""
    def digits(value):
        return "".join(ch for ch in str(value or "") if ch.isdigit())

    def lowered(value):
        return str(value or "").strip().lower()

    def trimmed(value):
        return str(value or "").strip()

    keys = {  # (system, collection): [(key name, function)] -- the default configuration's merge criteria
        ("erp", "customers"): [("organizationNumber", lambda r: digits(r.get("organizationNumber"))),
                               ("customerNumber", lambda r: lowered(r.get("customerNumber")))],
        ("pms", "customers"): [("org_no", lambda r: digits(r.get("org_no"))), ("erp_number", lambda r: lowered(r.get("erp_number")))],
        ("erp", "projects"): [("projectNumber", lambda r: trimmed(r.get("projectNumber")))],
        ("pms", "projects"): [("code", lambda r: trimmed(r.get("code")))],
    }
    records = read_all(erp, pms)
    result = {"counts": {f"{side}.{collection}": len(found) for (side, collection), found in records.items()},
              "duplicates": [], "unpaired": []}
    index = {}
    for (side, collection), found in records.items():
        for name, key in keys[(side, collection)]:
            groups = {}
            for record_id, record in found.items():
                value = key(record)
                if value:
                    groups.setdefault(value, []).append(record_id)
            index[(side, collection, name)] = groups
            for value, members in sorted(groups.items()):
                if len(members) > 1:
                    result["duplicates"].append({"system": side, "collection": collection, "key": name, "value": value, "ids": members})
    for collection, (erp_key, pms_key) in PAIRING.items():
        for side, name, other, other_name in [("erp", erp_key, "pms", pms_key), ("pms", pms_key, "erp", erp_key)]:
            mine, theirs = index[(side, collection, name)], index[(other, collection, other_name)]
            keyed = {record_id for members in mine.values() for record_id in members}
            for record_id in records[(side, collection)]:
                if record_id not in keyed:
                    result["unpaired"].append({"system": side, "collection": collection, "id": record_id, "reason": f"empty {name}"})
            for value, members in sorted(mine.items()):
                if value not in theirs:
                    result["unpaired"].append({"system": side, "collection": collection, "ids": members, "value": value,
                                               "reason": f"no {other} record with {other_name} '{value}'"})
    ok = not result["duplicates"] and not result["unpaired"]
    if expect_file:
        losers = {}  # (erp id, pms id) -> losing values in the conflict log, as text
        pattern = re.compile(r"^#\d+ (\S+) erp (\S+) / pms (\S+) (\S+): \S+ won with '(.*)' over '(.*)' \(")
        for line in open(conflicts_file, encoding="utf-8") if conflicts_file else []:
            match = pattern.match(line)
            if match:
                losers.setdefault((match.group(2), match.group(3)), set()).add(match.group(6))
        expected = json.load(open(expect_file, encoding="utf-8"))
        checked = kept = logged = 0
        diverged, overwritten, inconclusive = [], [], []
        for entry in expected:
            collection, erp_id, pms_id, prop, value = entry["collection"], entry["erp"], entry["pms"], entry["property"], entry["value"]
            erp_record, pms_record = records[("erp", collection)].get(erp_id), records[("pms", collection)].get(pms_id)
            if erp_record is None or pms_record is None:
                diverged.append({**entry, "reason": "record gone"})
                continue
            read_erp, read_pms = CANONICAL[collection][prop]
            checked += 1
            found = (read_erp(erp_record), read_pms(pms_record))
            if found == (value, value):
                kept += 1
                continue
            texts = {str(value), str(value).lower()}
            if prop == "budget":
                texts |= {f"{value / 100:.2f}", str(value / 100)}
            if prop == "status":
                texts.add(STATUS_MAP.get(value, value))
            logged_losers = losers.get((str(erp_id), str(pms_id)), set())
            if texts & (logged_losers | {text.lower() for text in logged_losers}):
                logged += 1
                continue
            finding = {**entry, "erp now": found[0], "pms now": found[1]}
            if found[0] != found[1]:
                diverged.append(finding)  # the systems disagree for good: `parley verify` reports these too
            elif prop in UNIQUE_VALUES:
                overwritten.append(finding)  # a value written once only, replaced without a conflict entry
            else:
                inconclusive.append(finding)  # a value from a small set: an A-B-A sequence looks the same
        result["edits"] = {"checked": checked, "kept": kept, "lost in a logged conflict": logged, "diverged": diverged,
                           "overwritten": overwritten, "inconclusive": inconclusive}
        ok = ok and not diverged and not overwritten
    result["ok"] = ok
    return result


def option(args, name):
    if name in args:
        position = args.index(name)
        value = args[position + 1]
        del args[position:position + 2]
        return value
    return None


args = sys.argv[1:]
if args and args[0] == "census":
    expect_file, conflicts_file = option(args, "--expect"), option(args, "--conflicts")
    report = census(System(args[1]), System(args[2]), expect_file, conflicts_file)
    print(json.dumps(report, ensure_ascii=False))
    sys.exit(0 if report["ok"] else 1)

expect_file = option(args, "--expect")
ERP_URL, PMS_URL = args[0], args[1]
RATE, DURATION = float(args[2]), float(args[3])
rng = random.Random(int(args[4]) if len(args) > 4 else 7)
erp, pms = System(ERP_URL), System(PMS_URL)
initial = read_all(erp, pms)
ids = {key: list(found) for key, found in initial.items()}
# Partner of every record that has one at the start (onboarding linked them all), for "last value" bookkeeping.
partner = {}
for collection in PAIRING:
    for erp_id, pms_id in pairs(initial, collection):
        partner[("erp", collection, erp_id)] = pms_id
        partner[("pms", collection, pms_id)] = erp_id
pair_list = {collection: pairs(initial, collection) for collection in PAIRING}
last_value = {}  # (collection, erp id, pms id, property) -> canonical value of the last successful edit
counter = 0


def word():
    return rng.choice(WORDS)


def remember(side, collection, record_id, values):
    other = partner.get((side, collection, record_id))
    if other is None:
        return
    erp_id, pms_id = (record_id, other) if side == "erp" else (other, record_id)
    for prop, value in values.items():
        last_value[(collection, erp_id, pms_id, prop)] = value


def patch(side, collection, record_id, body, canonical):
    system = erp if side == "erp" else pms
    status, _ = system.request("PATCH", f"/{collection}/{urllib.parse.quote(str(record_id), safe='')}", body)
    if status == 200:
        remember(side, collection, record_id, canonical)
    return status


def single_edit(side, collection, record_id):
    """A PATCH of one mapped property (two for an address), with its canonical value."""
    city, alpha2, alpha3 = rng.choice(CITIES)
    if side == "erp" and collection == "customers":
        return rng.choice([
            ({"name": f"{word()} {word()} {counter} AS"}, "name"),
            ({"phone": f"+47 {rng.randrange(10**7, 10**8)}"}, "phone"),
            ({"address": {"city": city, "countryCode": alpha2}}, "address"),
            ({"email": f"post{counter}@{word().lower()}.example.com"}, "email"),
        ])
    if side == "pms" and collection == "customers":
        return rng.choice([
            ({"display_name": f"{word()} {word()} {counter} AB"}, "name"),
            ({"contact_phone": f"+46 {rng.randrange(10**7, 10**8)}"}, "phone"),
            ({"city": city, "country": alpha3}, "address"),
            ({"homepage": f"https://{word().lower()}{counter}.example.com"}, "website"),
        ])
    if side == "erp":
        cents = rng.randrange(1_000_00, 5_000_000_00)
        return rng.choice([
            ({"name": f"{word()} project {counter}"}, "name"),
            ({"status": rng.choice(list(STATUS_MAP))}, "status"),
            ({"budget": cents / 100}, "budget"),
        ])
    return rng.choice([
        ({"title": f"{word()} prosjekt {counter}"}, "name"),
        ({"state": rng.choice(list(STATUS_MAP.values()))}, "status"),
        ({"budget_cents": rng.randrange(1_000_00, 5_000_000_00)}, "budget"),
    ])


def canonical_of(side, collection, body, what):
    if what == "address":
        city = body["address"]["city"] if side == "erp" else body["city"]
        code = body["address"]["countryCode"] if side == "erp" else ALPHA3_TO_2[body["country"]]
        return {"address.city": city, "address.countryCode": code}
    value = next(iter(body.values()))
    if what == "email":
        value = value.lower()
    elif what == "status" and side == "pms":
        value = PMS_TO_ERP_STATUS[value]
    elif what == "budget" and side == "erp":
        value = round(value * 100)
    return {what: value}


def edit():
    """One random edit; returns its kind and the HTTP status (0: no answer)."""
    global counter
    counter += 1
    roll = rng.random()
    city, alpha2, alpha3 = rng.choice(CITIES)
    if roll < 0.01:
        number = f"SOAK-{int(time.time() * 1000)}-{counter}"
        status, record = erp.request("POST", "/customers", {"customerNumber": number, "name": f"{word()} Soak {counter} AS",
                                                           "address": {"city": city, "countryCode": alpha2}})
        if status == 201:
            ids[("erp", "customers")].append(record["id"])
        return "erp create", status
    if roll < 0.02:
        status, record = pms.request("POST", "/customers", {"display_name": f"{word()} Soak {counter} AB", "city": city, "country": alpha3,
                                                           "org_no": str(900_000_000 + counter + rng.randrange(90_000_000))})
        if status == 201:
            ids[("pms", "customers")].append(record["id"])
        return "pms create", status
    if roll < 0.04:
        collection = "customers" if rng.random() < 0.6 else "projects"
        erp_id, pms_id = rng.choice(pair_list[collection])
        names = ("name", "display_name") if collection == "customers" else ("name", "title")
        value = f"{word()} both-sides {counter}e"
        first = patch("erp", collection, erp_id, {names[0]: value}, {"name": value})
        value = f"{word()} both-sides {counter}p"
        second = patch("pms", collection, pms_id, {names[1]: value}, {"name": value})
        return f"both-sides {collection}", first if first != 200 else second
    side = rng.choice(["erp", "pms"])
    collection = "customers" if rng.random() < 0.6 else "projects"
    pool = ids[(side, collection)]
    record_id = rng.choice(pool)
    body, what = single_edit(side, collection, record_id)
    status = patch(side, collection, record_id, body, canonical_of(side, collection, body, what))
    return f"{side} {collection} patch", status


start = time.monotonic()
edits = errors = 0
by_kind, statuses = {}, {}
while time.monotonic() - start < DURATION:
    due = start + edits / RATE
    delay = due - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    kind, status = edit()
    edits += 1
    by_kind[kind] = by_kind.get(kind, 0) + 1
    statuses[str(status)] = statuses.get(str(status), 0) + 1
    # 0: no answer after three tries; 409: a generated unique value collided; 412/422 cannot happen for these
    # bodies. Every one of them is counted as failed (and by status), none is retried.
    if status not in (200, 201):
        errors += 1
if expect_file:
    with open(expect_file, "w", encoding="utf-8") as out:
        json.dump([{"collection": c, "erp": e, "pms": p, "property": prop, "value": v} for (c, e, p, prop), v in sorted(
            last_value.items(), key=lambda item: str(item[0]))], out, ensure_ascii=False)
print(json.dumps({"edits": edits, "errors": errors, "seconds": round(time.monotonic() - start, 1), "by_kind": by_kind,
                  "statuses": statuses, "pairs edited": len({key[:3] for key in last_value}), "properties tracked": len(last_value)}))
