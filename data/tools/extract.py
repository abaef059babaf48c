#!/usr/bin/env python3
"""Extract Harness's small built-in text datasets from installed Debian packages.

Re-runnable and deterministic: no randomness, every output keeps the order of its
source (or a fixed every-k-th subset of it), so two runs on the same package
versions give byte-identical files.

Needs (Debian 12 "bookworm"):
    apt-get install -y fortunes-zh calendar kgeography-data bible-kjv

Run from anywhere:
    python3 data/tools/extract.py            # writes into data/ (the parent of tools/)
    python3 data/tools/extract.py --out DIR  # writes into DIR instead

Outputs (see data/DATA.md):
    poetry.jsonl       Tang couplets, {"prompt": first half-line, "answer": second half-line}
    history.jsonl      calendar.history events, {"prompt": event, "answer": year}
    geography.jsonl    kgeography world map, {"prompt": country, "answer": capital}
    pretrain/kjv.txt        KJV verses, one per line
    pretrain/proverbs.txt   Chinese proverbs and Analects lines, one per line
Python 3 standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

TANG300 = "/usr/share/games/fortunes/tang300"          # fortunes-zh
CHINESE = "/usr/share/games/fortunes/chinese"          # fortunes-zh
CALENDAR_HISTORY = "/usr/share/calendar/calendar.history"  # calendar
WORLD_KGM = "/usr/share/kgeography/world.kgm"          # kgeography-data
BIBLE_RANGE = "Gen1:1-Rev22:21"                        # bible-kjv (+ bible-kjv-text data)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

# Limits (documented in DATA.md)
HISTORY_MAX_PROMPT = 60
KJV_MAX_VERSE = 120
KJV_EVERY = 5                 # keep every 5th eligible verse: ~260 KB
PROVERBS_MAX_LINE = 80
PROVERBS_BUDGET = 75_000      # bytes (UTF-8, including the newlines)


def read_text(path):
    if not os.path.exists(path):
        sys.exit(f"missing {path}: apt-get install -y fortunes-zh calendar kgeography-data bible-kjv")
    with open(path, encoding="utf-8") as f:
        return f.read()


def unique_by_prompt(pairs):
    """Keep the first (prompt, answer) of each prompt; drop every prompt seen with two answers."""
    answers = {}
    for p, a in pairs:
        answers.setdefault(p, set()).add(a)
    out, seen = [], set()
    for p, a in pairs:
        if len(answers[p]) == 1 and p not in seen:
            seen.add(p)
            out.append((p, a))
    conflicts = sorted(p for p, s in answers.items() if len(s) > 1)
    return out, conflicts


def asciify(s):
    """Latin letters with accents -> plain ASCII (Lumière -> Lumiere); degree sign spelled out."""
    s = s.replace("\u00b0", " degrees ")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


# ---------------------------------------------------------------- poetry
def extract_poetry():
    """Couplets 'A，B。' of tang300 where A and B are 5 or 7 Han characters each.

    Each poem line is split into sentences at 。？！；; a sentence is kept when it ends with
    '。' and has exactly one '，'. Titles (《...》), author lines (作者：) and prose prefaces
    (sentences of other shapes) fall out by that rule.
    """
    text = ANSI.sub("", read_text(TANG300))
    pairs = []
    for record in text.split("\n%\n"):
        for line in record.split("\n"):
            line = line.strip()
            if not line or line == "%" or line.startswith("《") or line.startswith("作者："):
                continue
            for sent in re.findall(r"[^。？！；]*[。？！；]", line):
                if not sent.endswith("。"):
                    continue
                parts = sent[:-1].split("，")
                if len(parts) != 2:
                    continue
                a, b = parts
                if HAN.fullmatch(a) and HAN.fullmatch(b) and len(a) in (5, 7) and len(b) in (5, 7):
                    pairs.append((a, b))
    out, conflicts = unique_by_prompt(pairs)
    return out, {"couplets_found": len(pairs), "conflicting_prompts": conflicts}


# ---------------------------------------------------------------- history
# A year: 4 digits anywhere, or 3 digits only at the end of a clause (so "300 villagers" is
# not a year); never part of a longer number, a code (STS-107, 51-L) or a BC date.
YEAR = re.compile(
    r"(?<![\w.,$~/-])(\d{4}|\d{3}(?=\s*(?:[,.;:)]|$)))"
    r"(?![\w,/-]|\.\d|\s*(?:BC|B\.?C\.?|BCE)(?![A-Za-z]))")


def history_events():
    """calendar.history entries 'MM/DD<TAB>text', joined with their tab-indented continuations."""
    events = []
    for line in read_text(CALENDAR_HISTORY).split("\n"):
        if re.match(r"^\d\d/\d\d\*?\t", line):
            events.append(line.split("\t", 1)[1].strip())
        elif line.startswith("\t") and events:
            events[-1] += " " + line.strip()
    return events


def clean_prompt(e, m):
    p = e[:m.start()] + " " + e[m.end():]
    p = re.sub(r"\(\s*\)", "", p)                 # "(1966)" -> "()" -> ""
    p = re.sub(r",\s*\(", " (", p)                # "Prohibition, (at least" -> "Prohibition (at least"
    p = re.sub(r"\s+([,.;:)])", r"\1", p)
    p = re.sub(r"([,;:])\s*([,.;:])", r"\2", p)   # "launched, . Van" -> "launched. Van"
    p = re.sub(r"\s+", " ", p).strip()
    p = re.sub(r"^[\s,.;:]+", "", p)
    p = re.sub(r"[\s,;:]+$", "", p)
    p = re.sub(r"(?<![A-Z])\.$", "", p)           # final full stop, unless an initial ("Jr.")
    return p.strip()


def extract_history():
    events = history_events()
    pairs, stats = [], {"events": len(events), "with_year": 0, "year_left_in_prompt": 0,
                        "too_long": 0, "not_ascii": 0}
    for raw in events:
        e = asciify(raw)
        e = e.replace("``", '"').replace("''", '"').replace("`", "'")
        e = re.sub(r"\s+", " ", e).strip()
        years = [m for m in YEAR.finditer(e) if 100 <= int(m.group(1)) <= 2100]
        if not years:
            continue
        stats["with_year"] += 1
        m = years[-1]                              # the event's year is the last one given
        year = m.group(1)
        prompt = clean_prompt(e, m)
        if re.search(r"(?<!\d)" + year + r"(?!\d)", prompt):   # "Act of 1791 ..., 1791": answer leaks
            stats["year_left_in_prompt"] += 1
            continue
        if not prompt.isascii():
            stats["not_ascii"] += 1
            continue
        if len(prompt) > HISTORY_MAX_PROMPT:
            stats["too_long"] += 1
            continue
        pairs.append((prompt, year))
    out, conflicts = unique_by_prompt(pairs)
    stats["conflicting_prompts"] = conflicts
    return out, stats


# ---------------------------------------------------------------- geography
def extract_geography():
    root = ET.fromstring(read_text(WORLD_KGM))
    pairs, skipped = [], []
    for d in root.findall("division"):
        name, capital = d.findtext("name"), d.findtext("capital")
        if d.findtext("ignore") == "yes" or not capital:
            skipped.append(name)
            continue
        pairs.append((asciify(name.strip()), asciify(capital.strip())))
    out, conflicts = unique_by_prompt(pairs)
    return out, {"skipped_divisions": skipped, "conflicting_prompts": conflicts}


# ---------------------------------------------------------------- KJV
def kjv_verses():
    exe = shutil.which("bible")
    if not exe:
        sys.exit("missing the `bible` command: apt-get install -y bible-kjv")
    # -l10000: one verse per output line (no wrapping at the terminal width)
    res = subprocess.run([exe, "-l10000", BIBLE_RANGE], capture_output=True, check=True,
                         env={**os.environ, "LC_ALL": "C.UTF-8"})
    verses = []
    for line in res.stdout.decode("utf-8").split("\n"):
        m = re.match(r"^\s+\d+ (.*)$", line)
        if m:
            verses.append(re.sub(r"\s+", " ", m.group(1)).strip())
        elif line.strip() and not re.match(r"^(?:[123] )?[A-Z][A-Za-z ]+ \d+$", line):
            sys.exit(f"unexpected line from bible: {line!r}")
    if len(verses) != 31102:
        sys.exit(f"expected 31102 KJV verses, got {len(verses)}")
    return verses


def extract_kjv():
    verses = kjv_verses()
    short = [v for v in verses if 0 < len(v) <= KJV_MAX_VERSE]
    return short[::KJV_EVERY], {"verses": len(verses), "short_verses": len(short)}


# ---------------------------------------------------------------- proverbs
SOURCES = (("谚语", "《谚语》"), ("增广贤文", "《增广贤文》"), ("论语", "《论语》"))


def extract_proverbs(poetry):
    """Records of the fortunes-zh 'chinese' file attributed to 《谚语》, 《增广贤文》 and
    《论语》 (in that order, file order within each), each record joined into one line with
    its attribution line removed, pinyin notes like '(qu2)' removed, lines with any other
    ASCII dropped, at most 80 characters, unique, none containing a poetry prompt or answer,
    until the byte budget is reached.
    """
    text = ANSI.sub("", read_text(CHINESE))
    by_source = {key: [] for key, _ in SOURCES}
    for record in text.split("\n%\n"):
        lines = record.split("\n")
        attrib = [l for l in lines if re.match(r"^\s*--", l)]
        if not attrib:
            continue
        who = re.sub(r"^\s*--\s*", "", attrib[-1]).strip()
        for key, _ in SOURCES:
            if key in who:
                # one record = one saying; its source line breaks are only wrapping
                by_source[key].append("".join(l.strip() for l in lines if not re.match(r"^\s*--", l)))
                break
    banned = sorted({s for pair in poetry for s in pair})
    out, seen, size, full = [], set(), 0, False
    stats = {"dropped_poetry_overlap": [], "dropped_other": 0}
    for key, _ in SOURCES:
        stats[key] = 0
        for line in by_source[key]:
            line = re.sub(r"\([a-z]+[1-5]\)", "", line).strip()   # pinyin notes: 蘧(qu2)
            line = re.sub(r"\s+", "", line)      # Chinese needs no spaces: "为富不仁 ，为仁不富。"
            if not line or full:
                continue
            if re.search(r"[\x00-\x7f]", line) or len(line) > PROVERBS_MAX_LINE or line in seen:
                stats["dropped_other"] += 1
                continue
            hit = next((s for s in banned if s in line), None)
            if hit:
                stats["dropped_poetry_overlap"].append((line, hit))
                continue
            n = len(line.encode("utf-8")) + 1
            if size + n > PROVERBS_BUDGET:
                full = True
                continue
            seen.add(line)
            out.append(line)
            stats[key] += 1
            size += n
    return out, stats


# ---------------------------------------------------------------- writing and checks
def write_jsonl(path, pairs):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for p, a in pairs:
            f.write(json.dumps({"prompt": p, "answer": a}, ensure_ascii=False) + "\n")


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in lines:
            assert "\n" not in line and "\r" not in line
            f.write(line + "\n")


def check_jsonl(path):
    n = 0
    prompts = set()
    with open(path, encoding="utf-8", newline="") as f:
        for i, line in enumerate(f, 1):
            assert line.endswith("\n") and not line.endswith("\r\n"), f"{path}:{i}: line ending"
            obj = json.loads(line)
            assert set(obj) == {"prompt", "answer"}, f"{path}:{i}: fields {sorted(obj)}"
            assert isinstance(obj["prompt"], str) and obj["prompt"].strip(), f"{path}:{i}: empty prompt"
            assert isinstance(obj["answer"], str) and obj["answer"].strip(), f"{path}:{i}: empty answer"
            assert obj["prompt"] not in prompts, f"{path}:{i}: duplicate prompt"
            prompts.add(obj["prompt"])
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    help="output folder (default: the data/ folder holding tools/)")
    args = ap.parse_args()
    out = args.out
    os.makedirs(os.path.join(out, "pretrain"), exist_ok=True)

    poetry, ps = extract_poetry()
    history, hs = extract_history()
    geography, gs = extract_geography()
    kjv, ks = extract_kjv()
    proverbs, vs = extract_proverbs(poetry)

    write_jsonl(os.path.join(out, "poetry.jsonl"), poetry)
    write_jsonl(os.path.join(out, "history.jsonl"), history)
    write_jsonl(os.path.join(out, "geography.jsonl"), geography)
    write_lines(os.path.join(out, "pretrain", "kjv.txt"), kjv)
    write_lines(os.path.join(out, "pretrain", "proverbs.txt"), proverbs)

    # checks
    for name, pairs in (("poetry", poetry), ("history", history), ("geography", geography)):
        assert check_jsonl(os.path.join(out, name + ".jsonl")) == len(pairs)
    assert all(len(p) in (5, 7) and len(a) in (5, 7) for p, a in poetry)
    assert all(a.isdigit() and len(p) <= HISTORY_MAX_PROMPT and p.isascii() for p, a in history)
    assert all(p.isascii() for p, _ in geography)
    banned = {s for pair in poetry for s in pair}
    assert not any(s in line for line in proverbs for s in banned)
    assert all(len(v) <= KJV_MAX_VERSE for v in kjv)

    def size(rel):
        return os.path.getsize(os.path.join(out, rel))

    print(f"poetry.jsonl           {len(poetry):6d} rows {size('poetry.jsonl'):8d} B"
          f"  (couplets found {ps['couplets_found']}, conflicting prompts {len(ps['conflicting_prompts'])})")
    print(f"history.jsonl          {len(history):6d} rows {size('history.jsonl'):8d} B"
          f"  (events {hs['events']}, dated {hs['with_year']}, > {HISTORY_MAX_PROMPT} chars {hs['too_long']},"
          f" year left in text {hs['year_left_in_prompt']}, conflicting prompts {hs['conflicting_prompts']})")
    print(f"geography.jsonl        {len(geography):6d} rows {size('geography.jsonl'):8d} B"
          f"  (skipped divisions {gs['skipped_divisions']})")
    print(f"pretrain/kjv.txt       {len(kjv):6d} rows {size('pretrain/kjv.txt'):8d} B"
          f"  (verses {ks['verses']}, <= {KJV_MAX_VERSE} chars {ks['short_verses']}, every {KJV_EVERY}th)")
    print(f"pretrain/proverbs.txt  {len(proverbs):6d} rows {size('pretrain/proverbs.txt'):8d} B"
          f"  (谚语 {vs['谚语']}, 增广贤文 {vs['增广贤文']}, 论语 {vs['论语']};"
          f" dropped for poetry overlap {len(vs['dropped_poetry_overlap'])})")
    for line, hit in vs["dropped_poetry_overlap"]:
        print(f"    dropped: {line}  (contains {hit})")


if __name__ == "__main__":
    main()
