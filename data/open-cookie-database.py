#!/usr/bin/env python3
"""Converts the Open Cookie Database's CSV into data/open-cookie-database.tsv, the columns polis
reads (src/cookiedb.rs): platform, category, name, domain, retention, controller, wildcard.

Usage: python3 data/open-cookie-database.py open-cookie-database.csv > data/open-cookie-database.tsv
Rows keep the source's order (the first of two rows with one name is the one polis offers); a tab,
a line break or surrounding space in a field becomes nothing or one space.
"""
import csv
import sys

COLUMNS = ["Platform", "Category", "Cookie / Data Key name", "Domain", "Retention period",
           "Data Controller", "Wildcard match"]

def clean(value):
    return " ".join(value.split())

with open(sys.argv[1], newline="", encoding="utf-8") as source:
    out = sys.stdout
    out.write("# platform\tcategory\tname\tdomain\tretention\tcontroller\twildcard\n")
    for row in csv.DictReader(source):
        fields = [clean(row[c]) for c in COLUMNS]
        if fields[2]:
            out.write("\t".join(fields) + "\n")
