#!/usr/bin/env python3
"""Write a site with a site.yaml of nearly 4 MiB, polis's limit: the repository's own site.yaml with
N more data categories (default 11,800, which stays just under the 4 MiB limit), each with a purpose of its own.

Usage: gen_large.py [--categories N] OUTDIR
Then: polis check --root OUTDIR (its time and peak memory: bench/changes.md). Standard library only.
"""
import argparse
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--categories", type=int, default=11_800)
    parser.add_argument("outdir")
    args = parser.parse_args()
    with open(os.path.join(REPO, "site.yaml"), encoding="utf-8") as f:
        text = f.read()
    data, purposes = [], []
    for i in range(args.categories):
        data.append(
            f"  c{i:05}:\n"
            f"    name: {{ nl: Soort {i}, en: Kind {i} }}\n"
            f"    description: {{ nl: soort {i}, en: kind {i} }}\n"
            f"    sources: [person]\n"
            f"    retention: {{ period: 2 years, from: {{ nl: ons contact, en: our contact }} }}\n"
        )
        purposes.append(f"  - key: p{i:05}\n    name: {{ nl: Doel {i}, en: Purpose {i} }}\n    basis: contract\n    subjects: {{ nl: klanten, en: customers }}\n    data: [c{i:05}]\n")
    text = text.replace("\ndata:\n", "\ndata:\n" + "".join(data), 1)
    text = text.replace("\npurposes:\n", "\npurposes:\n" + "".join(purposes), 1)
    os.makedirs(args.outdir, exist_ok=True)
    with open(os.path.join(args.outdir, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{os.path.join(args.outdir, 'site.yaml')}: {len(text.encode())} bytes")


if __name__ == "__main__":
    main()
