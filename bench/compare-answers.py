#!/usr/bin/env python3
"""Compares the answers of two builds of the name index.

    BENCH_DUMP=/tmp/a.txt build-a/bench/bench_names_speed DIR
    BENCH_DUMP=/tmp/b.txt build-b/bench/bench_names_speed DIR
    bench/compare-answers.py /tmp/a.txt /tmp/b.txt

A match of A is "lost" when B does not return it although it scores above
the lowest of B's answers (or B returned fewer than the limit); "gained"
the other way round. Changed scores are listed too. Exit status 1 when
anything was lost."""
import sys

LIMIT = 10


def load(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            _, rest = line.rstrip("\n").split(" ", 1)
            name, matches = rest.rsplit("|", 1)
            ms = {}
            for m in matches.split():
                entry, score = m.rsplit(":", 1)
                ms[entry] = int(score)
            out.append((name, ms))
    return out


def floor(ms):
    return min(ms.values()) if len(ms) >= LIMIT else -1


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare-answers.py A B (files written with BENCH_DUMP)")
    a, b = load(sys.argv[1]), load(sys.argv[2])
    if len(a) != len(b):
        sys.exit("the files answer different numbers of queries: %d and %d" % (len(a), len(b)))
    lost = gained = changed = 0
    for (name, ma), (_, mb) in zip(a, b):
        for entry, score in ma.items():
            if entry in mb and mb[entry] != score:
                changed += 1
                print("changed  %-40s %s %d -> %d" % (name, entry, score, mb[entry]))
            elif entry not in mb and score > floor(mb):
                lost += 1
                print("lost     %-40s %s %d" % (name, entry, score))
        gained += sum(1 for e, s in mb.items() if e not in ma and s > floor(ma))
    print("%d queries: %d matches lost, %d gained, %d changed score" % (len(a), lost, gained, changed))
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
