"""Country detection against Reuters-21578's human `places` tags: our matcher + salience rule vs peers.

    python bench/eval_reuters.py [DIR] [--tune]

DIR defaults to ../shared/data/reuters-dev (research-only data: it is read from there, never copied
into the repository). Articles with a body and at least one place are used; an article reads as its
title (one sentence), then dateline + " " + body. Gold = the article's places mapped to ISO3 (places
that are not countries, such as guam or bermuda, are dropped). Scores are micro-averaged over the
articles: country-set precision/recall/F1; pair F1 over all unordered pairs of each article's set
(a second country predicted for a one-country article is a false pair); the same over articles whose
gold names at least two countries; and a self-pair variant where a one-country set counts as the pair
(X, X), so a one-country article scores when its single country is right.

The salience rule (`analysis.actors.salient_countries`) is tuned on the first half of the files
(`--tune` searches a grid on the mentions the engine gives the rule) and reported on both halves, so
the second half shows whether it generalises. Peers (bench/requirements.txt): flashgeotext and geotext, every country they find.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.actors import DEFAULT_SALIENCE, ActorDictionary, SalienceRule, salient_countries  # noqa: E402
from analysis.sentences import split_sentences  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "data" / "reuters-dev"
# Reuters place names the dictionary cannot read as written (lower-case codes, abbreviations).
SPECIAL_PLACES = {
    "usa": "USA", "uk": "GBR", "ussr": "RUS", "uae": "ARE", "trinidad-tobago": "TTO",
    "yemen-demo-republic": "YEM", "yemen-arab-republic": "YEM", "east-germany": "DEU",
    "west-germany": "DEU", "hong-kong": "HKG", "congo": "COG", "zaire": "COD",
}


@dataclass
class Article:
    file: str
    date: str
    title: str
    body: str  # dateline + " " + body
    gold: frozenset[str]


def place_to_iso3(place: str, actors: ActorDictionary) -> str | None:
    """A Reuters place tag as ISO3, or None when it is not a country we track (territories)."""
    if place in SPECIAL_PLACES:
        return SPECIAL_PLACES[place]
    name = " ".join(w.capitalize() for w in place.split("-"))
    found = [m for m in actors.find_actors(name, "1987-03-01") if not m.is_organisation]
    if len(found) == 1 and found[0].end - found[0].start == len(name) and found[0].kind != "city":
        return found[0].code
    return None


def read_articles(directory: Path, actors: ActorDictionary) -> tuple[list[Article], set[str]]:
    articles, dropped = [], set()
    for path in sorted(directory.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if not (row.get("body") or "").strip() or not row.get("places"):
                    continue
                gold = set()
                for place in row["places"]:
                    iso = place_to_iso3(place, actors)
                    if iso is None:
                        dropped.add(place)
                    else:
                        gold.add(iso)
                if not gold:
                    continue
                body = f"{(row.get('dateline') or '').strip()} {row['body']}".strip()
                articles.append(Article(path.name, (row.get("date") or "")[:10], row.get("title") or "",
                                        body, frozenset(gold)))
    return articles, dropped


def mentions_by_sentence(article: Article, actors: ActorDictionary) -> list:
    sentences = ([article.title] if article.title.strip() else []) + \
        [s.text for s in split_sentences(article.body)]
    return [actors.find_actors(s, article.date or None) for s in sentences]


def pairs(codes: frozenset[str] | set[str]) -> set[tuple[str, str]]:
    return set(itertools.combinations(sorted(codes), 2))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def self_pairs(codes: frozenset[str] | set[str]) -> set[tuple[str, str]]:
    """The unordered pairs of a set, or (X, X) for a one-country set."""
    return pairs(codes) if len(codes) >= 2 else {(c, c) for c in codes}


def evaluate(predictions: list[set[str]], articles: list[Article]) -> tuple[Score, Score, Score, Score]:
    """Micro-averaged (country set, country pairs, country pairs of multi-country articles only,
    self-pairs)."""
    country, pair, multi, self_pair = Score(), Score(), Score(), Score()
    for predicted, article in zip(predictions, articles):
        country.add(set(predicted), set(article.gold))
        pair.add(pairs(set(predicted)), pairs(article.gold))
        self_pair.add(self_pairs(set(predicted)), self_pairs(article.gold))
        if len(article.gold) >= 2:
            multi.add(pairs(set(predicted)), pairs(article.gold))
    return country, pair, multi, self_pair


def ours(found: list[list], rule: SalienceRule) -> list[set[str]]:
    out = []
    for by_sentence in found:
        countries, _ = salient_countries(
            [[m for m in ms if not m.is_organisation] for ms in by_sentence], len(by_sentence), rule)
        out.append(set(countries))
    return out


def every_mention(found: list[list]) -> list[set[str]]:
    return [{m.code for ms in by_sentence for m in ms if not m.is_organisation} for by_sentence in found]


def peer_predictions(articles: list[Article]) -> dict[str, list[set[str]] | str]:
    """Every country flashgeotext / geotext find in the same text; a string when unavailable."""
    import pycountry

    def iso3_of(name_or_iso2: str) -> str | None:
        try:
            if len(name_or_iso2) == 2:
                country = pycountry.countries.get(alpha_2=name_or_iso2)
            else:
                country = pycountry.countries.lookup(name_or_iso2)
        except LookupError:
            return None
        if country is None:
            return None
        return "XKX" if country.alpha_2 == "XK" else country.alpha_3

    out: dict[str, list[set[str]] | str] = {}
    texts = [f"{a.title}\n{a.body}" for a in articles]
    try:
        from flashgeotext.geotext import GeoText as FlashGeoText
        import logging
        logging.getLogger("flashgeotext").setLevel(logging.ERROR)
        try:
            from loguru import logger
            logger.remove()
        except ImportError:
            pass
        flash = FlashGeoText()
        names: dict[str, str | None] = {}
        preds = []
        for text in texts:
            found = flash.extract(input_text=text, span_info=True)["countries"]
            codes = set()
            for name in found:
                if name not in names:
                    names[name] = iso3_of(name)
                if names[name]:
                    codes.add(names[name])
            preds.append(codes)
        out["flashgeotext 0.5.5 (every country named)"] = preds
    except ImportError as exc:
        out["flashgeotext"] = f"not installed ({exc})"
    try:
        from geotext import GeoText

        preds = []
        for text in texts:
            codes = {iso3_of(c) for c in GeoText(text).country_mentions}
            preds.append({c for c in codes if c})
        out["geotext 0.4.0 (countries and cities' countries)"] = preds
    except ImportError as exc:
        out["geotext"] = f"not installed ({exc})"
    return out


def engine_inputs(articles: list[Article]) -> list[list[list]]:
    """Per article, the mentions the engine hands to `salient_countries`: every sentence's country
    mentions after cleaning and venue settling, without the article's venues (as pipeline.step_signals)."""
    from analysis.model import Article as EngineArticle
    from analysis.pipeline import Engine

    engine = Engine.load()
    out = []
    for i, a in enumerate(articles):
        work = engine.run(EngineArticle(id=str(i), title=a.title, text=a.body, date=a.date or None,
                                        date_source="field", origin=a.file))
        venues = set(work.scored.venues)
        out.append([[m for m in found if not m.is_organisation and m.code not in venues]
                    for found in work.actors])
    return out


def engine_predictions(articles: list[Article]) -> tuple[list[set[str]], list[set[tuple[str, str]]]]:
    """What `python -m analysis score` says of each article: its `countries`, and the pairs of its
    `pairs` field (sentence-level attribution, not every combination of the countries)."""
    from analysis.model import Article as EngineArticle
    from analysis.pipeline import score_articles

    inputs = [EngineArticle(id=str(i), title=a.title, text=a.body, date=a.date or None,
                            date_source="field", origin=a.file) for i, a in enumerate(articles)]
    countries, pair_sets = [], []
    for scored in score_articles(inputs):
        countries.append(set(scored.countries))
        pair_sets.append({tuple(p.pair.split("-")) for p in scored.pairs})
    return countries, pair_sets


def evaluate_engine(articles: list[Article]) -> list[tuple[str, Score, Score, Score, Score | None]]:
    countries, pair_sets = engine_predictions(articles)
    from_countries = evaluate(countries, articles)
    field_pairs, field_multi = Score(), Score()
    for predicted, article in zip(pair_sets, articles):
        field_pairs.add(predicted, pairs(article.gold))
        if len(article.gold) >= 2:
            field_multi.add(predicted, pairs(article.gold))
    return [("Faultline engine: `countries`, pairs of that set", *from_countries),
            ("Faultline engine: `countries`, pairs from the `pairs` field", from_countries[0],
             field_pairs, field_multi, None)]


def tune(found: list[list], articles: list[Article]) -> SalienceRule:
    """Grid search of the salience rule on one set of articles; prints the best few.

    The weights of the first rule (venue weight, decay, dateline) were searched before the lead
    enumeration rule existed and stayed at their optimum with it; the grid now covers the thresholds
    and the enumeration rule."""
    results = []
    grid = itertools.product((1, 2), (2, 3), (0.1, 0.2), (0, 3, 4, 5, 6), (2, 3, 4), (0.0, 0.2, 0.3))
    for lead, min_count, share, list_min, list_lead, list_share in grid:
        if list_min == 0 and (list_lead, list_share) != (2, 0.0):
            continue  # the enumeration rule is off: its other settings do not matter
        rule = replace(DEFAULT_SALIENCE, lead_sentences=lead, min_count=min_count, min_share=share,
                       list_min_countries=list_min, list_lead_sentences=list_lead,
                       list_lead_share=list_share)
        country, pair, *_ = evaluate(ours(found, rule), articles)
        results.append((country.f1 + pair.f1, country.f1, pair.f1, rule))
    results.sort(key=lambda r: -r[0])
    for total, c, p, rule in results[:8]:
        print(f"  country F1 {c:.3f}  pair F1 {p:.3f}  lead={rule.lead_sentences} "
              f"min_count={rule.min_count} min_share={rule.min_share} "
              f"list_min_countries={rule.list_min_countries} list_lead_sentences={rule.list_lead_sentences} "
              f"list_lead_share={rule.list_lead_share}")
    return results[0][3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--tune", action="store_true", help="grid-search the salience rule on half 1")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong articles (half 2)")
    args = parser.parse_args()
    if not args.directory.is_dir():
        sys.exit(f"{args.directory}: no such directory (give the reuters-dev folder as argument)")

    actors = ActorDictionary.load()
    articles, dropped = read_articles(args.directory, actors)
    files = sorted({a.file for a in articles})
    first_files = set(files[: len(files) // 2])
    halves = {
        "half 1 (tuning)": [a for a in articles if a.file in first_files],
        "half 2 (held out)": [a for a in articles if a.file not in first_files],
    }
    print(f"{len(articles)} articles with a body and a country place in {len(files)} files; "
          f"places dropped as not countries: {', '.join(sorted(dropped))}")

    started = time.perf_counter()
    found = {name: [mentions_by_sentence(a, actors) for a in part] for name, part in halves.items()}
    elapsed = time.perf_counter() - started
    n_sentences = sum(len(f) for part in found.values() for f in part)
    print(f"matcher: {n_sentences} sentences in {elapsed:.2f} s "
          f"({elapsed / n_sentences * 1e6:.1f} µs per sentence incl. splitting)")

    rule = DEFAULT_SALIENCE
    if args.tune:
        # Tuned on what the engine gives the rule (cleaned text, venues settled), not the bare matcher.
        print("salience grid on half 1 (the engine's mentions):")
        rule = tune(engine_inputs(halves["half 1 (tuning)"]), halves["half 1 (tuning)"])
        print(f"best on half 1: {rule}")

    rows = []
    for name, part in halves.items():
        for system, *scores in evaluate_engine(part):
            rows.append((system, name, *scores))
        rows.append(("Faultline matcher + salience rule", name, *evaluate(ours(found[name], rule), part)))
        rows.append(("Faultline matcher + salience rule, lead enumerations off", name,
                     *evaluate(ours(found[name], replace(rule, list_min_countries=0)), part)))
        rows.append(("Faultline matcher, every country named", name,
                     *evaluate(every_mention(found[name]), part)))
        if not args.no_peers:
            for peer, predictions in peer_predictions(part).items():
                if isinstance(predictions, str):
                    print(f"{peer}: {predictions}")
                    continue
                rows.append((peer, name, *evaluate(predictions, part)))

    print()
    print("| system | articles | country P | country R | country F1 | pair P | pair R | pair F1 "
          "| pair F1, gold >= 2 countries | self-pair F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for system, name, country, pair, multi, self_pair in rows:
        self_f1 = f"{self_pair.f1:.3f}" if self_pair is not None else ""
        print(f"| {system} | {name}, n={len(halves[name])} | {country.precision:.3f} | {country.recall:.3f} "
              f"| **{country.f1:.3f}** | {pair.precision:.3f} | {pair.recall:.3f} | **{pair.f1:.3f}** "
              f"| {multi.f1:.3f} | {self_f1} |")
    print("\npair F1 counts every article (a pair predicted for a one-country article is a false "
          "positive);\n'gold >= 2' only articles whose gold names at least two countries; self-pair F1 "
          "counts a one-country set as the pair (X, X).")
    print(f"\nSalience rule: {rule}")

    if args.errors:
        part = halves["half 2 (held out)"]
        predictions = ours(found["half 2 (held out)"], rule)
        shown = 0
        for article, predicted, by_sentence in zip(part, predictions, found["half 2 (held out)"]):
            if predicted != set(article.gold) and shown < args.errors:
                shown += 1
                named = [(i, m.text, m.code, m.kind, m.role) for i, ms in enumerate(by_sentence) for m in ms]
                print(f"\n{article.title!r} gold={sorted(article.gold)} ours={sorted(predicted)}\n  {named[:14]}")


if __name__ == "__main__":
    main()
