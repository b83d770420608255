#!/usr/bin/env python3
"""Write a polis site equivalent to a variant of ../shared/bench/gen_corpus.py.

Usage: gen_polis.py [--variant base|data200|data1k] [--template SITE_YAML] [--content DIR|--no-content]
                    [--corpus GEN_CORPUS_PY] OUTDIR

OUTDIR/site.yaml is the template site.yaml (default: the repository's own, so the schema follows
polis as it changes) with its `recipients:` list and its `cookies: list:` replaced by the
processors and cookies that gen_corpus.py makes for the same variant (same names, purposes,
countries, durations: its make_data() is imported, so the data is the same, seed and all).

Mapping of gen_corpus data onto polis' model:
  processor  -> recipient, role processor, service = its purpose {nl, en}; country NL/IE/DE/BE/FR/SE
                (in the EEA, no safeguard needed) or, for "US (DPF)", US with
                safeguard: data_privacy_framework
  cookie     -> name, provider (the processor, or the company itself -> party first; a processor
                -> party third, so every third party is among the recipients), category
                (functional -> preferences, analytics -> statistics, marketing -> marketing,
                security -> necessary), purpose {nl, en}, duration (the English period);
                the cookie `lang` is renamed `site_lang` (see RENAME below)
OUTDIR/content/ is a copy of the repository's content/ (needed by the serve latency benchmark,
which edits content/privacy.nl.md; a build without it uses the texts embedded in polis).
Standard library only; deterministic.
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

VARIANTS = {"base": (10, 20), "data200": (100, 200), "data1k": (500, 1000)}
CATEGORY = {"functional": "preferences", "analytics": "statistics", "marketing": "marketing", "security": "necessary"}
EEA_CODES = {"NL", "IE", "DE", "BE", "FR", "SE"}


def q(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def tr(d):
    return "{ nl: %s, en: %s }" % (q(d["nl"]), q(d["en"]))


def load_corpus(path):
    spec = importlib.util.spec_from_file_location("gen_corpus", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def company_name(template):
    m = re.search(r"^\s+trade_name:\s*(.+?)\s*$", template, re.M) or re.search(r"^\s+legal_name:\s*(.+?)\s*$", template, re.M)
    return m.group(1).strip("\"'") if m else "Lumen"


def recipients_yaml(procs):
    out = ["recipients:"]
    for p in procs:
        out.append(f"  - name: {q(p['name'])}")
        out.append("    role: processor")
        out.append(f"    service: {tr(p['purpose'])}")
        out.append("    purposes: [website]")  # the record of processing names them (gdpr-register)
        country = p["country"]
        if country in EEA_CODES:
            out.append(f"    country: {country}")
        elif country.startswith("US"):
            out.append("    country: US")
            out.append("    safeguard: data_privacy_framework")
        else:
            raise SystemExit(f"gen_polis: unexpected country {country!r} in gen_corpus data")
    return out


# Cookie names that are also ordinary words of a page's language. polis' gdpr-locales-differ lint
# (at the time of writing) takes the Dutch word "lang" (long) in content/privacy.nl.md for the
# cookie `lang`, and fails the build; the name is changed so the benchmark site builds cleanly.
RENAME = {"lang": "site_lang"}


def cookies_yaml(cookies, own_name, corpus_company):
    out = ["  list:"]
    for c in cookies:
        own = c["provider"] == corpus_company
        out.append(f"    - name: {q(RENAME.get(c['name'], c['name']))}")
        out.append(f"      provider: {q(own_name if own else c['provider'])}")
        out.append(f"      party: {'first' if own else 'third'}")
        out.append(f"      category: {CATEGORY[c['category']]}")
        out.append(f"      purpose: {tr(c['purpose'])}")
        out.append(f"      duration: {q(c['duration']['en'])}")
    return out


def replace_block(lines, start_pred, name):
    """Replaces the lines from the first one matching start_pred up to (not including) the next
    line at the same or a lower indentation that is not blank; returns (before, after)."""
    for i, line in enumerate(lines):
        if start_pred(line):
            indent = len(line) - len(line.lstrip())
            j = i + 1
            while j < len(lines):
                s = lines[j]
                if s.strip() and (len(s) - len(s.lstrip())) <= indent:
                    break
                j += 1
            # keep trailing blank lines and column-0 comments with what follows
            while j > i + 1 and (not lines[j - 1].strip()):
                j -= 1
            return lines[:i], lines[j:]
    raise SystemExit(f"gen_polis: the template has no `{name}` block")


def generate(out, variant, template_path, content_dir, corpus_path):
    n_proc, n_cookies = VARIANTS[variant]
    corpus = load_corpus(corpus_path)
    data = corpus.make_data(n_proc, n_cookies)
    with open(template_path, encoding="utf-8") as f:
        template = f.read()
    own = company_name(template)
    lines = template.split("\n")

    before, after = replace_block(lines, lambda l: l.startswith("recipients:"), "recipients:")
    lines = before + recipients_yaml(data["processors"]) + after

    # cookies: keep the keys other than `list:` (settings_url, ...), replace the list
    ci = next((i for i, l in enumerate(lines) if l.startswith("cookies:")), None)
    if ci is None:
        raise SystemExit("gen_polis: the template has no `cookies:` block")
    li = next((i for i in range(ci + 1, len(lines)) if re.match(r"^\s+list:\s*$", lines[i])), None)
    if li is None:
        raise SystemExit("gen_polis: the template has no `cookies: list:`")
    before = lines[:li]
    indent = len(lines[li]) - len(lines[li].lstrip())
    j = li + 1
    while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
                              or lines[j].lstrip().startswith("- ") and len(lines[j]) - len(lines[j].lstrip()) == indent):
        j += 1
    while j > li + 1 and not lines[j - 1].strip():
        j -= 1
    lines = before + cookies_yaml(data["cookies"], own, data["company"]["name"]) + lines[j:]

    os.makedirs(out, exist_ok=True)
    header = (f"# Generated by bench/gen_polis.py --variant {variant}: {n_proc} recipients, {n_cookies} cookies\n"
              f"# (the processors and cookies of gen_corpus.py's `{variant}`, on {os.path.relpath(template_path, REPO) if template_path.startswith(REPO) else template_path})\n")
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(header + "\n".join(lines))
    if content_dir:
        dst = os.path.join(out, "content")
        if os.path.exists(dst):
            shutil.rmtree(dst)
        shutil.copytree(content_dir, dst)
    return {"variant": variant, "recipients": n_proc, "cookies": n_cookies,
            "site_yaml_bytes": os.path.getsize(os.path.join(out, "site.yaml"))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="base")
    ap.add_argument("--template", default=os.path.join(REPO, "site.yaml"))
    ap.add_argument("--content", default=os.path.join(REPO, "content"))
    ap.add_argument("--no-content", action="store_true")
    ap.add_argument("--corpus", default=os.environ.get("GEN_CORPUS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "gen_corpus.py")))
    a = ap.parse_args()
    st = generate(a.outdir, a.variant, a.template, None if a.no_content else a.content, a.corpus)
    print(json.dumps(st))


if __name__ == "__main__":
    sys.exit(main())
