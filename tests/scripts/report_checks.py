#!/usr/bin/env python3
"""report_checks.py CHECK ARGS... -- checks of chorus-report's outputs, for
report_hostile.sh, report_chromium.sh and report_exports.sh. Each check prints
one "FAIL ..." line per problem and exits 1 if there was any, else 0.

  html FILE             the page is safe: no script, img, iframe, object, embed,
                        link, base, form or frame element; no on* attribute; no
                        href/src/xlink:href/action that leaves the page (only
                        "#..." or "data:"); no url() or @import out of the page
                        in CSS; the Content-Security-Policy meta of the spec.
  dom FILE ID...        a DOM (chromium --dump-dom): the elements and attributes
                        above absent, and a "Network ID" section for each ID.
  console FILE          chromium's stderr (--enable-logging=stderr): no console
                        message, no "Uncaught", no CSP violation.
  netlog FILE           chromium's --log-net-log: no request of the page for an
                        http(s)/ws(s)/ftp URL.
  png FILE              a PNG screenshot: the signature, and more than one colour.
  md FILE               Markdown: no raw <script/<img/<iframe/<svg, no
                        link or image to http(s)/javascript, no autolink, and
                        the pipe tables have the same number of cells per row.
  graph FILE EXPECT     GraphML or GEXF: per node its label (account) and network;
                        EXPECT a JSON file {"networks":[{"id","accounts":[...]}],
                        "edges": N}: node and edge counts, and each node's network
                        when its account is a plain string (no control or bidi
                        character, at most 280 characters).
"""
import html.parser
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
BANNED = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "frame", "frameset", "applet",
          "audio", "video", "source", "track", "input", "button", "portal", "picture"}
URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "poster", "background", "srcset",
             "ping", "cite", "longdesc", "manifest", "codebase"}
OUT_URL = re.compile(r"url\(\s*['\"]?\s*(?!data:|#)", re.I)


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.problems = []
        self.csp = []
        self.text = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in BANNED:
            self.problems.append("a <%s> element %s" % (tag, dict(attrs)))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append("an event handler attribute %s=%r on <%s>" % (name, value[:80], tag))
            if name in URL_ATTRS and not (value.startswith("#") or value.startswith("data:")):
                self.problems.append("a URL attribute %s=%r on <%s>" % (name, value[:80], tag))
            if name == "style" and (OUT_URL.search(value) or "@import" in value.lower()):
                self.problems.append("a style attribute loading a URL on <%s>: %r" % (tag, value[:80]))
        a = dict(attrs)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(a.get("content"))
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("a meta refresh")
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style and (OUT_URL.search(data) or "@import" in data.lower()):
            self.problems.append("CSS loading a URL: %r" % data[:120])
        self.text.append(data)


def parse_page(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        p = Page()
        p.feed(f.read())
        p.close()
    return p


def check_html(path):
    p = parse_page(path)
    for pr in p.problems[:20]:
        fail("%s: %s" % (path, pr))
    if len(p.problems) > 20:
        fail("%s: %d more problems" % (path, len(p.problems) - 20))
    if p.csp != [CSP]:
        fail("%s: Content-Security-Policy metas %r, not one with %r" % (path, p.csp, CSP))


def check_dom(path, ids):
    p = parse_page(path)
    for pr in p.problems[:20]:
        fail("%s: %s" % (path, pr))
    text = re.sub(r"\s+", " ", "".join(p.text))
    if not p.tags.get("body"):
        fail("%s: no <body> in the DOM" % path)
    for i in ids:
        if "Network " + i not in text:
            fail("%s: no section for network %s in the DOM text" % (path, i))


def check_console(path):
    n = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if re.search(r":CONSOLE[:(]|Uncaught|Refused to|Content Security Policy", line):
                n += 1
                if n <= 10:
                    fail("%s: %s" % (path, line.rstrip()[:300]))
    if n > 10:
        fail("%s: %d such lines in all" % (path, n))


def check_netlog(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        log = json.loads(text)
    except ValueError:
        # A log cut short (chromium killed) lacks its closing brackets.
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    page, browser = [], 0
    for e in log.get("events", []):
        t = types.get(e.get("type"), "")
        p = e.get("params") or {}
        url = p.get("url")
        if not (t.startswith("URL_REQUEST") or t.startswith("WEBSOCKET") or t == "CORS_REQUEST") or not url:
            continue
        if not re.match(r"(https?|wss?|ftp):", url, re.I):
            continue
        # Chromium's own requests (component updater, sign-in, network time,
        # dictionaries: not stopped by --disable-background-networking) have
        # no initiator; the page's have one (file:// pages: "null").
        if t == "URL_REQUEST_START_JOB" and p.get("initiator") == "not an origin" \
                and "file://" not in str(p.get("network_isolation_key", "")):
            browser += 1
            continue
        if t == "URL_REQUEST_START_JOB":
            page.append(url)
    for u in sorted(set(page))[:20]:
        fail("%s: the page requested %s" % (path, u[:200]))
    if browser:
        print("note: %s: %d requests of chromium itself (no initiator), not the page's" % (path, browser))


def png_colours(path, limit=64):
    b = open(path, "rb").read()
    if b[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, idat, hdr = 8, [], None
    while pos + 8 <= len(b):
        n, t = struct.unpack(">I4s", b[pos:pos + 8])
        d = b[pos + 8:pos + 8 + n]
        pos += 12 + n
        if t == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", d)
        elif t == b"IDAT":
            idat.append(d)
        elif t == b"IEND":
            break
    if hdr is None or not idat:
        raise ValueError("no IHDR or IDAT")
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or interlace or ctype not in (0, 2, 4, 6):
        raise ValueError("unsupported PNG %r" % (hdr,))
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        raise ValueError("pixel data of %d bytes, not %d" % (len(raw), h * (stride + 1)))
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif f == 2:
            row = bytearray((a + c) & 255 for a, c in zip(row, prev))
        elif f == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                c = prev[i - bpp] if i >= bpp else 0
                up = prev[i]
                q = a + up - c
                pa, pb, pc = abs(q - a), abs(q - up), abs(q - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else (up if pb <= pc else c))) & 255
        elif f != 0:
            raise ValueError("bad filter type %d in row %d" % (f, y))
        if len(colours) < limit:
            rb = bytes(row)
            colours.update(rb[i:i + bpp] for i in range(0, stride, bpp))
        prev = row
    return w, h, colours


def check_png(path):
    try:
        w, h, colours = png_colours(path)
    except (OSError, ValueError, zlib.error) as e:
        fail("%s: %s" % (path, e))
        return
    if len(colours) < 2:
        fail("%s: a blank page (%dx%d, one colour %r)" % (path, w, h, next(iter(colours), None)))
    else:
        print("note: %s: %dx%d, %s colours" % (path, w, h, len(colours) if len(colours) < 64 else "64+"))


def check_md(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        md = f.read()
    for m in re.finditer(r"<\s*(script|img|iframe|svg|object|embed|a\s|style|link)", md, re.I):
        fail("%s: raw HTML %r at offset %d" % (path, md[m.start():m.start() + 60], m.start()))
    for m in re.finditer(r"(?<!\\)\]\(\s*<?\s*(https?:|javascript:|//|ftp:|data:|evil)", md, re.I):
        fail("%s: a Markdown link %r at offset %d" % (path, md[max(0, m.start() - 40):m.start() + 40], m.start()))
    for m in re.finditer(r"<\s*(https?|javascript|ftp|mailto):", md, re.I):
        fail("%s: an autolink %r at offset %d" % (path, md[m.start():m.start() + 60], m.start()))
    # Reference-style link definitions: "[x]: http://..." at a line start.
    for m in re.finditer(r"(?m)^\s{0,3}(?<!\\)\[[^\]\n]*(?<!\\)\]:\s*\S", md):
        fail("%s: a link reference definition %r" % (path, m.group(0)[:80]))
    # Pipe tables: every row of a table has as many unescaped pipes.
    table = []

    def end_table():
        if table:
            want = table[0][1]
            for no, n, line in table:
                if n != want:
                    fail("%s:%d: a table row with %d cell separators, the header has %d: %r"
                         % (path, no, n, want, line[:120]))
        table.clear()

    in_code = False
    for no, line in enumerate(md.split("\n"), 1):
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.lstrip().startswith("|"):
            table.append((no, len(re.findall(r"(?<!\\)\|", line)), line))
        else:
            end_table()
    end_table()


def graph_nodes(path):
    """(nodes, edges): nodes a list of {attr name: value}, from GraphML or GEXF."""
    root = ET.parse(path).getroot()
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    q = lambda t: "{%s}%s" % (ns, t) if ns else t
    nodes = []
    if root.tag == q("graphml"):
        keys = {k.get("id"): k.get("attr.name") for k in root.iter(q("key"))}
        for n in root.iter(q("node")):
            d = {keys.get(x.get("key"), x.get("key")): (x.text or "") for x in n.findall(q("data"))}
            d["@id"] = n.get("id")
            nodes.append(d)
        edges = len(list(root.iter(q("edge"))))
    else:
        attrs = {}
        for a in root.iter(q("attributes")):
            if a.get("class") == "node":
                for x in a.findall(q("attribute")):
                    attrs[x.get("id")] = x.get("title")
        for n in root.iter(q("node")):
            d = {"label": n.get("label"), "@id": n.get("id")}
            for x in n.iter(q("attvalue")):
                d[attrs.get(x.get("for"), x.get("for"))] = x.get("value")
            nodes.append(d)
        edges = len(list(root.iter(q("edge"))))
    return nodes, edges


PLAIN = re.compile(r"^[^\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]{1,280}$")


def check_graph(path, expect_path):
    with open(expect_path, encoding="utf-8") as f:
        expect = json.load(f)
    nodes, edges = graph_nodes(path)
    want_nodes = sum(len(n["accounts"]) for n in expect["networks"])
    if len(nodes) != want_nodes:
        fail("%s: %d nodes, not %d (the accounts of the networks)" % (path, len(nodes), want_nodes))
    if edges != expect["edges"]:
        fail("%s: %d edges, not %d (the clustered edges of the networks)" % (path, edges, expect["edges"]))
    ids = [n["@id"] for n in nodes]
    if len(set(ids)) != len(ids):
        fail("%s: node ids not unique" % path)
    net_of = {}
    for n in expect["networks"]:
        for a in n["accounts"]:
            net_of[a] = n["id"]
    seen = {}
    for n in nodes:
        seen.setdefault(n.get("label"), []).append(n.get("network"))
    bad = 0
    for acc, net in net_of.items():
        if not PLAIN.match(acc):
            continue
        if seen.get(acc) != [net]:
            bad += 1
            if bad <= 10:
                fail("%s: account %r: nodes in networks %r, expected one in %s" % (path, acc, seen.get(acc), net))
    if bad > 10:
        fail("%s: %d accounts so" % (path, bad))


def main():
    check, args = sys.argv[1], sys.argv[2:]
    if check == "html":
        check_html(args[0])
    elif check == "dom":
        check_dom(args[0], args[1:])
    elif check == "console":
        check_console(args[0])
    elif check == "netlog":
        check_netlog(args[0])
    elif check == "png":
        check_png(args[0])
    elif check == "md":
        check_md(args[0])
    elif check == "graph":
        check_graph(args[0], args[1])
    else:
        sys.exit("report_checks.py: unknown check " + check)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
