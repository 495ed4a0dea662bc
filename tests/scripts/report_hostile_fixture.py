#!/usr/bin/env python3
"""report_hostile_fixture.py DIR -- writes a hostile input for chorus-report in DIR:
networks.jsonl, clusters.tsv, accounts.jsonl, events.jsonl, whose account names,
handles, labels, reasons and texts are written by an adversary: HTML and script
injection, javascript: links, quotes and ampersands, bidirectional overrides,
Markdown links, pipes and backticks, control characters, invalid UTF-8 and a
1 MB label and text. Used by report_hostile.sh and report_chromium.sh.

Also writes expect.json: the figures the report must show, computed here.
"""
import json
import os
import sys

out = sys.argv[1]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(document.cookie)"
QUOTES = "Tom & Jerry's \"quote\""
RLO = "\u202e"   # RIGHT-TO-LEFT OVERRIDE
LRI = "\u2066"   # LEFT-TO-RIGHT ISOLATE
RLE = "\u202b"   # RIGHT-TO-LEFT EMBEDDING
PDI = "\u2069"   # POP DIRECTIONAL ISOLATE
MDLINK = "[x](http://evil.example)"
PIPE = "P1|P2"
TICKS = "BT1`rm -rf /`BT2"
LONG = "LONG" + "x" * 1000000   # 1 MB, one line
SVG = "<svg onload=alert(1)>"
IFRAME = '<iframe src="http://evil.example/frame"></iframe>'
CSS = "<style>@import url(http://evil.example/x.css)</style>"
ALL = " ".join([SCRIPT, IMG, JS, QUOTES, RLO + "gpj.exe", LRI + "isolated" + PDI, MDLINK, PIPE, TICKS, SVG,
                IFRAME, CSS])


def tsv(s):
    """The TSV escapes of chorus-formats(5): backslash, tab, newline, carriage
    return, and every other control character (and DEL) as \\xHH."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in "\\\t\n\r":
            out.append({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch])
        elif o < 0x20 or o == 0x7f:
            out.append("\\x%02x" % o)
        else:
            out.append(ch)
    return "".join(out)


# Accounts of each network: platform:account, as networks.jsonl writes them.
nets = [
    {
        "id": "000001", "verdict": "coordinated", "score": 0.951,
        "accounts": [
            "x:" + SCRIPT,
            "x:" + IMG,
            "x:" + JS,
            "x:" + QUOTES,
            "x:evil" + RLO + "txt.exe",
            "x:a" + LRI + "b" + PDI + "c",
            "x:" + MDLINK,
            "x:" + PIPE + "`tick`",
            "x:tab\there",
            "x:new\nline",
            "x:back\\slash",
            "x:esc\u001b[31mred",
        ],
    },
    {
        "id": "000002", "verdict": "review", "score": 0.55,
        "accounts": ["y:plain1", "y:plain2", "y:<b>bold</b>", "y:" + RLE + "embedded"],
    },
    {
        "id": "000003", "verdict": "benign", "score": 0.125,
        "accounts": ["z:" + SVG, "z:" + IFRAME, "z:" + CSS],
    },
]
for n in nets:
    n["accounts"].sort(key=lambda a: tsv(a).encode())

T0 = 1704067200
profiles = []
for ni, n in enumerate(nets):
    for i, acc in enumerate(n["accounts"]):
        platform, account = acc.split(":", 1)
        profiles.append({
            "account": account, "platform": platform,
            "handle": [SCRIPT, IMG, JS, QUOTES, RLO + "handle", MDLINK, PIPE, TICKS][(i + ni) % 8],
            "name": ALL if i == 0 else "name " + str(i) + " " + LRI + SCRIPT,
            "created": 1672531200 + 86400 * i, "followers": 100 * (i + 1) + ni * 7, "following": 5,
            "country": "RU" if i % 2 else "<b>XX</b>",
            "state_affiliated": IMG if i == 1 else None,
            "verified": i % 3 == 0,
        })
followers_of = {p["platform"] + ":" + p["account"]: p["followers"] for p in profiles}

# Clustered edges: every pair of a network.
clusters = ['#chorus-clusters v1 {"edges":null,"min_weight":0,"quantile":null,"quantile_rule":"gt","threshold":null,'
            '"alpha":null,"method":"components","min_size":2,"edges_in":0,"edges_out":0,"clusters":3,"accounts":19}']
for ni, n in enumerate(nets):
    accs = sorted(n["accounts"], key=lambda a: tsv(a).encode())
    edges = coactions = 0
    for i in range(len(accs)):
        for j in range(i + 1, len(accs)):
            c = 2 + (i + j) % 3
            first, last = T0 + 60 * i, T0 + 3600 + 60 * j
            clusters.append("\t".join([n["id"], tsv(accs[i]), tsv(accs[j]), str(c), str(c), "2",
                                       "%010d" % first, "%010d" % (first + 5), "%010d" % first, "%010d" % last,
                                       "30", "3", "4", "tag:1,url:%d" % (c - 1), "-", "-"]))
            edges += 1
            coactions += c
    n["edges"] = edges
    n["coactions"] = coactions

# Invalid UTF-8 as chorus-parse and chorus-score pass it on: each bad byte
# already U+FFFD (a JSON line with raw invalid bytes is not JSON, and is
# skipped as a bad line: RAW below, one extra line in networks and events
# that chorus-report must report with its file and line, and leave out).
RAW = b"\xff\xfe bad \xc3\x28 utf8"
BAD = RAW.decode("utf-8", errors="replace").encode()

lines = []
for ni, n in enumerate(nets):
    size = len(n["accounts"])
    top_keys = [
        {"key": "text:0001", "kind": "text", "label": ALL, "coactions": 9, "accounts": size},
        {"key": "url:0002", "kind": "url", "label": JS + "//evil.example/" + SCRIPT, "coactions": 8, "accounts": size},
        {"key": "domain:0003", "kind": "domain", "label": "evil.example", "coactions": 7, "accounts": size},
        {"key": "tag:0004", "kind": "tag", "label": "#" + IMG + PIPE, "coactions": 6, "accounts": size},
        {"key": "share:0005", "kind": "share", "label": "post-%d" % ni, "coactions": 5, "accounts": size},
        {"key": "mention:0006", "kind": "mention", "label": "@" + RLO + "evil" + TICKS, "coactions": 4,
         "accounts": 2},
    ]
    if ni == 1:
        top_keys.insert(0, {"key": "text:long", "kind": "text", "label": LONG, "coactions": 99, "accounts": size})
    reasons = [
        "%d co-actions among %d accounts " % (n["coactions"], size) + SCRIPT,
        IMG + " " + JS,
        QUOTES + " " + MDLINK + " " + PIPE + " " + TICKS,
        RLO + "override" + " " + LRI + "isolate" + PDI,
        "score %s: %s" % (n["score"], n["verdict"]),
    ]
    if ni == 2:
        reasons.append("@@BAD@@")
    line = {
        "id": n["id"], "accounts": n["accounts"], "size": size, "edges": n["edges"],
        "density": 1, "coactions": n["coactions"], "signals": {"tag": n["edges"], "url": n["coactions"] - n["edges"]},
        "first_seen": "2024-01-01T00:00:00Z", "last_seen": "2024-01-01T02:00:00Z", "median_dt": 30,
        "followers": sum(followers_of[a] for a in n["accounts"]),
        "created_span": {"first": "2023-01-01T00:00:00Z", "last": "2023-01-12T00:00:00Z", "days": 11},
        "countries": {"RU": size // 2, "<b>XX</b>": size - size // 2},
        "audiences": {"US": 3, SCRIPT: 2},
        "state_affiliated": {IMG: 1},
        "score": n["score"], "verdict": n["verdict"], "reasons": reasons, "top_keys": top_keys,
        "params": {"coordinated": 0.7, "review": 0.4, "top": 5, "burst_days": 7, "window": 3600,
                   "clusters": {"method": "components", "alpha": None},
                   "evidence": True, "labels": True, "accounts": True, "events": True},
    }
    n["followers"] = line["followers"]
    n["size"] = size
    b = json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode()
    b = b.replace(b"@@BAD@@", BAD)
    lines.append(b)

with open(os.path.join(out, "networks.jsonl"), "wb") as f:
    for b in lines:
        f.write(b + b"\n")
    # Line 4: raw invalid UTF-8, a bad line.
    f.write(lines[0].replace(b'"id":"000001"', b'"id":"000099"').replace(b"score", RAW, 1) + b"\n")
with open(os.path.join(out, "clusters.tsv"), "w", encoding="utf-8", newline="\n") as f:
    for l in clusters:
        f.write(l + "\n")
with open(os.path.join(out, "accounts.jsonl"), "w", encoding="utf-8") as f:
    for p in profiles:
        f.write(json.dumps(p, ensure_ascii=False, separators=(",", ":")) + "\n")

# Events: a few posts by every account, the shared posts (one of them 1 MB),
# and their shares.
events = []
k = 0
for ni, n in enumerate(nets):
    first = n["accounts"][0].split(":", 1)
    events.append({"id": "post-%d" % ni, "account": first[1], "ts": T0 + 10, "type": "post",
                   "text": (LONG if ni == 1 else ALL + " @@BAD@@"), "urls": [JS, "http://evil.example/" + SCRIPT],
                   "hashtags": [IMG], "mentions": [RLO + "m"], "media": [], "parent": None, "lang": "en",
                   "audience": "US", "platform": first[0], "views": 10, "likes": 1})
    for i, acc in enumerate(n["accounts"]):
        platform, account = acc.split(":", 1)
        for j in range(3):
            k += 1
            events.append({"id": "e%06d" % k, "account": account, "ts": T0 + 120 * k + 3600 * j,
                           "type": "share" if j == 0 else "post",
                           "text": ALL if j else "", "urls": ["http://evil.example/" + IMG] if j == 1 else [],
                           "hashtags": [SCRIPT] if j == 2 else [], "mentions": [], "media": [],
                           "parent": "post-%d" % ni if j == 0 else None, "lang": "en",
                           "audience": SCRIPT if j == 2 else "US", "platform": platform, "views": 1, "likes": 0})
events.sort(key=lambda e: e["ts"])
with open(os.path.join(out, "events.jsonl"), "wb") as f:
    for e in events:
        b = json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode().replace(b"@@BAD@@", BAD)
        f.write(b + b"\n")
    # The last line: raw invalid UTF-8, a bad line.
    f.write(json.dumps(events[-1], separators=(",", ":")).encode().replace(b'"text":"', b'"text":"' + RAW, 1) + b"\n")

with open(os.path.join(out, "expect.json"), "w") as f:
    json.dump({"networks": [{k: n[k] for k in ("id", "verdict", "score", "size", "edges", "coactions", "followers",
                                              "accounts")} for n in nets]}, f, ensure_ascii=False)
