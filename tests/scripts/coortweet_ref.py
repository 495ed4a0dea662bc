#!/usr/bin/env python3
"""Brute-force references of the tools chorus is checked against (standard library only).

Used by join_russian.sh and cluster_coortweet.sh. The input ROWS is either CooRTweet's input table
(a .csv file with the columns object_id, account_id, content_id, timestamp_share) or marks as TSV
lines "object ts account content_id" (any other name). Modes:

  detect WINDOW ROWS MIN_PARTICIPATION
      CooRTweet's detect_groups (R/detect_groups.R): drop accounts with < MIN_PARTICIPATION rows;
      per object every pair of rows i < j with |dt| <= WINDOW; drop pairs with the same content_id
      or the same account; count per account its rows whose content_id is in the result, keep the
      accounts with >= MIN_PARTICIPATION of them; keep the result rows where either side's content
      is a kept account's. Prints the co-actions "a b object ts_a ts_b content_a content_b", a < b.
      (R/detect_groups.R, commit 03c2afa9: do_remove_loops also drops rows whose object_id equals
      a content_id; not done here — no row of coortweet-russian-coord has object_id = content_id.)

  co_retweet WINDOW ROWS
      coordination-network-toolkit's directed co_retweet weights, "u1 u2 weight": weight(u1 -> u2)
      = distinct messages of u1 that retweet a tweet some message of u2 retweets within +-WINDOW s.

  quantile QUANTILE gt|ge EDGES
      The edges ("a b weight ...", lines starting with # skipped) whose weight is > (gt) or >= (ge)
      R's quantile(weights, QUANTILE), as "a b weight", sorted.

  network WINDOW ROWS MIN_PARTICIPATION QUANTILE PREFIX [gt|ge]
      detect_groups, then CooRTweet's generate_coordinated_network(edge_weight = QUANTILE,
      subgraph = 1) and the connected components of the result (see the source notes below);
      ge keeps the weights >= the quantile instead of > (not CooRTweet's rule).
      Writes PREFIX.all ("a b weight" of every pair, a < b, sorted), PREFIX.pairs (the kept
      pairs, the same way) and PREFIX.components
      (one line per component: its accounts, sorted, space-separated; components sorted by size
      descending, then by their first account), and prints "key value" counts.

generate_coordinated_network, as read in nicolarighetti/CooRTweet R/generate_coordinated_network.R
(commit 39b70f011b5f2908ab0fdde248da0096ba100040; the older R/generate_network.R built the same
weights by projecting an account x object incidence matrix):
  - x[, `:=`(account_id = pmin(account_id, account_id_y), account_id_y = pmax(...))], then
    x[, .(weight = .N, ...), by = .(account_id, account_id_y)]: the weight of a pair is its number
    of detect_groups ROWS (co-actions), not of distinct content_ids (those are n_content_id /
    n_content_id_y, only used for edge_symmetry_score);
  - graph_from_data_frame(x_aggregated, directed = FALSE): one edge per pair, vertices = accounts in
    some pair;
  - threshold_full <- quantile(E(coord_graph)$weight, edge_weight, na.rm = TRUE): R's default
    quantile, type 7, over the weights of ALL pairs;
  - weight_threshold = ifelse(weight > threshold_full, 1, 0): strictly greater;
  - subgraph == 1: subgraph.edges(coord_graph, edges with weight_threshold == 1,
    delete.vertices = TRUE): only the marked edges and their end vertices remain.
CooRTweet itself stops at the graph; the networks are its connected components
(igraph::components), computed here with a union-find.
"""
import collections
import csv
import math
import sys


def load_rows(path):
    """(object, ts, account, content_id) per row."""
    rows = []
    if path.endswith(".csv"):
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows.append((r["object_id"], int(r["timestamp_share"]), r["account_id"], r["content_id"]))
    else:
        for line in open(path, encoding="utf-8"):
            obj, ts, account, content = line.rstrip("\n").split("\t")
            rows.append((obj, int(ts), account, content))
    return rows


def by_object(rs):
    groups = collections.defaultdict(list)
    for r in rs:
        groups[r[0]].append(r)
    return groups.values()


def detect_groups(rows, window, min_participation):
    """The co-actions as (p, q) row pairs, p's account < q's account."""
    n = collections.Counter(r[2] for r in rows)
    x = [r for r in rows if n[r[2]] >= min_participation]
    result = []
    for g in by_object(x):
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                p, q = g[i], g[j]
                if abs(p[1] - q[1]) <= window and p[3] != q[3] and p[2] != q[2]:
                    result.append((p, q))
    in_result = {p[3] for p, _ in result} | {q[3] for _, q in result}
    x = [r for r in x if r[3] in in_result]
    counted = collections.Counter(r[2] for r in x)
    kept_content = {r[3] for r in x if counted[r[2]] >= min_participation}
    out = []
    for p, q in result:
        if p[3] in kept_content or q[3] in kept_content:
            if p[2] > q[2]:
                p, q = q, p
            out.append((p, q))
    return out


def quantile7(values, p):
    """R's quantile(values, p), type 7, with R's own double arithmetic (stats::quantile.default):
    index <- 1 + max(n - 1, 0) * probs; lo <- floor(index); hi <- ceiling(index); qs <- x[lo];
    where index > lo & x[hi] != qs: h <- index - lo; qs <- (1 - h) * qs + h * x[hi]
    (1-based x). Python floats are the same IEEE doubles, so this is R's value bit for bit."""
    x = sorted(float(v) for v in values)
    index = 1.0 + max(len(x) - 1, 0) * float(p)
    lo, hi = math.floor(index), math.ceil(index)
    qs = x[lo - 1]
    if index > lo and x[hi - 1] != qs:
        h = index - lo
        qs = (1 - h) * qs + h * x[hi - 1]
    return qs


def components(pairs):
    parent = {}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = collections.defaultdict(list)
    for a in parent:
        groups[find(a)].append(a)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def main():
    if sys.argv[1] == "quantile":
        q, rule, path = sys.argv[2:5]
        edges = [line.rstrip("\n").split("\t")[:3] for line in open(path, encoding="utf-8") if not line.startswith("#")]
        threshold = quantile7([int(w) for _, _, w in edges], q)
        for a, b, w in sorted(edges):
            if int(w) > threshold or (rule == "ge" and int(w) == threshold):
                print(f"{a}\t{b}\t{w}")
        return
    mode, window, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rows = load_rows(path)
    if mode == "detect":
        for p, q in detect_groups(rows, window, int(sys.argv[4])):
            print("\t".join([p[2], q[2], p[0], str(p[1]), str(q[1]), p[3], q[3]]))
    elif mode == "co_retweet":
        messages = collections.defaultdict(set)
        for g in by_object(rows):
            for p in g:
                for q in g:
                    if p[2] != q[2] and abs(p[1] - q[1]) <= window:
                        messages[(p[2], q[2])].add(p[3])
        for (u1, u2), m in messages.items():
            print(f"{u1}\t{u2}\t{len(m)}")
    elif mode == "network":
        min_participation, q, prefix = int(sys.argv[4]), sys.argv[5], sys.argv[6]
        rule = sys.argv[7] if len(sys.argv) > 7 else "gt"
        coactions = detect_groups(rows, window, min_participation)
        weight = collections.Counter((p[2], q_[2]) for p, q_ in coactions)  # .N by (pmin, pmax)
        threshold = quantile7(weight.values(), q)
        if rule == "gt":
            kept = sorted((a, b, w) for (a, b), w in weight.items() if w > threshold)
        else:
            kept = sorted((a, b, w) for (a, b), w in weight.items() if w >= threshold)
        with open(prefix + ".all", "w", encoding="utf-8") as f:
            for a, b in sorted(weight):
                f.write(f"{a}\t{b}\t{weight[(a, b)]}\n")
        comps = components((a, b) for a, b, _ in kept)
        with open(prefix + ".pairs", "w", encoding="utf-8") as f:
            for a, b, w in kept:
                f.write(f"{a}\t{b}\t{w}\n")
        with open(prefix + ".components", "w", encoding="utf-8") as f:
            for g in comps:
                f.write(" ".join(g) + "\n")
        print(f"coactions {len(coactions)}")
        print(f"pairs {len(weight)}")
        print(f"threshold {threshold!r}")
        print(f"kept_pairs {len(kept)}")
        print(f"components {len(comps)}")
        print(f"accounts {sum(len(g) for g in comps)}")
        print(f"largest {len(comps[0]) if comps else 0}")
    else:
        sys.exit(f"coortweet_ref.py: unknown mode {mode}")


if __name__ == "__main__":
    main()
