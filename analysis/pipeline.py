"""Article -> ScoredArticle, as an ordered list of named steps (after spaCy's pipeline).

Each step is a small function `step(engine, work) -> work` that reads what earlier steps produced and
returns a new `Work` record with its own part added. Steps can be disabled by name
(`Engine.load(disable={"sentiment"})`) and each is testable alone.

    clean      remove related-headline blocks, share furniture, outlet tags (analysis.clean)
    sentences  split the headline and cleaned body into sentences (analysis.sentences)
    actors     countries, leaders, capitals, organisations per sentence, party or venue (analysis.actors)
    keywords   escalation / cooperation terms with negation, threat, history, intensity (analysis.lexicon)
    sentiment  VADER compound per sentence, one analyzer per process (analysis.sentiment)
    signals    sentences -> country pairs and article scores (analysis.pairs)
"""
from __future__ import annotations

import math
import multiprocessing as mp
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from analysis.actors import ActorDictionary, salient_countries
from analysis.clean import clean_text
from analysis.lexicon import Lexicon, stance
from analysis.model import (
    Article, CleanedText, KeywordCount, ScoredArticle, ScoredSentence, Sentence,
)
from analysis.pairs import article_venues, pair_signals, tension_index
from analysis.roles import event_actors, settle_venues
from analysis.sentences import split_sentences
from analysis.sentiment import SentimentScorer


@dataclass(frozen=True)
class Work:
    """What the steps know about one article so far."""

    article: Article
    cleaned: CleanedText | None = None
    text: str = ""  # headline + cleaned body: the text sentence offsets refer to
    sentences: tuple[Sentence, ...] = ()
    actors: tuple[tuple, ...] = ()  # per sentence: tuple[ActorMention, ...]
    keywords: tuple[tuple, ...] = ()  # per sentence: tuple[KeywordMatch, ...]
    sentiment: tuple[float, ...] = ()  # per sentence
    scored: ScoredArticle | None = None


def _evolve(work: Work, **changes) -> Work:
    """A new Work with `changes` applied: dataclasses.replace without its per-call introspection
    (it re-runs __init__ through every field; six steps per article made that visible)."""
    new = object.__new__(Work)
    new.__dict__.update(work.__dict__, **changes)
    return new


def step_clean(engine: Engine, work: Work) -> Work:
    cleaned = clean_text(work.article.text)
    title = work.article.title.strip()
    body = cleaned.text.strip()
    # The headline carries actors too; WCEP titles and readers' derived titles repeat the opening
    # sentence, so only prepend a headline the body does not already start with.
    probe = title.rstrip("…").rstrip(".")[:60]
    text = body if not title or body.startswith(probe) else f"{title}\n\n{body}"
    return _evolve(work, cleaned=cleaned, text=text)


def step_sentences(engine: Engine, work: Work) -> Work:
    return _evolve(work, sentences=tuple(split_sentences(work.text)))


def step_actors(engine: Engine, work: Work) -> Work:
    texts = [s.text for s in work.sentences]
    # One automaton scan of the article's sentences, the mentions find_actors gives for each.
    found = engine.actors.find_actors_in_sentences(texts, work.article.date)
    settled = [settle_venues(text, mentions) for text, mentions in zip(texts, found)]
    return _evolve(work, actors=tuple(settled))


def step_keywords(engine: Engine, work: Work) -> Work:
    date = work.article.date
    # "in 2014" is history in a 2022 article but news in a 2014 one.
    year = int(date[:4]) if date else None
    return _evolve(work, keywords=engine.lexicon.find_keywords_batch([s.text for s in work.sentences], year))


def step_sentiment(engine: Engine, work: Work) -> Work:
    compound = engine.sentiment.compound
    return _evolve(work, sentiment=tuple(compound(s.text) for s in work.sentences))


def step_signals(engine: Engine, work: Work) -> Work:
    """Sentences with their actors, keywords and sentiment -> ScoredSentences, country pairs and the
    article's ScoredArticle. Records are built straight into their __dict__ (a frozen dataclass's
    __init__ costs ~3 µs a record); tests/test_pipeline_signals.py checks every field is set."""
    sentences = work.sentences
    n = len(sentences)
    actors = work.actors or ((),) * n
    keywords = work.keywords or ((),) * n
    sentiment = work.sentiment or (0.0,) * n
    new_sentence = object.__new__
    # One pass over the sentences builds everything the article-level rules below need.
    scored_sentences = []
    taking_part = []
    salience_input = []  # per sentence: the country mentions (venues of the article removed later)
    with_parties = []  # rounded sentiment of the sentences naming a party
    escalations, cooperations, found_keywords = [], [], []
    any_actor = any_venue = False
    codes = set()  # the countries (not organisations) any sentence names
    for i, sentence in enumerate(sentences):
        found = actors[i]
        matches = keywords[i]
        tone = round(sentiment[i], 4)
        if not found:  # most sentences name no actor: skip building empty tuples three ways
            acting = []
            parties = venues = organisations = ()
            salience_input.append([])
        elif len(found) == 1:  # the next most common: one actor, its code the only one of each tuple
            any_actor = True
            only = found[0]
            acting = event_actors(sentence.text, found)
            if only.is_organisation:
                parties = venues = ()
                organisations = (only.code,)
                salience_input.append([])
            else:
                code = only.code
                codes.add(code)
                parties = (code,) if acting else ()
                if only.role == "venue":
                    venues = (code,)
                    any_venue = True
                else:
                    venues = ()
                organisations = ()
                if acting:
                    with_parties.append(tone)
                salience_input.append([only])
        else:
            any_actor = True
            acting = event_actors(sentence.text, found)
            parties = tuple(dict.fromkeys([m.code for m in acting if not m.is_organisation]))
            venues = tuple(dict.fromkeys([m.code for m in found if m.role == "venue" and not m.is_organisation]))
            organisations = tuple(dict.fromkeys([m.code for m in found if m.is_organisation]))
            if venues:
                any_venue = True
            if parties:
                with_parties.append(tone)
            named = [m for m in found if not m.is_organisation]
            codes.update([m.code for m in named])
            salience_input.append(named)
        if matches:
            escalation = round(sum([k.weight * k.factor for k in matches if k.polarity == "escalation"]), 3)
            cooperation = round(sum([k.weight * k.factor for k in matches if k.polarity == "cooperation"]), 3)
            escalations.append(escalation)
            cooperations.append(cooperation)
            found_keywords.extend(matches)
        else:
            escalation = cooperation = 0  # an int, as sum() of nothing gives: the JSON output is unchanged
        taking_part.append(acting)
        scored = new_sentence(ScoredSentence)
        scored.__dict__.update(
            index=sentence.index, text=sentence.text, parties=parties, venues=venues,
            organisations=organisations, actors=tuple(found), keywords=tuple(matches), sentiment=tone,
            escalation=escalation, cooperation=cooperation,
        )
        scored_sentences.append(scored)
    scored_sentences = tuple(scored_sentences)

    # No venue role anywhere means no article venue; no actor at all means no country and no pair
    # (tests/test_pipeline_signals.py holds article_venues / salient_countries to this).
    venues = article_venues(scored_sentences) if any_venue else set()
    if not any_actor:
        countries, mentions, pairs = [], [], ()
    elif len(codes) < 2:
        # One country at most (most WCEP items): a pair needs two, and the salience rule picks the
        # only country unless the whole article names it as a venue (tests/test_pipeline_signals.py).
        countries = [code for code in codes if code not in venues]
        mentions, pairs = [], ()
    else:
        if venues:
            salience_input = [[m for m in found if m.code not in venues] for found in salience_input]
        countries, mentions = salient_countries(salience_input, n)
        pairs = pair_signals(scored_sentences, stance, venues, taking_part)
    # sum() of the sentences' scores, leaving out the int zeros of sentences without keywords
    # (adding 0 changes neither value nor type once a float is in; with none, both give int 0).
    escalation = sum(escalations)
    cooperation = sum(cooperations)
    with_actors = with_parties or list(sentiment)
    article_sentiment = math.fsum(with_actors) / len(with_actors) if with_actors else 0.0
    if len(found_keywords) == 1:  # the common case: no counting, no sorting
        only = found_keywords[0]
        keyword_counts = (_keyword_count(only.term, only.category, 1),)
    elif found_keywords:
        counts = Counter([(k.term, k.category) for k in found_keywords]).most_common()
        keyword_counts = tuple([_keyword_count(term, category, count) for (term, category), count in counts])
    else:
        keyword_counts = ()

    article = work.article
    warnings = list(article.warnings)
    if not countries:
        warnings.append("no country found")
    if article.date is None:
        warnings.append("undated")
    cleaned = work.cleaned
    scored = object.__new__(ScoredArticle)
    # Defaulted fields first, the order these records have always had: pickles stay byte-identical.
    scored.__dict__.update(
        warnings=tuple(warnings),
        cited_sources=cleaned.cited_sources if cleaned else (),
        removed=cleaned.removed if cleaned else (),
        language=article.language,
        sentences=scored_sentences,
        text=work.text,
        id=article.id,
        title=article.title,
        date=article.date,
        date_source=article.date_source,
        source=article.source,
        url=article.url,
        origin=article.origin,
        countries=tuple(countries),
        mentions=tuple(mentions),
        venues=tuple(sorted(venues)),
        sentiment=round(article_sentiment, 4),
        escalation=round(escalation, 3),
        cooperation=round(cooperation, 3),
        tension=tension_index(escalation, cooperation, article_sentiment),
        pairs=pairs,
        keywords=keyword_counts,
    )
    return _evolve(work, scored=scored)


def _keyword_count(term: str, category: str, count: int) -> KeywordCount:
    record = object.__new__(KeywordCount)
    record.__dict__.update(term=term, category=category, count=count)
    return record


Step = Callable[["Engine", Work], Work]
STEPS: tuple[tuple[str, Step], ...] = (
    ("clean", step_clean),
    ("sentences", step_sentences),
    ("actors", step_actors),
    ("keywords", step_keywords),
    ("sentiment", step_sentiment),
    ("signals", step_signals),
)
# Steps without which no ScoredArticle can be built.
REQUIRED_STEPS = {"sentences", "signals"}


@dataclass(frozen=True)
class Engine:
    """The loaded resources (actor dictionary, lexicon, VADER) and the steps to run."""

    actors: ActorDictionary
    lexicon: Lexicon
    sentiment: SentimentScorer
    steps: tuple[tuple[str, Step], ...] = field(default=STEPS)

    @classmethod
    def load(cls, data_dir: Path | None = None, user_dir: Path | None = None,
             disable: Iterable[str] = ()) -> Engine:
        """Load dictionaries from `data_dir` (default: the repo's data/) plus an analyst's edits in
        `user_dir` (default: data/user/ when present)."""
        data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
        user_dir = Path(user_dir) if user_dir else data_dir / "user"
        disabled = set(disable)
        unknown = disabled - {name for name, _ in STEPS}
        if unknown:
            raise ValueError(f"unknown pipeline step(s): {', '.join(sorted(unknown))}")
        if disabled & REQUIRED_STEPS:
            raise ValueError(f"steps {sorted(REQUIRED_STEPS)} cannot be disabled")
        return cls(
            actors=ActorDictionary.load(data_dir / "actors", _existing(user_dir / "actors.csv")),
            lexicon=Lexicon.load(data_dir / "lexicon", _existing(user_dir / "lexicon.csv")),
            sentiment=SentimentScorer(),
            steps=tuple((name, step) for name, step in STEPS if name not in disabled),
        )

    def run(self, article: Article) -> Work:
        work = Work(article=article)
        for _, step in self.steps:
            work = step(self, work)
        return work

    def score(self, article: Article) -> ScoredArticle:
        return self.run(article).scored


DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _existing(path: Path) -> Path | None:
    return path if path.is_file() else None


# --- many articles, many cores -------------------------------------------------------------------

_worker_engine: Engine | None = None
_worker_transform: Callable[[ScoredArticle], object] | None = None


def _init_worker(data_dir: str | None, user_dir: str | None,
                 transform: Callable[[ScoredArticle], object] | None = None) -> None:
    global _worker_engine, _worker_transform
    _worker_engine = Engine.load(data_dir and Path(data_dir), user_dir and Path(user_dir))
    _worker_transform = transform


def _score_in_worker(article: Article):
    scored = _worker_engine.score(article)
    return scored if _worker_transform is None else _worker_transform(scored)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def score_articles(articles: Iterable[Article], workers: int | None = None, engine: Engine | None = None,
                   data_dir: Path | None = None, user_dir: Path | None = None,
                   chunksize: int = 32, transform: Callable[[ScoredArticle], object] | None = None
                   ) -> Iterator:
    """Score articles in input order; `workers` > 1 spreads them over processes (default: all cores).

    Each worker process loads its own Engine once. The input is consumed lazily, so a long stream is
    never held in memory whole. With `transform` (a picklable function, e.g. ScoredArticle -> JSON
    line), the workers apply it and its results are yielded instead of ScoredArticles: the caller's
    per-article work runs in parallel too, and a short string crosses between processes instead of a
    ScoredArticle (unpickling one costs ~45 µs in the parent, a sixth of scoring a WCEP item).
    """
    workers = workers or default_workers()
    if workers <= 1:
        engine = engine or Engine.load(data_dir, user_dir)
        for article in articles:
            scored = engine.score(article)
            yield scored if transform is None else transform(scored)
        return
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with context.Pool(workers, initializer=_init_worker,
                      initargs=(data_dir and str(data_dir), user_dir and str(user_dir), transform)) as pool:
        yield from pool.imap(_score_in_worker, articles, chunksize=chunksize)
