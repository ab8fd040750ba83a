#!/usr/bin/env python3
"""Prints compare.md for one bench/reads_compare.sh run (markdown, stdout).

Reads, in --out-dir: ours.tsv (scenario.build, clients, rep, "key=value ..."),
mix_ops.tsv (scenario.build, clients, rep, "name=... per_s=... ..."),
unexpected.txt, failures.txt, load_start.txt, load_end.txt. Every figure is
the median over the reps; ratios are after / before (for rates higher is
better, for latencies lower is better). Stdlib only.
"""
import argparse
import os
import platform
import statistics
import time

from report import kv  # the key=value parser of the RESULT lines, beside us

BUILDS = ("before", "after")


def read_rows(path):
    """[(scenario, build, rep, {key: value})]; scenario.build split at the last dot."""
    rows = []
    if os.path.exists(path):
        for line in open(path):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4 and "." in parts[0]:
                sc, build = parts[0].rsplit(".", 1)
                rows.append((sc, build, parts[2], kv(parts[3])))
    return rows


def med(xs):
    xs = [x for x in xs if isinstance(x, float) and x == x]
    return statistics.median(xs) if xs else None


def fmt(v):
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 1000:
        return "{:,.0f}".format(v)
    if a >= 100:
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    return "%.2f" % v


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(r):
    return "n/a" if r is None else "%.2fx" % r


def text(path):
    return open(path).read().strip() if os.path.exists(path) else ""


def main():
    ap = argparse.ArgumentParser()
    for name in ("out-dir", "steps", "before", "after", "commit-before", "commit-after",
                 "server-args-before", "server-args-after"):
        ap.add_argument("--" + name, default="")
    for name in ("reps", "duration", "warmup", "conns", "mix-clients", "books", "pages",
                 "iso-clients", "iso-search-conns", "iso-book", "elapsed"):
        ap.add_argument("--" + name, default="?")
    a = ap.parse_args()
    rows = read_rows(os.path.join(a.out_dir, "ours.tsv"))
    ops = read_rows(os.path.join(a.out_dir, "mix_ops.tsv"))

    def value(rs, sc, build, key, name=None):
        sel = [r[3] for r in rs if r[0] == sc and r[1] == build
               and (name is None or r[3].get("name") == name)]
        return med([r.get(key) for r in sel]), len(sel)

    out = []
    w = out.append
    w("# Reads: before vs after")
    w("")
    w("Written by `bench/reads_compare.sh`. Medians over %s rep(s) of %s s (after %s s "
      "of warm-up); ratio = after / before (rates: higher is better; latencies, "
      "ms at the client: lower is better). Each scenario runs on a fresh server "
      "with a fresh copy of a %s-book catalog, before and after interleaved; "
      "the load generators share the machine's cores with the server."
      % (a.reps, a.duration, a.warmup, a.books))
    w("")
    w("- before: `%s`, commit %s, extra server options: `%s`"
      % (a.before, a.commit_before or "unknown", a.server_args_before or "none"))
    w("- after: `%s`, commit %s, extra server options: `%s`"
      % (a.after, a.commit_after or "unknown", a.server_args_after or "none"))
    w("- machine: nproc %d, %s; load average at start %s, at the end %s; %s; the run took %s s"
      % (os.cpu_count() or 0, platform.machine(),
         text(os.path.join(a.out_dir, "load_start.txt")) or "?",
         text(os.path.join(a.out_dir, "load_end.txt")) or "?",
         time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), a.elapsed))
    w("")
    w("| scenario | rate before | rate after | ratio | p50 before | p50 after | ratio "
      "| p99 before | p99 after | ratio | reps |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")

    def row(label, rs, sc, keys, name=None):
        cells = [label]
        ns = []
        for key in keys:
            vb, nb = value(rs, sc, "before", key, name)
            va, na = value(rs, sc, "after", key, name)
            ns = [nb, na]
            cells += [fmt(vb), fmt(va), fmt_ratio(ratio(va, vb))]
        cells.append("%d / %d" % tuple(ns))
        w("| " + " | ".join(cells) + " |")

    steps = a.steps.split()
    wrk_keys = ("rps", "p50_ms", "p99_ms")
    if "search" in steps:
        row("search: `GET /books?q=WORD`, %s conns (req/s)" % a.conns, rows, "search", wrk_keys)
    if "browse" in steps:
        row("browse: `GET /books?page=P`, P 1..%s, %s conns (req/s)" % (a.pages, a.conns),
            rows, "browse", wrk_keys)
    if "get_book" in steps:
        row("get_book: `GET /books/{id}`, %s conns (req/s)" % a.conns, rows, "get_book", wrk_keys)
    if "mix" in steps:
        row("mix: all operations, %s clients (req/s)" % a.mix_clients, rows, "mix",
            ("ops_per_s", "p50_ms", "p99_ms"))
        names = []
        for r in ops:
            if r[0] == "mix" and r[3].get("name") not in names:
                names.append(r[3].get("name"))
        for n in names:
            row("mix: %s (req/s)" % n, ops, "mix", ("per_s", "p50_ms", "p99_ms"), n)
    if "isolation" in steps:
        co = ("checkouts_per_s", "co_p50_ms", "co_p99_ms")
        row("isolation: checkouts alone, %s clients, book %s (checkouts/s)"
            % (a.iso_clients, a.iso_book), rows, "iso_alone", co)
        row("isolation: checkouts under %s search conns (checkouts/s)" % a.iso_search_conns,
            rows, "iso_search", co)
        # under search / alone, per build (ratio of the medians)
        cells = ["isolation: under search / alone"]
        for key in co:
            rb = ratio(value(rows, "iso_search", "before", key)[0],
                       value(rows, "iso_alone", "before", key)[0])
            ra = ratio(value(rows, "iso_search", "after", key)[0],
                       value(rows, "iso_alone", "after", key)[0])
            cells += [fmt_ratio(rb), fmt_ratio(ra), fmt_ratio(ratio(ra, rb))]
        cells.append("")
        w("| " + " | ".join(cells) + " |")
        row("isolation: the searches during the checkouts (req/s)", rows, "iso_search",
            ("search_rps", "search_p50_ms", "search_p99_ms"))
    w("")
    w("Rates are req/s, checkouts/s for the isolation rows; p50 / p99 in ms "
      "(checkout latency for the isolation rows). The under search / alone line "
      "divides the medians of the two lines above it, for each build; its ratio "
      "column is after's quotient / before's. The searches during the checkouts ran "
      "from the flash generator's setup to its end (wrk stopped with SIGINT).")
    w("")
    w("## Unexpected statuses and failures")
    w("")
    unexpected = text(os.path.join(a.out_dir, "unexpected.txt"))
    failures = text(os.path.join(a.out_dir, "failures.txt"))
    if not unexpected and not failures:
        w("None: every wrk run had 0 non-2xx answers and 0 socket errors, every "
          "http_flash / http_mix run 0 unexpected statuses.")
    else:
        w("```")
        if failures:
            w("failures:")
            w(failures)
        if unexpected:
            w(unexpected)
        w("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()
