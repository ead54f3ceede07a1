"""Readers behind `analysis.ingest.iter_articles`, one module per concern:

    common    decoding, limits, title and language guesses, building an `Article`
    textfile  .txt / .md with metadata header lines
    records   .jsonl / .json / .csv records (streamed where the format allows)
    html      .html via trafilatura
"""
