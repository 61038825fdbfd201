#!/usr/bin/env python3
"""The results section of bench/run-national.sh: reads the run's figures (facts.properties, one CSV per load command
and corpus size, the peer's and the ingest's key=value files), prints a Markdown section with the summary table (each
figure next to the peer's where a peer exists, the ratio, the target and whether it is met) and the detailed tables,
and appends the plotted rows (p50/p99/p99.9 at each request kind's reference rate) to the summary CSV."""
import argparse
import csv
import datetime
import os
import sys

# Reference open-model rate per request kind: the rate whose latency is plotted against corpus size.
REFERENCE = {"prior-check": 10, "order-sign": 10, "search": 100, "iti18": 100}
TITLES = {"prior-check": "prior check `$prior-check`", "order-sign": "CDS Hooks order-sign",
          "search": "ImagingStudy search", "iti18": "ITI-18 FindDocuments"}
SERIES = {"prior-check": "prior-check", "order-sign": "order-sign", "search": "search", "iti18": "FindDocuments"}


def properties(path):
    result = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    k, v = line.split("=", 1)
                    result[k.strip()] = v.strip()
    return result


def rows(path, series=None):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if series is None or r["series"] == series]


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fmt(value, digits=0, unit=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def kept_up(phases, p99_limit=None):
    """The open-model phase with the highest throughput that kept up: >= 95 % of its rate, no errors (and p99 within
    the limit when one is given)."""
    best = None
    for r in phases:
        if r["model"] != "open":
            continue
        rate, thr, err, p99 = num(r["load"]), num(r["throughput"]), num(r["errors"]), num(r["p99_ms"])
        if rate and thr is not None and err == 0 and thr >= 0.95 * rate and (p99_limit is None or (p99 is not None and p99 <= p99_limit)):
            if best is None or thr > num(best["throughput"]):
                best = r
    return best


def at_rate(phases, rate, model="open"):
    for r in phases:
        if r["model"] == model and int(float(r["load"])) == rate:
            return r
    return None


def closed(phases):
    return [r for r in phases if r["model"] == "closed"]


def ratio(ours, theirs):
    if ours is None or theirs is None or theirs == 0:
        return "–"
    return f"{ours / theirs:.2f}×"


def main():
    ap = argparse.ArgumentParser()
    for name in ("facts", "work", "mode", "command", "commit", "machine", "load-before", "load-after", "cold", "csv", "note"):
        ap.add_argument("--" + name, default="")
    a = ap.parse_args()
    facts = properties(a.facts)
    sizes = sorted({int(k.split(".", 1)[0]) for k in facts if k.split(".", 1)[0].isdigit()})
    peer = {k[5:]: v for k, v in facts.items() if k.startswith("peer.")}
    peer_patient = rows(os.path.join(a.work, "peer", "peer-patient.csv"), "search")
    peer_chained = rows(os.path.join(a.work, "peer", "peer-identifier.csv"), "search")
    if peer_patient or peer_chained:
        k = kept_up(peer_patient)
        if k:
            peer["search_kept_up_throughput"], peer["search_kept_up_p99_ms"] = k["throughput"], k["p99_ms"]
        r = at_rate(peer_patient, REFERENCE["search"])
        if r and r["p99_ms"]:
            peer["search_ref_latency"] = f"{r['p50_ms']} / {r['p99_ms']} / {r['p999_ms']}"
            peer["search_ref_throughput"], peer["search_ref_p50_ms"] = r["throughput"], r["p50_ms"]
            peer["search_ref_p99_ms"], peer["search_ref_p999_ms"] = r["p99_ms"], r["p999_ms"]
        c = closed(peer_patient)
        if c:
            peer["search_closed_throughput"], peer["search_closed_p99_ms"] = c[0]["throughput"], c[0]["p99_ms"]
            peer["search_closed_connections"] = c[0]["load"]
        c = closed(peer_chained)
        if c:
            peer["chained_closed_throughput"], peer["chained_closed_p99_ms"] = c[0]["throughput"], c[0]["p99_ms"]
    best_post = None
    for key, value in peer.items():
        if key.startswith("post_") and key.endswith("_throughput"):
            rate = num(key[5:-11])
            thr, err = num(value), num(peer.get(f"post_{key[5:-11]}_errors"))
            if rate and thr is not None and thr >= 0.95 * rate and not err and (best_post is None or thr > best_post[0]):
                best_post = (thr, peer.get(f"post_{key[5:-11]}_p99_ms"))
    if best_post:
        peer["post_kept_up_throughput"], peer["post_kept_up_p99_ms"] = best_post
    now = datetime.datetime.now(datetime.timezone.utc)
    out = []
    w = out.append
    w("")
    w(f"## National scale ({a.mode} mode): {', '.join(f'{s:,}' for s in sizes)} studies — {now:%Y-%m-%d %H:%M} UTC")
    w("")
    w(f"Command: `{a.command}` ({a.commit}). Machine: {a.machine}. Load average (1/5/15 min) before {a.load_before}, "
      f"after {a.load_after}; the run took {int(num(facts.get('total_seconds')) or 0) // 60} min. The load generator, the "
      f"gateway (or the peer) and PostgreSQL share the same cores; consent and audit are on, as shipped. Cold phases: "
      f"{a.cold}.")
    w("")

    def phases(size, kind):
        return rows(os.path.join(a.work, f"{size}-{kind}.csv"), SERIES[kind])

    big = sizes[-1] if sizes else None
    peer_studies = num(peer.get("studies"))
    w("| measure | " + " | ".join(f"Beeldbrug, {s:,} studies" for s in sizes)
      + f" | peer (HAPI FHIR JPA 8.8.0{', ' + fmt(peer_studies) + ' studies' if peer_studies else ''}) | ratio | target |")
    w("|---|" + "---:|" * len(sizes) + "---:|---:|---|")

    def row(label, ours_by_size, peer_value=None, ratio_value="–", target=""):
        w(f"| {label} | " + " | ".join(ours_by_size) + f" | {peer_value or '–'} | {ratio_value} | {target} |")

    for kind in ("prior-check", "order-sign", "search", "iti18"):
        limit = 50 if kind == "iti18" else None
        cells, best_thr = [], None
        for s in sizes:
            k = kept_up(phases(s, kind), limit)
            cells.append(f"{fmt(num(k['throughput']))} req/s (p99 {k['p99_ms']} ms)" if k else "none kept up")
            if s == big and k:
                best_thr = num(k["throughput"])
        peer_cell, peer_thr = None, None
        if kind in ("search", "prior-check", "order-sign") and peer:
            # the prior check is compared with the peer's ImagingStudy search (the target)
            peer_thr = num(peer.get("search_kept_up_throughput"))
            peer_cell = (("search: " if kind != "search" else "")
                         + f"{fmt(peer_thr)} req/s (p99 {peer.get('search_kept_up_p99_ms', '–')} ms)") if peer_thr else None
        target = {"prior-check": "p99 ≤ 10 ms at ≥ 10× the peer's search throughput", "iti18": "≥ 1,000 req/s at p99 ≤ 50 ms"}.get(kind, "")
        row(f"{TITLES[kind]}: highest fixed rate kept up" + (" with p99 ≤ 50 ms" if limit else ""), cells, peer_cell,
            ratio(best_thr, peer_thr), target)
        cells = []
        for s in sizes:
            r = at_rate(phases(s, kind), REFERENCE[kind])
            cells.append(f"{r['p50_ms']} / {r['p99_ms']} / {r['p999_ms']}" if r and r["p99_ms"] else "–")
        row(f"{TITLES[kind]}: p50 / p99 / p99.9 ms at {REFERENCE[kind]} req/s (warm)", cells,
            peer.get("search_ref_latency") if kind == "search" else None)
        cold = [next((r for r in phases(s, kind) if r["model"] == "cold"), None) for s in sizes]
        if any(cold):
            row(f"{TITLES[kind]}: p50 / p99 / p99.9 ms cold (first {cold[0]['seconds'] if cold[0] else '?'} s after a start)",
                [f"{r['p50_ms']} / {r['p99_ms']} / {r['p999_ms']}" if r and r["p99_ms"] else "–" for r in cold])
        cells, ours_closed = [], None
        for s in sizes:
            c = closed(phases(s, kind))
            cells.append(", ".join(f"{fmt(num(r['throughput']))} req/s at {r['load']} conn. (p99 {r['p99_ms']} ms)" for r in c) or "–")
            if s == big and c:
                ours_closed = num(c[0]["throughput"])
        peer_closed = num(peer.get("search_closed_throughput")) if kind in ("search", "prior-check", "order-sign") else None
        row(f"{TITLES[kind]}: closed model", cells,
            ("search: " if kind != "search" else "")
            + f"{fmt(peer_closed)} req/s at {peer.get('search_closed_connections', '?')} conn. (p99 {peer.get('search_closed_p99_ms', '–')} ms)" if peer_closed else None,
            ratio(ours_closed, peer_closed), "≥ 10× the peer's search at the same concurrency, p99 ≤ 10 ms" if kind == "prior-check" else "")
    if peer:
        chained = num(peer.get("chained_closed_throughput"))
        if chained:
            w(f"| peer: chained `patient.identifier=` search, closed model | " + " | ".join("" for _ in sizes)
              + f" | {fmt(chained)} req/s (p99 {peer.get('chained_closed_p99_ms', '–')} ms) | | |")
    prior = {s: at_rate(phases(s, "prior-check"), REFERENCE["prior-check"]) for s in sizes}
    if len(sizes) > 1 and prior[sizes[0]] and prior[big] and num(prior[sizes[0]]["p99_ms"]):
        growth = num(prior[big]["p99_ms"]) / num(prior[sizes[0]]["p99_ms"])
        row(f"prior check p99 growth {sizes[0]:,} → {big:,}", ["" for _ in sizes[:-1]] + [f"{growth:.2f}×"], None, "–", "≤ 2×")
    ingest = [num(facts.get(f"{s}.ingest_registrations_per_second")) for s in sizes]
    peer_post = num(peer.get("post_kept_up_throughput"))
    row("ingest: durable ITI-41 registrations/s (peer: single-resource POST/s kept up)", [fmt(v, 1) for v in ingest],
        fmt(peer_post, 1) if peer_post else None, ratio(ingest[-1] if ingest else None, peer_post), "≥ 2× the peer's POST rate")
    row("ingest: bulk load, studies/s", [fmt(num(facts.get(f"{s}.bulk_studies_per_second"))) for s in sizes],
        fmt(num(peer.get("load_studies_per_second"))) + " (transaction bundles)" if peer.get("load_studies_per_second") else None,
        ratio(num(facts.get(f"{big}.bulk_studies_per_second")), num(peer.get("load_studies_per_second"))))
    per_million = {}
    for s in sizes:
        b, n = num(facts.get(f"{s}.db_bytes")), num(facts.get(f"{s}.studies")) or s
        per_million[s] = b / n * 1e6 / 1e6 if b else None
    peer_pm = None
    if peer.get("db_bytes") and peer_studies:
        peer_pm = num(peer["db_bytes"]) / peer_studies
    row("database MB per million studies (all indexes)", [fmt(per_million[s]) for s in sizes], fmt(peer_pm) if peer_pm else None,
        ratio(peer_pm, per_million.get(big)) + " smaller" if peer_pm and per_million.get(big) else "–", "≤ 300 MB (≥ 30× smaller)")
    row("gateway heap used / max MB after the run", [f"{facts.get(f'{s}.heap_used_mb', '–')} / {facts.get(f'{s}.heap_max_mb', '–')}" for s in sizes])
    row("RSS MB at most", [facts.get(f"{s}.rss_max_mb", "–") for s in sizes], peer.get("rss_max_mb"),
        ratio(num(peer.get("rss_max_mb")), num(facts.get(f"{big}.rss_max_mb"))) + " smaller" if peer.get("rss_max_mb") and facts.get(f"{big}.rss_max_mb") else "–")
    row("start-up to ready, s (cold)", [facts.get(f"{s}.start_seconds", "–") for s in sizes], peer.get("start_seconds"),
        ratio(num(peer.get("start_seconds")), num(facts.get(f"{big}.start_seconds"))) + " faster" if peer.get("start_seconds") else "–", "≤ 15 s")
    row("recovery after kill -9 of the JVM: restart to ready, s", [facts.get(f"{s}.recovery_seconds_jvm", "–") for s in sizes])
    row("recovery after kill -9 of the JVM and PostgreSQL: restart to ready, s (of it PostgreSQL's WAL replay)",
        [f"{facts.get(f'{s}.recovery_seconds_jvm_pg', '–')} ({facts.get(f'{s}.pg_crash_recovery_seconds_jvm_pg', '–')})" for s in sizes])
    row("acknowledged registrations lost / half-stored after kill -9",
        [f"{facts.get(f'{s}.lost', '–')} / {facts.get(f'{s}.half_stored', '–')}" for s in sizes], None, "–", "0 / 0")
    w("")
    for s in sizes:
        load = facts.get(f"{s}.load_during", "")
        w(f"At {s:,} studies: CPU over the measured phases gateway {facts.get(f'{s}.gateway_cpu_seconds', '–')} s, PostgreSQL "
          f"{facts.get(f'{s}.postgres_cpu_seconds', '–')} s; 1-minute load average during them {load}.")
    w("")
    for s in sizes:
        for kind in ("prior-check", "order-sign", "search", "iti18"):
            md = os.path.join(a.work, f"{s}-{kind}.md")
            if os.path.exists(md):
                w(f"<details><summary>{TITLES[kind]}, {s:,} studies: every phase</summary>")
                w("")
                w(open(md, encoding="utf-8").read().strip())
                w("")
                w("</details>")
                w("")
    for s in sizes:
        path = os.path.join(a.work, f"{s}-sizes.md")
        if os.path.exists(path):
            w(open(path, encoding="utf-8").read().strip())
            w("")
    for name in ("peer-results.md", "ingest-results.md"):
        path = os.path.join(a.work, name)
        if os.path.exists(path):
            w(open(path, encoding="utf-8").read().strip())
            w("")
    if a.note:
        w(a.note)
        w("")
    print("\n".join(out))

    if a.csv:
        new = not os.path.exists(a.csv)
        os.makedirs(os.path.dirname(a.csv) or ".", exist_ok=True)
        with open(a.csv, "a", encoding="utf-8", newline="") as f:
            cw = csv.writer(f)
            if new:
                cw.writerow(["date", "commit", "mode", "studies", "label", "throughput", "p50_ms", "p99_ms", "p999_ms"])
            commit = a.commit.split("`")[1] if "`" in a.commit else a.commit
            for s in sizes:
                for kind in ("prior-check", "order-sign", "search", "iti18"):
                    r = at_rate(phases(s, kind), REFERENCE[kind])
                    if r and r["p99_ms"]:
                        cw.writerow([f"{now:%Y-%m-%dT%H:%MZ}", commit, a.mode, s, f"Beeldbrug {TITLES[kind].replace('`', '')} @{REFERENCE[kind]}/s",
                                     r["throughput"], r["p50_ms"], r["p99_ms"], r["p999_ms"]])
            if peer.get("search_ref_p99_ms") and peer_studies:
                cw.writerow([f"{now:%Y-%m-%dT%H:%MZ}", commit, a.mode, int(peer_studies), f"peer ImagingStudy search @{REFERENCE['search']}/s",
                             peer.get("search_ref_throughput", ""), peer.get("search_ref_p50_ms", ""), peer["search_ref_p99_ms"],
                             peer.get("search_ref_p999_ms", "")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
