"""Engine.score runs the steps' functions without a Work record per step when every step is on: its
result must be what running the steps one by one (Engine.run) gives, field for field and byte for byte
when pickled (the store keeps pickles), and an engine with a step disabled must still run its steps."""
from __future__ import annotations

import pickle

import pytest

from analysis.model import Article
from analysis.pipeline import STEPS, Engine

ARTICLES = [
    Article(id="a1", title="Russia launched 728 drones against Ukraine",
            text="Russia launched 728 drones against Ukraine overnight, Kyiv said. The attack was the "
                 "largest of the war.", date="2025-07-09"),
    Article(id="a2", title="", text="Rubio meets Lavrov in Kuala Lumpur. They did not agree on a "
                                    "ceasefire but talks will continue.", date="2025-07-10"),
    Article(id="a3", title="Heavy rain", text="Heavy rain fell on the coast.", date=None),
    Article(id="a4", title="Tariffs", text="The United States imposed tariffs on Chinese steel, and "
            "Beijing threatened sanctions in return.\n\nRelated: Canada and Mexico sign deal",
            date="2019-05-01", source="Wire"),
    Article(id="a5", title="Empty", text=""),
]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_score_is_what_running_the_steps_gives(engine, article):
    assert engine._every_step
    scored = engine.score(article)
    stepwise = engine.run(article).scored
    assert scored == stepwise
    assert pickle.dumps(scored) == pickle.dumps(stepwise)
    assert scored.to_dict(with_sentences=True) == stepwise.to_dict(with_sentences=True)


def test_an_engine_without_a_step_runs_its_steps():
    full = Engine.load()
    quiet = Engine(actors=full.actors, lexicon=full.lexicon, sentiment=full.sentiment,
                   steps=tuple(step for step in STEPS if step[0] != "sentiment"))
    assert not quiet._every_step
    scored = quiet.score(ARTICLES[0])
    assert scored.sentences and all(sentence.sentiment == 0.0 for sentence in scored.sentences)
    assert full.score(ARTICLES[0]).sentences[0].sentiment != 0.0


def test_forked_workers_score_with_the_callers_engine():
    """score_articles(workers=2, engine=...) scores with that engine, not a freshly loaded default one
    (forked workers inherit it): here one without the sentiment step."""
    import multiprocessing

    from analysis.pipeline import score_articles

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("workers are spawned here and load their own engine")
    full = Engine.load()
    quiet = Engine(actors=full.actors, lexicon=full.lexicon, sentiment=full.sentiment,
                   steps=tuple(step for step in STEPS if step[0] != "sentiment"))
    scored = list(score_articles(ARTICLES * 3, workers=2, engine=quiet, chunksize=2))
    assert [s.id for s in scored] == [a.id for a in ARTICLES * 3]
    assert scored == [quiet.score(article) for article in ARTICLES * 3]
    assert all(sentence.sentiment == 0.0 for s in scored for sentence in s.sentences)
