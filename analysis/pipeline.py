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
import signal
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
    cleaned, text = _cleaned(work.article)
    return _evolve(work, cleaned=cleaned, text=text)


def step_sentences(engine: Engine, work: Work) -> Work:
    return _evolve(work, sentences=tuple(split_sentences(work.text)))


def step_actors(engine: Engine, work: Work) -> Work:
    return _evolve(work, actors=_actors(engine, [s.text for s in work.sentences], work.article.date))


def step_keywords(engine: Engine, work: Work) -> Work:
    return _evolve(work, keywords=_keywords(engine, [s.text for s in work.sentences], work.article.date))


def step_sentiment(engine: Engine, work: Work) -> Work:
    return _evolve(work, sentiment=_sentiment(engine, [s.text for s in work.sentences]))


# What the steps compute, from plain values: Engine.score runs these directly when every step is
# enabled, building one Work for step_signals instead of one per step.

def _cleaned(article: Article) -> tuple[CleanedText, str]:
    """The cleaned body and the text the sentences are cut from (headline + cleaned body)."""
    cleaned = clean_text(article.text)
    title = article.title.strip()
    body = cleaned.text.strip()
    # The headline carries actors too; WCEP titles and readers' derived titles repeat the opening
    # sentence, so only prepend a headline the body does not already start with.
    probe = title.rstrip("…").rstrip(".")[:60]
    text = body if not title or body.startswith(probe) else f"{title}\n\n{body}"
    return cleaned, text


def _actors(engine: Engine, texts: list[str], date: str | None) -> tuple[tuple, ...]:
    # One automaton scan of the article's sentences, the mentions find_actors gives for each.
    found = engine.actors.find_actors_in_sentences(texts, date)
    return tuple([settle_venues(text, mentions) for text, mentions in zip(texts, found)])


def _keywords(engine: Engine, texts: list[str], date: str | None) -> tuple[tuple, ...]:
    # "in 2014" is history in a 2022 article but news in a 2014 one.
    year = int(date[:4]) if date else None
    return engine.lexicon.find_keywords_batch(texts, year)


def _sentiment(engine: Engine, texts: list[str]) -> tuple[float, ...]:
    return tuple(map(engine.sentiment.compound, texts))


def step_signals(engine: Engine, work: Work) -> Work:
    """Sentences with their actors, keywords and sentiment -> ScoredSentences, country pairs and the
    article's ScoredArticle. Records are built straight into their __dict__ (a frozen dataclass's
    __init__ costs ~3 µs a record); tests/test_pipeline_signals.py checks every field is set.
    Most WCEP items have one sentence, one actor and one keyword at most: those cases take short
    paths that give what the general rule gives (tests/test_pipeline_signals.py)."""
    sentences = work.sentences
    n = len(sentences)
    actors = work.actors or ((),) * n
    keywords = work.keywords or ((),) * n
    sentiment = work.sentiment or (0.0,) * n
    new_record = object.__new__
    # One pass over the sentences builds everything the article-level rules below need.
    scored_sentences = []
    taking_part = []
    with_parties = []  # rounded sentiment of the sentences naming a party
    escalations, cooperations, found_keywords = [], [], []
    any_actor = any_venue = False
    codes = set()  # the countries (not organisations) any sentence names
    for sentence, found, matches, compound in zip(sentences, actors, keywords, sentiment):
        tone = round(compound, 4)
        text = sentence.text
        if not found:  # most sentences name no actor: skip building empty tuples three ways
            acting = []
            parties = venues = organisations = ()
        elif len(found) == 1:  # the next most common: one actor, its code the only one of each tuple
            any_actor = True
            only = found[0]
            acting = event_actors(text, found)
            if only.is_organisation:
                parties = venues = ()
                organisations = (only.code,)
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
        else:
            any_actor = True
            acting = event_actors(text, found)
            parties = tuple(dict.fromkeys([m.code for m in acting if not m.is_organisation]))
            venues = tuple(dict.fromkeys([m.code for m in found if m.role == "venue" and not m.is_organisation]))
            organisations = tuple(dict.fromkeys([m.code for m in found if m.is_organisation]))
            if venues:
                any_venue = True
            if parties:
                with_parties.append(tone)
            codes.update([m.code for m in found if not m.is_organisation])
        if not matches:
            escalation = cooperation = 0  # an int, as sum() of nothing gives: the JSON output is unchanged
        elif len(matches) == 1:
            # sum() of one score is 0 + score, of none int 0: the same values and types as below.
            only_match = matches[0]
            if only_match.polarity == "escalation":
                escalation = round(0 + only_match.weight * only_match.factor, 3)
                cooperation = 0
            elif only_match.polarity == "cooperation":
                escalation = 0
                cooperation = round(0 + only_match.weight * only_match.factor, 3)
            else:
                escalation = cooperation = 0
            escalations.append(escalation)
            cooperations.append(cooperation)
            found_keywords.append(only_match)
        else:
            escalation = round(sum([k.weight * k.factor for k in matches if k.polarity == "escalation"]), 3)
            cooperation = round(sum([k.weight * k.factor for k in matches if k.polarity == "cooperation"]), 3)
            escalations.append(escalation)
            cooperations.append(cooperation)
            found_keywords.extend(matches)
        taking_part.append(acting)
        scored = new_record(ScoredSentence)
        # Item by item, in declaration order (as __init__ sets them: the pickle stays the same).
        state = scored.__dict__
        state["index"] = sentence.index
        state["text"] = text
        state["parties"] = parties
        state["venues"] = venues
        state["organisations"] = organisations
        state["actors"] = tuple(found)
        state["keywords"] = tuple(matches)
        state["sentiment"] = tone
        state["escalation"] = escalation
        state["cooperation"] = cooperation
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
        # The country mentions of each sentence, the article's venues left out.
        salience_input = [[m for m in found if not m.is_organisation and m.code not in venues] for found in actors] \
            if venues else [[m for m in found if not m.is_organisation] for found in actors]
        countries, mentions = salient_countries(salience_input, n)
        pairs = pair_signals(scored_sentences, stance, venues, taking_part, engine.lexicon.mutual_terms)
    with_actors = with_parties or sentiment
    article_sentiment = math.fsum(with_actors) / len(with_actors) if with_actors else 0.0
    # sum() of the sentences' scores, leaving out the int zeros of sentences without keywords
    # (adding 0 changes neither value nor type once a float is in; with none, both give int 0).
    escalation = sum(escalations)
    cooperation = sum(cooperations)
    if not found_keywords:
        keyword_counts = ()
    elif len(found_keywords) == 1:  # the common case: no counting, no sorting
        only_match = found_keywords[0]
        keyword_counts = (_keyword_count(only_match.term, only_match.category, 1),)
    else:
        counts: dict[tuple[str, str], int] = {}
        for k in found_keywords:
            key = (k.term, k.category)
            counts[key] = counts.get(key, 0) + 1
        # Counter.most_common()'s order: by count, first seen first among equals (a stable sort).
        keyword_counts = tuple([_keyword_count(term, category, count) for (term, category), count
                                in sorted(counts.items(), key=lambda item: item[1], reverse=True)])

    article = work.article
    warnings = article.warnings
    if not countries or article.date is None:
        warnings = list(warnings)
        if not countries:
            warnings.append("no country found")
        if article.date is None:
            warnings.append("undated")
    cleaned = work.cleaned
    scored = new_record(ScoredArticle)
    # Defaulted fields first, the order these records have always had: pickles stay byte-identical.
    state = scored.__dict__
    state["warnings"] = tuple(warnings)
    state["cited_sources"] = cleaned.cited_sources if cleaned else ()
    state["removed"] = cleaned.removed if cleaned else ()
    state["language"] = article.language
    state["sentences"] = scored_sentences
    state["text"] = work.text
    state["id"] = article.id
    state["title"] = article.title
    state["date"] = article.date
    state["date_source"] = article.date_source
    state["source"] = article.source
    state["url"] = article.url
    state["origin"] = article.origin
    state["countries"] = tuple(countries)
    state["mentions"] = tuple(mentions)
    state["venues"] = tuple(sorted(venues)) if venues else ()
    state["sentiment"] = round(article_sentiment, 4)
    # Without keywords both sums are int 0, which round() gives back as it is.
    state["escalation"] = round(escalation, 3) if found_keywords else escalation
    state["cooperation"] = round(cooperation, 3) if found_keywords else cooperation
    state["tension"] = tension_index(escalation, cooperation, article_sentiment)
    state["pairs"] = pairs
    state["keywords"] = keyword_counts
    return _evolve(work, scored=scored)


def _keyword_count(term: str, category: str, count: int) -> KeywordCount:
    """KeywordCount(term, category, count), built into its __dict__ in field order."""
    record = object.__new__(KeywordCount)
    state = record.__dict__
    state["term"] = term
    state["category"] = category
    state["count"] = count
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

    def __post_init__(self) -> None:
        # Not a field: equality, hash and repr stay those of the resources and steps.
        object.__setattr__(self, "_every_step", tuple(self.steps) == STEPS)

    @classmethod
    def load(cls, data_dir: Path | None = None, user_dir: Path | None = None,
             disable: Iterable[str] = ()) -> Engine:
        """Load dictionaries from `data_dir` (default: the repo's data/) plus an analyst's edits in
        `user_dir` (default: `data_dir`/user/ when present; with the repo's data, the folder the
        dashboard edits: $FAULTLINE_USER_DIR or data/user/)."""
        if user_dir:
            user_dir = Path(user_dir)
        elif data_dir:
            user_dir = Path(data_dir) / "user"
        else:
            from analysis.user_edits import user_dir as analyst_folder

            user_dir = analyst_folder()
        data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
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
        if not self._every_step:
            return self.run(article).scored
        # The steps' own functions in order, without a Work record per step (~1 µs each, on WCEP
        # items of one or two sentences a few percent of scoring); tests/test_pipeline_steps.py checks
        # the result is run()'s, field for field.
        cleaned, text = _cleaned(article)
        sentences = tuple(split_sentences(text))
        texts = [sentence.text for sentence in sentences]
        date = article.date
        work = object.__new__(Work)
        work.__dict__.update(article=article, cleaned=cleaned, text=text, sentences=sentences,
                             actors=_actors(self, texts, date), keywords=_keywords(self, texts, date),
                             sentiment=_sentiment(self, texts), scored=None)
        return step_signals(self, work).scored


DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _existing(path: Path) -> Path | None:
    return path if path.is_file() else None


# --- many articles, many cores -------------------------------------------------------------------

_worker_engine: Engine | None = None
_worker_transform: Callable[[ScoredArticle], object] | None = None


def leave_interrupts_to_the_parent() -> None:
    """In a scoring worker: ignore SIGINT. Ctrl-C reaches the whole process group; the parent
    stops the pool and prints one line, where each worker would add a KeyboardInterrupt traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _init_worker(engine: Engine | None, data_dir: str | None, user_dir: str | None,
                 transform: Callable[[ScoredArticle], object] | None = None) -> None:
    global _worker_engine, _worker_transform
    leave_interrupts_to_the_parent()
    _worker_engine = engine or Engine.load(data_dir and Path(data_dir), user_dir and Path(user_dir))
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

    Each worker process scores with `engine` (inherited when processes fork); under spawn each loads
    its own from `data_dir` / `user_dir`, so a given `engine` is then used in this process alone.
    The input is consumed lazily, so a long stream is never held in memory whole. With `transform` (a picklable function, e.g. ScoredArticle -> JSON
    line), the workers apply it and its results are yielded instead of ScoredArticles: the caller's
    per-article work runs in parallel too, and a short string crosses between processes instead of a
    ScoredArticle (unpickling one costs ~45 µs in the parent, a sixth of scoring a WCEP item).
    """
    workers = workers or default_workers()
    can_fork = "fork" in mp.get_all_start_methods()
    if workers <= 1 or (engine is not None and not can_fork):
        # spawned workers could not inherit `engine`: they would score with other dictionaries
        engine = engine or Engine.load(data_dir, user_dir)
        for article in articles:
            scored = engine.score(article)
            yield scored if transform is None else transform(scored)
        return
    context = mp.get_context("fork" if can_fork else "spawn")
    if can_fork:
        # Forked workers inherit this Engine (fork passes initargs without pickling) instead of
        # each reading the dictionaries again.
        initargs = (engine or Engine.load(data_dir, user_dir), None, None, transform)
    else:
        initargs = (None, data_dir and str(data_dir), user_dir and str(user_dir), transform)
    with context.Pool(workers, initializer=_init_worker, initargs=initargs) as pool:
        yield from pool.imap(_score_in_worker, articles, chunksize=chunksize)
