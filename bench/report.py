#!/usr/bin/env python3
"""Writes bench/RESULTS.md and the scaling data from one bench/run.sh run.

Reads, in --out-dir: ours.tsv (scenario, clients, rep, "key=value ..."),
mix_ops.tsv, unexpected.txt, failures.txt, load_start.txt and the anchors'
pg_runs.tsv / http_runs.tsv. Every figure is the median over the reps; the
anchors' runs during which other processes used more than 5 % of the CPU are
left out when clean runs exist (as the anchors' own stats.py does).
Stdlib only.
"""
import argparse
import os
import platform
import statistics
import subprocess
import time

MAX_FOREIGN_PCT = 5.0


def kv(text):
    out = {}
    for item in text.split():
        if "=" in item:
            k, v = item.split("=", 1)
            try:
                out[k] = float(v)
            except ValueError:
                out[k] = v
    return out


def read_ours(path):
    rows = []
    if os.path.exists(path):
        for line in open(path):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                rows.append((parts[0], int(parts[1]), parts[2], kv(parts[3])))
    return rows


def read_tsv(path):
    if not os.path.exists(path):
        return []
    lines = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    if not lines:
        return []
    header = lines[0]
    return [dict(zip(header, l)) for l in lines[1:]]


def med(xs):
    xs = [x for x in xs if isinstance(x, float) and x == x]
    return statistics.median(xs) if xs else None


def ours(rows, scenario, clients, key):
    return med([r[3].get(key) for r in rows if r[0] == scenario and r[1] == clients])


def ours_n(rows, scenario, clients):
    return len([r for r in rows if r[0] == scenario and r[1] == clients])


def anchor(rows, match, key):
    """Median of key over the clean rows that match (all rows if none is)."""
    sel = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    clean = [r for r in sel if float(r.get("foreign_pct", "0") or 0) <= MAX_FOREIGN_PCT]
    use = clean or sel
    vals = []
    for r in use:
        try:
            vals.append(float(r[key]))
        except (KeyError, ValueError):
            pass
    return med(vals), len(clean), len(sel)


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 1000:
        s = "{:,.0f}".format(v)
    elif a >= 100:
        s = "%.0f" % v
    elif a >= 10:
        s = "%.1f" % v
    else:
        s = "%.2f" % v
    return s + unit


def lat(p50, p99, mx):
    return "%s / %s / %s" % (fmt(p50), fmt(p99), fmt(mx))


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except Exception:
        return ""


def main():
    ap = argparse.ArgumentParser()
    for name in ["out-dir", "results", "plot-prefix", "elapsed", "quick", "reps",
                 "duration", "warmup", "pg-duration", "read-duration", "clients",
                 "scale-clients", "spread-books", "http-conns", "mix-clients",
                 "mem-books", "idle-s", "idle-option", "build-dir", "anchor-dir", "server-args"]:
        ap.add_argument("--" + name, required=name != "server-args", default="")
    a = ap.parse_args()
    d = a.out_dir
    C = int(a.clients)
    conns = a.http_conns
    rows = read_ours(os.path.join(d, "ours.tsv"))
    pg = read_tsv(os.path.join(d, "anchor-pg-hot", "pg_runs.tsv")) + \
        read_tsv(os.path.join(d, "anchor-pg-more", "pg_runs.tsv"))
    http = read_tsv(os.path.join(d, "anchor-http", "http_runs.tsv"))

    def pgv(script, c, key):
        return anchor(pg, {"script": script, "clients": str(c)}, key)[0]

    def pglat(script, c):
        return lat(pgv(script, c, "p50_ms"), pgv(script, c, "p99_ms"), pgv(script, c, "max_ms"))

    ng_rps, ng_clean, ng_all = anchor(http, {"workers": "1", "method": "get", "conns": conns}, "rps")
    ng_lat = lat(*(anchor(http, {"workers": "1", "method": "get", "conns": conns}, k)[0]
                   for k in ("p50_ms", "p99_ms", "max_ms")))

    def ratio(x, y):
        return None if x is None or not y else x / y

    def met(v, ok):
        if v is None:
            return "n/a"
        return "**yes**" if ok(v) else "**no**"

    table = []

    def row(scenario, o, olat, an, anlat, r, target, m):
        table.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            scenario, o, olat, an, anlat, fmt(r, "x") if r is not None else "n/a", target, m))

    f0 = ours(rows, "flash0", C, "checkouts_per_s")
    f0lat = lat(*(ours(rows, "flash0", C, k) for k in ("co_p50_ms", "co_p99_ms", "co_max_ms")))
    pg0 = pgv("hot_checkout", C, "tps")
    r0 = ratio(f0, pg0)
    row("(a) flash sale, 1 book, %d clients, payment 0 ms: checkouts/s" % C, fmt(f0), f0lat,
        fmt(pg0), pglat("hot_checkout", C), r0, ">= 10x PostgreSQL", met(r0, lambda v: v >= 10))
    p99 = ours(rows, "flash0", C, "co_p99_ms")
    row("(a) same run: checkout p99", fmt(p99, " ms"), "", fmt(pgv("hot_checkout", C, "p99_ms"), " ms"),
        "", None, "<= 10 ms", met(p99, lambda v: v <= 10))
    opc = ours(rows, "flash0", C, "orders_per_commit")
    row("(a) same run: orders per SQLite commit (from /metrics)", fmt(opc), "", "n/a (1 per commit)",
        "", None, ">= 32", met(opc, lambda v: v >= 32))
    f20 = ours(rows, "flash20", C, "checkouts_per_s")
    f20lat = lat(*(ours(rows, "flash20", C, k) for k in ("co_p50_ms", "co_p99_ms", "co_max_ms")))
    pg20 = pgv("hot_checkout_payment", C, "tps")
    r20 = ratio(f20, pg20)
    row("(a) flash sale, payment 20 ms: checkouts/s", fmt(f20), f20lat, fmt(pg20),
        pglat("hot_checkout_payment", C), r20, ">= 50x PostgreSQL", met(r20, lambda v: v >= 50))
    sp = ours(rows, "spread", C, "checkouts_per_s")
    splat = lat(*(ours(rows, "spread", C, k) for k in ("co_p50_ms", "co_p99_ms", "co_max_ms")))
    pgs = pgv("spread_checkout", C, "tps")
    row("(b) checkouts spread over %s books, %d clients: checkouts/s" % (a.spread_books, C), fmt(sp),
        splat, fmt(pgs), pglat("spread_checkout", C), ratio(sp, pgs), "none", "")
    gb = ours(rows, "get_book", int(conns), "rps")
    gblat = lat(*(ours(rows, "get_book", int(conns), k) for k in ("p50_ms", "p99_ms", "max_ms")))
    rg = ratio(gb, ng_rps)
    row("(c) GET /books/{id}, %s connections: req/s" % conns, fmt(gb), gblat, fmt(ng_rps), ng_lat, rg,
        ">= 0.5x nginx", met(rg, lambda v: v >= 0.5))
    se = ours(rows, "search", int(conns), "rps")
    selat = lat(*(ours(rows, "search", int(conns), k) for k in ("p50_ms", "p99_ms", "max_ms")))
    row("(c) GET /books?q=WORD, %s connections: req/s" % conns, fmt(se), selat, fmt(ng_rps), ng_lat,
        ratio(se, ng_rps), "none", "")
    M = int(a.mix_clients)
    mx = ours(rows, "mix", M, "ops_per_s")
    mxlat = lat(*(ours(rows, "mix", M, k) for k in ("p50_ms", "p99_ms", "max_ms")))
    row("(d) TPC-W-like ordering mix, %d clients: requests/s (all operations)" % M, fmt(mx), mxlat,
        "no anchor", "", None, "none", "")
    mem = [r[3] for r in rows if r[0] == "memory"]
    hwm = mem[0].get("hwm_kb") if mem else None
    hwm_mib = hwm / 1024 if isinstance(hwm, float) else None
    row("(e) %s books, each fetched once, passivation on: peak RSS (VmHWM)" % a.mem_books,
        fmt(hwm_mib, " MiB"), "", "n/a", "", None, "<= 1.5 GiB (1,536 MiB)" +
        ("" if int(a.mem_books) >= 1000000 else " at 1,000,000 books"),
        met(hwm_mib, lambda v: v <= 1536) if int(a.mem_books) >= 1000000 else "not measured at 1,000,000")

    # Scaling curve
    scale = [int(c) for c in a.scale_clients.split()]
    dat = ["# clients ours_cps ours_p99_ms pg_cps pg_p99_ms  (medians; ? = not measured)"]
    srows = []
    for c in scale:
        oc, op = ours(rows, "flash0", c, "checkouts_per_s"), ours(rows, "flash0", c, "co_p99_ms")
        pc, pp = pgv("hot_checkout", c, "tps"), pgv("hot_checkout", c, "p99_ms")
        dat.append("%d %s %s %s %s" % (c, *("?" if v is None else "%.3f" % v for v in (oc, op, pc, pp))))
        note = "" if pc is not None or c < 100 else " (anchor's max_connections = 100)"
        srows.append("| %d | %s | %s | %s | %s%s | %s | %d |" % (
            c, fmt(oc), fmt(op), fmt(pc), fmt(pp), note, fmt(ratio(oc, pc), "x"),
            ours_n(rows, "flash0", c)))
    with open(a.plot_prefix + ".dat", "w") as f:
        f.write("\n".join(dat) + "\n")

    # Mix per operation
    ops = {}
    mp = os.path.join(d, "mix_ops.tsv")
    if os.path.exists(mp):
        for line in open(mp):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                k = kv(parts[3])
                ops.setdefault(k["name"], []).append(k)
    weights = {"browse": 350, "search": 200, "detail": 200, "add": 120, "buy": 80,
               "cart": 30, "orders": 19, "register": 1}
    oprows = []
    for name, w in weights.items():
        ks = ops.get(name, [])
        oprows.append("| %s | %.1f %% | %s | %s |" % (
            name, w / 10, fmt(med([k.get("per_s") for k in ks])),
            lat(*(med([k.get(x) for k in ks]) for x in ("p50_ms", "p99_ms", "max_ms")))))

    def text(name):
        p = os.path.join(d, name)
        return open(p).read().strip() if os.path.exists(p) else ""

    commit = sh("git rev-parse --short HEAD")
    dirty = sh("git status --porcelain --untracked-files=no -- actors gateway storage model app")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").strip()
    quick = a.quick == "1"
    R, D, W = a.reps, a.duration, a.warmup
    out = []
    p = out.append
    p("# Benchmark results: ours vs the anchors" + (" (QUICK=1: pipeline check, not a measurement)" if quick else ""))
    p("")
    p("Written by `bench/run.sh`%s. Every figure is the median of %s rep(s); latency is"
      " p50 / p99 / max in ms, per request, measured at the client. **The load generators"
      " (http_flash, http_mix, wrk, pgbench) run on the same machine as the server they"
      " load and share its cores.**" % (" with QUICK=1" if quick else "", R))
    p("")
    p("## Machine")
    p("")
    p("- date: %s; the run took %s s" % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), a.elapsed))
    p("- commit: %s%s" % (commit, " (with uncommitted changes in the server's folders)" if dirty else ""))
    p("- nproc: %s; CPU: %s; kernel %s" % (os.cpu_count(), cpu, platform.release()))
    p("- load average at start: %s; at the end: %s" % (text("load_start.txt") or "n/a",
                                                        " ".join(open("/proc/loadavg").read().split()[:3])))
    p("- server build: `%s` (RelWithDebInfo); extra server options: `%s`; anchors: `%s`" % (
        a.build_dir, a.server_args or "none", a.anchor_dir))
    p("")
    p("## Results and targets")
    p("")
    p("| scenario | ours (median) | ours p50 / p99 / max ms | anchor (median) | anchor p50 / p99 / max ms | ratio | target | met? |")
    p("|---|---:|---|---:|---|---:|---|---|")
    out.extend(table)
    p("")
    p("Anchors: PostgreSQL 15 (`pg_baseline.sh`: the original checkout under pgbench, `SELECT ... FOR UPDATE`"
      " on the book, the 20 ms payment inside the transaction) and nginx returning a fixed 200-byte JSON"
      " (`http_ceiling.sh`, 1 worker, GET); the nginx figure is the ceiling for both read rows, and our"
      " search answers carry 20 books, not 200 bytes. The mix has no anchor.")
    if mem:
        m = mem[0]
        p("")
        p("Memory (e): %s books; passivation idle timeout %s s (`%s`); the sweep took %s s at %s req/s."
          " RSS: %s MiB at start, %s MiB at the end of the sweep (%s live book actors), %s MiB after"
          " waiting for passivation (%s live); peak VmHWM %s MiB, highest 0.5 s sample %s MiB." % (
              a.mem_books, a.idle_s, a.idle_option, fmt(m.get("sweep_s")), fmt(m.get("ops_per_s")),
              *(fmt(m.get(k) / 1024) if isinstance(m.get(k), float) else "n/a"
                for k in ("rss_start_kb", "rss_end_kb")), fmt(m.get("live_end")),
              fmt(m.get("rss_after_kb") / 1024) if isinstance(m.get("rss_after_kb"), float) else "n/a",
              fmt(m.get("live_after")), fmt(hwm_mib),
              fmt(m.get("peak_sampled_kb") / 1024) if isinstance(m.get("peak_sampled_kb"), float) else "n/a"))
    p("")
    p("## Scaling: flash sale on one book, payment 0 ms")
    p("")
    p("![scaling](scaling.png)")
    p("")
    p("| clients | ours checkouts/s | ours p99 ms | PostgreSQL checkouts/s | PostgreSQL p99 ms | ratio | our runs |")
    p("|---:|---:|---:|---:|---:|---:|---:|")
    out.extend(srows)
    p("")
    p("Data: `scaling.dat` (plotted by `scaling.gp`). pgbench cannot run 256 clients against the anchor's"
      " `max_connections = 100`, so PostgreSQL has no 256-client point.")
    p("")
    p("## (d) The mix, per operation (%s clients)" % M)
    p("")
    p("| operation | weight | req/s | p50 / p99 / max ms |")
    p("|---|---:|---:|---|")
    out.extend(oprows)
    p("")
    p("browse = `GET /books?page=P&size=20`, search = `GET /books?q=WORD`, detail = `GET /books/{id}`,"
      " add = `POST /cart/items` (a book not in the cart), buy = `POST /orders/checkout` (an add instead"
      " when the cart is empty), cart = `GET /cart`, orders = `GET /orders`, register ="
      " `POST /auth/register` (the client goes on as the new user). Registration is 0.1 %, not TPC-W's"
      " ~13 %: here it costs an Argon2id hash (~70 ms of CPU) by design.")
    p("")
    p("## Unexpected statuses and failures")
    p("")
    unexpected, failures = text("unexpected.txt"), text("failures.txt")
    p("```")
    p(unexpected or "no unexpected status, no transport error")
    p("```")
    p("")
    p("```")
    p(failures or "no failure: every step ran, every server exited 0 after SIGTERM")
    p("```")
    p("")
    p("## Commands")
    p("")
    p("```sh")
    p("%sbench/run.sh   # BUILD_DIR=%s; raw outputs in %s" % ("QUICK=1 " if quick else "", a.build_dir, d))
    p("# anchors (from %s):" % a.anchor_dir)
    p("SCRIPTS=hot_checkout CLIENTS='<scale clients < 100>' DURATION=%s REPS=%s FSYNC_TEST=0 ./pg_baseline.sh" % (a.pg_duration, R))
    p("SCRIPTS='hot_checkout_payment spread_checkout' CLIENTS=%d DURATION=%s REPS=%s FSYNC_TEST=0 ./pg_baseline.sh" % (C, a.pg_duration, R))
    p("WORKERS=1 METHODS=get CONNS=%s DURATION=%s REPS=%s ./http_ceiling.sh" % (conns, a.read_duration, R))
    p("# ours: a fresh server per run: bookstore serve --port 0 --db <fresh file> --payment-failure-rate 0 --payment-latency-ms {0,20}")
    p("http_flash --clients {%s} --seconds %s --warmup %s --server-pid PID              # (a), scaling" % (
        ",".join(a.scale_clients.split()), D, W))
    p("http_flash --clients %d --seconds %s --warmup %s --books %s --first-book 1       # (b), seeded catalog" % (C, D, W, a.spread_books))
    p("wrk -t1 -c%s -d%ss --latency -s bench/wrk/book_get.lua    # (c), after a %s s warm-up" % (conns, a.read_duration, W))
    p("wrk -t1 -c%s -d%ss --latency -s bench/wrk/book_search.lua # (c)" % (conns, a.read_duration))
    p("http_mix --clients %s --seconds %s --warmup %s --books %s --words <32 words>      # (d)" % (M, D, W, a.spread_books))
    p("http_mix --mode sweep --clients 64 --books %s                               # (e), VmHWM from /proc" % a.mem_books)
    p("```")
    with open(a.results, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
