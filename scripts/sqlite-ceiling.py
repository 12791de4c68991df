#!/usr/bin/env python3
"""What SQLite alone can do: the writes an onboarding records per record, with no Swift and no engine.

Reproduces, in Python's sqlite3 module (the same system libsqlite3 Parley links; every statement is prepared
once and run from C by executemany), the page-by-page writes of `parley bench engine`'s store floor, in four
state layouts, and prints records/s for each. It bounds what any engine can reach on a layout: the engine-only
target of 50,000 records/s needs a layout whose bare writes are well above it on the same core.

  v1       Parley's layout until the sixth session (state schema v1): staged record + merge key while the
           source is read; a pending link before the create; then the pending row replaced by the link with
           both JSON shadows, the target's merge key, the staged row deleted, an audit row with every value
           written; links, merge keys and audit rows indexed by the systems' ids.
  lean     What a redesign of the tables could reach with the same information: no pending row (the intent
           as one row per page), staged rows and merge keys in WITHOUT ROWID tables, integer codes for flow,
           side, state and action, compact binary shadows, the state index only on rows not linked.
  numbered Parley's layout since the sixth session (state schema v2): v1's tables, plus a table (keyed by
           id, WITHOUT ROWID) that numbers each record id in the order it is first seen; links, merge keys
           and audit rows are indexed by those numbers (the id columns stay, unindexed). Only that table is
           keyed by the systems' ids: with random ids (a UUID per created record, like the reference PMS) it
           is the one B-tree written at random places.
  minimum  Only what must outlive the pass: the link with its shadows and the audit row (no staging, no
           merge keys, no intent) — not a correct design, the floor under every design on B-trees.

The target's ids are UUIDs by default (TARGET_IDS=sequential for "r0", "r1", …): where an id lands in an
index decides how many pages each commit rewrites.

Usage: taskset -c 0 python3 scripts/sqlite-ceiling.py [records] [layout ...]
"""
import os
import sqlite3
import sys
import tempfile
import time
import uuid

PAGE = 1000
TARGET_IDS = os.environ.get("TARGET_IDS", "uuid")
FIELDS = '{"active":true,"budget":"1234.5","email":"post%(i)s@example.com","name":"Company %(i)s AS","number":"C-%(i)s"}'
SHADOW = ('{"active":{"b":true},"budget":{"n":"1234.5"},"email":{"t":"Post%(i)s@Example.com"},'
          '"name":{"t":"Company %(i)s AS"},"number":{"t":"C-%(i)s"}}')
AUDIT = ('[{"after":{"b":true},"before":null,"property":"active","reason":"created"},'
         '{"after":{"n":"1234.5"},"before":null,"property":"budget","reason":"created"},'
         '{"after":{"t":"Post%(i)s@Example.com"},"before":null,"property":"email","reason":"created"},'
         '{"after":{"t":"Company %(i)s AS"},"before":null,"property":"name","reason":"created"},'
         '{"after":{"t":"C-%(i)s"},"before":null,"property":"number","reason":"created"}]')

V1_SCHEMA = """
CREATE TABLE links (flow TEXT NOT NULL, left_id TEXT, right_id TEXT, state TEXT NOT NULL, idem_key TEXT,
  left_shadow TEXT NOT NULL, right_shadow TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX links_by_left ON links(flow, left_id) WHERE left_id IS NOT NULL;
CREATE UNIQUE INDEX links_by_right ON links(flow, right_id) WHERE right_id IS NOT NULL;
CREATE INDEX links_by_state ON links(flow, state);
CREATE TABLE staged (flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, state TEXT NOT NULL,
  fields TEXT NOT NULL, changed_at INTEGER, reason TEXT, related TEXT NOT NULL, PRIMARY KEY (flow, side, record_id));
CREATE INDEX staged_by_state ON staged(flow, side, state, record_id);
CREATE TABLE record_keys (flow TEXT NOT NULL, side TEXT NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL,
  PRIMARY KEY (flow, side, key, record_id));
CREATE INDEX record_keys_by_id ON record_keys(flow, side, record_id);
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, flow TEXT NOT NULL, left_id TEXT,
  right_id TEXT, target TEXT NOT NULL, action TEXT NOT NULL, changes TEXT NOT NULL, note TEXT);
CREATE INDEX audit_by_left ON audit(flow, left_id);
CREATE INDEX audit_by_right ON audit(flow, right_id);
"""

LEAN_SCHEMA = """
CREATE TABLE links (flow INTEGER NOT NULL, left_id TEXT, right_id TEXT, state INTEGER NOT NULL,
  left_shadow BLOB NOT NULL, right_shadow BLOB NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX links_by_left ON links(flow, left_id) WHERE left_id IS NOT NULL;
CREATE UNIQUE INDEX links_by_right ON links(flow, right_id) WHERE right_id IS NOT NULL;
CREATE INDEX links_not_linked ON links(flow, state) WHERE state <> 0;
CREATE TABLE intents (flow INTEGER NOT NULL, page INTEGER NOT NULL, ids BLOB NOT NULL, PRIMARY KEY (flow, page));
CREATE TABLE staged (flow INTEGER NOT NULL, side INTEGER NOT NULL, record_id TEXT NOT NULL, state INTEGER NOT NULL,
  fields BLOB NOT NULL, changed_at INTEGER, reason TEXT, related TEXT, PRIMARY KEY (flow, side, record_id)) WITHOUT ROWID;
CREATE TABLE record_keys (flow INTEGER NOT NULL, side INTEGER NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL,
  PRIMARY KEY (flow, side, key, record_id)) WITHOUT ROWID;
CREATE INDEX record_keys_by_id ON record_keys(flow, side, record_id);
CREATE TABLE audit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, flow INTEGER NOT NULL, left_id TEXT, right_id TEXT,
  target INTEGER NOT NULL, action INTEGER NOT NULL, changes BLOB NOT NULL, note TEXT);
CREATE INDEX audit_by_left ON audit(flow, left_id);
CREATE INDEX audit_by_right ON audit(flow, right_id);
"""


NUMBERED_SCHEMA = """
CREATE TABLE record_ids (flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (flow, side, record_id)) WITHOUT ROWID;
CREATE TABLE links (flow TEXT NOT NULL, left_id TEXT, right_id TEXT, state TEXT NOT NULL, idem_key TEXT,
  left_shadow TEXT NOT NULL, right_shadow TEXT NOT NULL, updated_at INTEGER NOT NULL, left_n INTEGER, right_n INTEGER);
CREATE UNIQUE INDEX links_by_left ON links(left_n) WHERE left_n IS NOT NULL;
CREATE UNIQUE INDEX links_by_right ON links(right_n) WHERE right_n IS NOT NULL;
CREATE INDEX links_by_state ON links(flow, state);
CREATE TABLE staged (flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, state TEXT NOT NULL,
  fields TEXT NOT NULL, changed_at INTEGER, reason TEXT, related TEXT NOT NULL, PRIMARY KEY (flow, side, record_id));
CREATE INDEX staged_by_state ON staged(flow, side, state, record_id);
CREATE TABLE record_keys (flow TEXT NOT NULL, side TEXT NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL, n INTEGER,
  PRIMARY KEY (flow, side, key, record_id));
CREATE INDEX record_keys_by_n ON record_keys(n);
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, flow TEXT NOT NULL, left_id TEXT,
  right_id TEXT, target TEXT NOT NULL, action TEXT NOT NULL, changes TEXT NOT NULL, note TEXT, left_n INTEGER, right_n INTEGER);
CREATE INDEX audit_by_left ON audit(left_n);
CREATE INDEX audit_by_right ON audit(right_n);
"""


def target_id(i):
    """The id the target gives the record created for source record i."""
    return str(uuid.UUID(int=random_bits(i), version=4)) if TARGET_IDS == "uuid" else "r%d" % i


def random_bits(i):
    """128 bits that look random but are the same in every run (so runs and layouts compare)."""
    return int.from_bytes(uuid.uuid5(uuid.NAMESPACE_OID, str(i)).bytes, "big")


def binary_shadow(i):
    """A length-prefixed form of the five canonical values (what a compact shadow would store)."""
    parts = [b"active", b"\x01", b"budget", b"1234.5", b"email", b"Post%d@Example.com" % i,
             b"name", b"Company %d AS" % i, b"number", b"C-%d" % i]
    return b"".join(bytes([len(p)]) + p for p in parts)


def open_state(path, schema):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-32768")
    db.execute("PRAGMA wal_autocheckpoint=4096")
    db.executescript(schema)
    return db


def tx(db, body):
    db.execute("BEGIN")
    body()
    db.execute("COMMIT")


def v1_values(page):
    ids = [str(i) for i in page]
    return {
        "ids": ids, "first": ids[0],
        "staged": [(i, FIELDS % {"i": i}) for i in ids], "left_keys": [("c-" + i, i) for i in ids],
        "pending": [(i, "parley-customers-left-" + i) for i in ids], "by_left": [(i,) for i in ids],
        "links": [(i, target_id(int(i)), SHADOW % {"i": i}, SHADOW % {"i": i}) for i in ids],
        "right_keys": [("c-" + i, target_id(int(i))) for i in ids], "audit": [(i, target_id(int(i)), AUDIT % {"i": i}) for i in ids],
    }


def stage_and_intend(db, v, numbered=False):
    """Ingest (staged rows and the source's keys), the read of the staged page, the pending links; with
    `numbered`, the source's ids are numbered first and keys and links carry the numbers."""
    def ingest():
        if numbered:
            db.executemany("INSERT INTO record_ids (n, flow, side, record_id) VALUES (?, 'customers', 'left', ?)", v["left_numbers"])
        db.executemany("INSERT OR REPLACE INTO staged VALUES ('customers','left',?,'unmatched',?,1000,NULL,'[]')", v["staged"])
        db.executemany("INSERT OR IGNORE INTO record_keys VALUES ('customers','left',?,?" + (",?" if numbered else "") + ")", v["left_keys"])
    tx(db, ingest)
    db.execute("SELECT * FROM staged WHERE flow='customers' AND side='left' AND state IN ('unmatched','ambiguous','parked') "
               "AND record_id >= ? ORDER BY record_id LIMIT ?", (v["first"], PAGE)).fetchall()
    tx(db, lambda: db.executemany("INSERT INTO links VALUES ('customers', ?, NULL, 'pending-right', ?, '{}', '{}', 1"
                                  + (", ?, NULL" if numbered else "") + ")", v["pending"]))


def v1(db, v):
    stage_and_intend(db, v)

    def completion():
        db.executemany("DELETE FROM links WHERE flow='customers' AND left_id=?", v["by_left"])
        db.executemany("INSERT INTO links VALUES ('customers', ?, ?, 'linked', NULL, ?, ?, 2)", v["links"])
        db.executemany("INSERT OR IGNORE INTO record_keys VALUES ('customers','right',?,?)", v["right_keys"])
        db.executemany("DELETE FROM staged WHERE flow='customers' AND side='left' AND record_id=?", v["by_left"])
        db.executemany("INSERT INTO audit (at,flow,left_id,right_id,target,action,changes,note) "
                       "VALUES (2,'customers',?,?,'right','created',?,'new on customer, no match by merge criteria')", v["audit"])
    tx(db, completion)


def lean_values(page):
    ids = [str(i) for i in page]
    shadows = [binary_shadow(i) for i in page]
    return {
        "ids": ids, "first": ids[0], "page": page[0], "intent": ",".join(ids).encode(),
        "staged": [(i, (FIELDS % {"i": i}).encode()) for i in ids], "left_keys": [("c-" + i, i) for i in ids],
        "by_left": [(i,) for i in ids], "links": [(i, target_id(int(i)), shadow, shadow) for i, shadow in zip(ids, shadows)],
        "right_keys": [("c-" + i, target_id(int(i))) for i in ids], "audit": [(i, target_id(int(i)), shadow) for i, shadow in zip(ids, shadows)],
    }


def lean(db, v):
    tx(db, lambda: (
        db.executemany("INSERT OR REPLACE INTO staged VALUES (1,0,?,0,?,1000,NULL,NULL)", v["staged"]),
        db.executemany("INSERT OR IGNORE INTO record_keys VALUES (1,0,?,?)", v["left_keys"])))
    db.execute("SELECT * FROM staged WHERE flow=1 AND side=0 AND record_id >= ? ORDER BY record_id LIMIT ?", (v["first"], PAGE)).fetchall()
    tx(db, lambda: db.execute("INSERT INTO intents VALUES (1, ?, ?)", (v["page"], v["intent"])))

    def completion():
        db.executemany("INSERT INTO links VALUES (1, ?, ?, 0, ?, ?, 2)", v["links"])
        db.executemany("INSERT OR IGNORE INTO record_keys VALUES (1,1,?,?)", v["right_keys"])
        db.executemany("DELETE FROM staged WHERE flow=1 AND side=0 AND record_id=?", v["by_left"])
        db.executemany("INSERT INTO audit (at,flow,left_id,right_id,target,action,changes,note) VALUES (2,1,?,?,1,1,?,NULL)", v["audit"])
        db.execute("DELETE FROM intents WHERE flow=1 AND page=?", (v["page"],))
    tx(db, completion)


def numbered_values(page):
    # Numbers in the order ids are first seen: the source's ids when its page is read (odd), the target's when
    # the creates come back (even) — both grow, so every index on numbers grows at its end.
    ids = [str(i) for i in page]
    return {
        "ids": ids, "first": ids[0],
        "left_numbers": [(2 * i + 1, i) for i in page],
        "right_numbers": [(2 * i + 2, target_id(i)) for i in page],
        "staged": [(i, FIELDS % {"i": i}) for i in ids], "left_keys": [("c-%d" % i, str(i), 2 * i + 1) for i in page],
        "pending": [(str(i), "parley-customers-left-%d" % i, 2 * i + 1) for i in page],
        "by_left": [(2 * i + 1,) for i in page], "staged_ids": [(i,) for i in ids],
        "links": [(str(i), target_id(i), SHADOW % {"i": i}, SHADOW % {"i": i}, 2 * i + 1, 2 * i + 2) for i in page],
        "right_keys": [("c-%d" % i, target_id(i), 2 * i + 2) for i in page],
        "audit": [(str(i), target_id(i), AUDIT % {"i": i}, 2 * i + 1, 2 * i + 2) for i in page],
    }


def numbered(db, v):
    stage_and_intend(db, v, numbered=True)

    def completion():
        db.executemany("INSERT INTO record_ids (n, flow, side, record_id) VALUES (?, 'customers', 'right', ?)", v["right_numbers"])
        db.executemany("DELETE FROM links WHERE left_n=?", v["by_left"])
        db.executemany("INSERT INTO links VALUES ('customers', ?, ?, 'linked', NULL, ?, ?, 2, ?, ?)", v["links"])
        db.executemany("INSERT OR IGNORE INTO record_keys VALUES ('customers','right',?,?,?)", v["right_keys"])
        db.executemany("DELETE FROM staged WHERE flow='customers' AND side='left' AND record_id=?", v["staged_ids"])
        db.executemany("INSERT INTO audit (at,flow,left_id,right_id,target,action,changes,note,left_n,right_n) "
                       "VALUES (2,'customers',?,?,'right','created',?,'new on customer, no match by merge criteria',?,?)", v["audit"])
    tx(db, completion)


def minimum(db, v):
    def completion():
        db.executemany("INSERT INTO links VALUES (1, ?, ?, 0, ?, ?, 2)", v["links"])
        db.executemany("INSERT INTO audit (at,flow,left_id,right_id,target,action,changes,note) VALUES (2,1,?,?,1,1,?,NULL)", v["audit"])
    tx(db, completion)


LAYOUTS = {"v1": (V1_SCHEMA, v1, v1_values), "numbered": (NUMBERED_SCHEMA, numbered, numbered_values),
           "lean": (LEAN_SCHEMA, lean, lean_values),
           "minimum": (LEAN_SCHEMA, minimum, lean_values)}


def bytes_written():
    """This process's bytes sent to the disk so far (Linux), or None."""
    try:
        with open("/proc/self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("write_bytes"))
    except (OSError, StopIteration):
        return None


def run(layout, records):
    schema, write_page, values = LAYOUTS[layout]
    # The values are built before the clock starts: only SQLite's work is timed.
    pages = [values(range(first, min(first + PAGE, records))) for first in range(0, records, PAGE)]
    with tempfile.TemporaryDirectory() as folder:
        db = open_state(os.path.join(folder, "state.sqlite"), schema)
        written = bytes_written()
        start = time.perf_counter()
        for page in pages:
            write_page(db, page)
        seconds = time.perf_counter() - start
        db.close()
        if written is not None:
            written = bytes_written() - written
    return seconds, written


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    layouts = sys.argv[2:] or list(LAYOUTS)
    print(f"SQLite {sqlite3.sqlite_version}, {records} records, pages of {PAGE}, target ids: {TARGET_IDS}")
    print("| layout | seconds | records/s | KB written per record |")
    print("|---|---:|---:|---:|")
    for layout in layouts:
        seconds, written = run(layout, records)
        per_record = f"{written / records / 1000:.1f}" if written is not None else "?"
        print(f"| {layout} | {seconds:.2f} | {records / seconds:,.0f} | {per_record} |")


if __name__ == "__main__":
    main()
