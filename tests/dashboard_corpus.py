"""A small hand-built store for the dashboard tests: real sentences, hand-set scores, no engine needed.

Four pairs over January-June 2022. RUS-UKR spikes in February (many tense stories), so the overview
has an anomaly to show; one sentence carries Markdown/HTML that must be displayed literally.
"""
from __future__ import annotations

from pathlib import Path

from analysis.model import (Evidence, KeywordCount, KeywordMatch, PairSignal, Removal, ScoredArticle,
                            ScoredSentence)

HOSTILE_SENTENCE = ("<script>alert('x')</script> **bold** [link](http://x) $x$ as Russian artillery "
                    "shelled Kharkiv.")

# (pair, category, polarity, weight, term, sentence); the term occurs in the sentence
TEMPLATES: dict[str, list[tuple[str, str, float, str, str]]] = {
    "RUS-UKR": [
        ("ASSAULT", "escalation", 9.0, "drone assault", "Russia launched a drone assault on Kyiv in {place}."),
        ("ASSAULT", "escalation", 8.0, "shelled", HOSTILE_SENTENCE),
        ("CONSULT", "cooperation", 3.0, "talks", "Ukraine and Russia held talks on prisoner exchanges in {place}."),
    ],
    "RUS-USA": [
        ("SANCTION", "escalation", 6.0, "sanctions", "Washington imposed new sanctions on Moscow over {place}."),
        ("CONSULT", "cooperation", 3.0, "met", "Rubio met Lavrov to discuss {place}."),
    ],
    "CHN-USA": [
        ("SANCTION", "escalation", 6.0, "tariffs", "The United States raised tariffs on Chinese steel from {place}."),
        ("AGREE", "cooperation", 5.0, "agreed", "Beijing and Washington agreed to resume trade talks in {place}."),
    ],
    "IND-PAK": [
        ("FIGHT", "escalation", 8.0, "exchanged fire", "India and Pakistan exchanged fire near {place}."),
    ],
}
PLACES = ["Geneva", "Vienna", "Oslo", "Doha", "Ankara", "Riyadh", "Lisbon", "Helsinki", "Nairobi", "Jakarta",
          "Brasilia", "Canberra", "Seoul", "Hanoi", "Lima", "Dakar", "Tunis", "Quito"]
SOURCES = ["Reuters", "AP", "BBC", "Al Jazeera"]
COUNTRY_NAMES = {"RUS": "Russia", "UKR": "Ukraine", "USA": "United States", "CHN": "China", "IND": "India",
                 "PAK": "Pakistan"}


def _article(index: int, pair: str, month: int, day: int, template: tuple, tension: float) -> ScoredArticle:
    category, polarity, weight, term, pattern = template
    place = PLACES[index % len(PLACES)]
    text = pattern.format(place=place) + f" Report {index} from {place}, {SOURCES[index % 4]} desk {index * 7}."
    start = text.lower().index(term)
    keyword = KeywordMatch(term=term, category=category, polarity=polarity, weight=weight, start=start,
                           end=start + len(term))
    parties = tuple(pair.split("-"))
    escalation = weight if polarity == "escalation" else 0.0
    cooperation = weight if polarity == "cooperation" else 0.0
    sentiment = -0.6 if polarity == "escalation" else 0.4
    sentence = ScoredSentence(index=0, text=text, parties=parties, venues=(), organisations=(), actors=(),
                              keywords=(keyword,), sentiment=sentiment, escalation=escalation,
                              cooperation=cooperation)
    signal = PairSignal(pair=pair, sentences=1, sentiment=sentiment, escalation=escalation,
                        cooperation=cooperation, tension=tension,
                        stance="conflict" if polarity == "escalation" else "cooperation", keywords=(term,),
                        evidence=(Evidence(sentence=0, text=text, keywords=(term,), sentiment=sentiment),))
    return ScoredArticle(
        id=f"t{index}", title=text[:70], date=f"2022-{month:02d}-{day:02d}", date_source="field",
        source=SOURCES[index % 4], url=f"https://news.example.org/{index}", origin=f"test:{index}",
        countries=parties, mentions=(), venues=(), sentiment=sentiment, escalation=escalation,
        cooperation=cooperation, tension=tension, pairs=(signal,),
        keywords=(KeywordCount(term=term, category=category, count=1),),
        removed=(Removal(kind="share-furniture", text="Share this article"),),
        sentences=(sentence,), text=text)


def corpus() -> list[ScoredArticle]:
    """About 90 articles; RUS-UKR has 14 tense articles in February 2022 against 2-3 in other months."""
    articles: list[ScoredArticle] = []
    index = 0
    for month in range(1, 7):
        for pair, templates in TEMPLATES.items():
            count = 14 if (pair == "RUS-UKR" and month == 2) else 3
            for k in range(count):
                template = templates[k % len(templates)]
                spike = pair == "RUS-UKR" and month == 2
                tension = 85.0 if spike else (60.0 if template[1] == "escalation" else 25.0)
                articles.append(_article(index, pair, month, 1 + (k * 2) % 27, template, tension))
                index += 1
    # one story told by two outlets in nearly the same words: "+1 outlet" in the evidence list
    story = ("ASSAULT", "escalation", 9.0, "drone assault",
             "Russia launched its largest drone assault on Kyiv yet, firing 728 drones and 13 missiles at "
             "cities across Ukraine overnight, officials in {place} said on Wednesday.")
    for copy, source in enumerate(("Reuters", "News.Az")):
        article = _article(900 + copy, "RUS-UKR", 3, 9, story, 80.0)
        text = article.text.split(" Report ")[0] + ("" if copy == 0 else " Reported by News.Az.")
        articles.append(_replace_text(article, text, source))
    return articles


def _replace_text(article: ScoredArticle, text: str, source: str) -> ScoredArticle:
    from dataclasses import replace

    sentence = replace(article.sentences[0], text=text)
    pair = article.pairs[0]
    pair = replace(pair, evidence=(replace(pair.evidence[0], text=text),))
    return replace(article, text=text, title=text[:70], source=source, sentences=(sentence,), pairs=(pair,))


def build_store(path: Path) -> Path:
    """Write the corpus into a new store at `path` and return the path."""
    from analysis.store import ingest_scored

    ingest_scored(path, corpus(), paths=["tests/dashboard_corpus.py"])
    return path
