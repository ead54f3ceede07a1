"""What every reader shares: limits, byte decoding, derived titles, the language check, and turning
read fields into an `Article` (dates parsed, problems recorded as warnings)."""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from pathlib import Path

import charset_normalizer
import yaml

from analysis.dates import parse_date_checked
from analysis.model import Article, DateSource, without_lone_surrogates
from analysis.sentences import split_sentences

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # a whole-file format (.txt, .html, .json) read into memory at once
MAX_RECORD_BYTES = 10 * MB  # one JSONL line or CSV record; the file itself is streamed
MAX_ARCHIVE_BYTES = 1024 * MB  # everything a .zip expands to, all members together
MAX_COMPRESSION_RATIO = 200  # text compresses ~5-10x; far beyond that is a zip bomb
TITLE_MAX_CHARS = 200
STOPWORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "cleaning" / "stopwords.yaml"

# Single-byte encodings charset-normalizer often proposes for short Western text; they agree with
# cp1252 on most letters, and news in English (smart quotes, dashes) is far more often cp1252.
_WESTERN_LOOKALIKES = {"cp1250", "cp1252", "cp1257", "cp775", "cp850", "cp852", "latin_1",
                       "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13",
                       "iso8859_14", "iso8859_15", "iso8859_16", "mac_iceland", "mac_latin2", "mac_roman",
                       "mac_turkish", "cp1254"}
_WORD = re.compile(r"[^\W\d_]+")
# Control characters other than tab and newline (NUL, form feed, Reuters' \x03 end mark, DEL) carry
# no text and confuse later steps; Windows and old-Mac line ends become "\n".
_CONTROLS = {code: None for code in [*range(0, 9), 11, 12, *range(14, 32), 127]}
# A lone surrogate (JSON's "\ud83d" escape without its pair) is no character: it cannot be written
# as UTF-8, so one in a title or an id stopped the whole `score` run at the output. It becomes U+FFFD.
_CONTROLS.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
_SCRIPTS = (("ru", re.compile(r"[\u0400-\u04ff]")), ("ar", re.compile(r"[\u0600-\u06ff]")),
            ("he", re.compile(r"[\u0590-\u05ff]")), ("el", re.compile(r"[\u0370-\u03ff]")),
            ("zh", re.compile(r"[\u4e00-\u9fff]")), ("ja", re.compile(r"[\u3040-\u30ff]")),
            ("ko", re.compile(r"[\uac00-\ud7af]")), ("hi", re.compile(r"[\u0900-\u097f]")))


class NotText(ValueError):
    """Bytes that are not text in any encoding we can recognise (an image, a PDF, an executable)."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode `data` and name the encoding: BOMs first, then strict UTF-8, then charset-normalizer's
    best guess. Raises NotText for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:8192]:
        raise NotText("binary file (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = guess_encoding(data)
    return data.decode(encoding, errors="replace"), encoding


def guess_encoding(sample: bytes) -> str:
    """charset-normalizer's guess for non-UTF-8 bytes, preferring cp1252 among Western look-alikes."""
    best = charset_normalizer.from_bytes(sample[:200_000]).best()
    if best is None:
        raise NotText("binary file, or text in an encoding that could not be recognised")
    encoding = best.encoding
    if encoding in _WESTERN_LOOKALIKES:
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return encoding


def derive_title(text: str) -> str:
    """A title for an article that has none: its first sentence, shortened to a word boundary."""
    sentences = split_sentences(text[:2000])
    if not sentences:
        return ""
    title = " ".join(sentences[0].text.split())
    if len(title) > TITLE_MAX_CHARS:
        title = title[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return title


@lru_cache(maxsize=1)
def _stopwords() -> tuple[dict[str, frozenset[str]], float, int]:
    spec = yaml.safe_load(STOPWORDS_FILE.read_text(encoding="utf-8"))
    languages = {}
    for code, words in (spec.get("languages") or {}).items():
        odd = [word for word in words or () if not isinstance(word, str)]
        if odd:  # YAML reads a bare no / on / yes as a boolean
            raise ValueError(f"{STOPWORDS_FILE}: '{code}' has {odd[0]!r}; quote it (\"on\", \"no\")")
        languages[code] = frozenset(word.lower() for word in words)
    if "en" not in languages:
        raise ValueError(f"{STOPWORDS_FILE}: the 'en' word list is required")
    # Words English shares ("in", "is", "a", "die") would make English lists of names look Dutch.
    languages = {code: words if code == "en" else words - languages["en"]
                 for code, words in languages.items()}
    return languages, float(spec.get("min_share", 0.12)), int(spec.get("min_tokens", 8))


def guess_language(text: str) -> str | None:
    """"en", another ISO 639-1 guess, or None when the text is too short or unclear to say."""
    languages, min_share, min_tokens = _stopwords()
    sample = text[:3000]
    tokens = _WORD.findall(sample.lower())
    if len(tokens) < min_tokens:
        return None
    english = languages["en"]
    english_share = sum(1 for t in tokens if t in english) / len(tokens)
    if english_share >= 0.25:
        return "en"  # the common case, decided without scoring the other languages
    english_hits = english_share * len(tokens)
    hits = {code: sum(1 for t in tokens if t in words) for code, words in languages.items() if code != "en"}
    best = max(hits, key=hits.__getitem__)
    # Another language must be clearly ahead: names ("al-Maliki", "Tour de France") give a few hits.
    if hits[best] >= 3 and hits[best] / len(tokens) >= min_share and hits[best] > 2 * english_hits:
        return best
    if english_share >= min_share:
        return "en"
    if len(tokens) and sum(1 for t in tokens if t.isascii()) / len(tokens) < 0.5:
        counts = {code: len(pattern.findall(sample)) for code, pattern in _SCRIPTS}
        script = max(counts, key=counts.__getitem__)
        return script if counts[script] else None
    return None


def build_article(*, id: str, title: str, text: str, origin: str, date: object = None,
                  date_source: DateSource = "field", source: object = None, url: object = None,
                  warnings: list[str] | None = None) -> Article:
    """An `Article` from fields as read: the date parsed (problems become warnings), a missing title
    derived from the first sentence, the language guessed (non-English is kept, with a warning)."""
    notes = list(warnings or ())
    text = _normalise(text)
    day, problem = parse_date_checked(None if date is None else str(date))
    if problem:
        notes.append(problem)
    title = " ".join(_normalise(title).split()) if title else ""
    if not title:
        title = derive_title(text)
    language = guess_language(f"{title}\n{text}")
    if language not in (None, "en"):
        notes.append(f"non-English text (kept; looks like {language!r})")
    return Article(
        id=without_lone_surrogates(id), title=title, text=text, date=day,
        date_source=date_source if day else "none",
        source=_optional_text(source), url=_optional_text(url), origin=origin, language=language,
        warnings=tuple(notes),
    )


def _normalise(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROLS) if not text.isprintable() else text


def _optional_text(value: object) -> str | None:
    if value is None:
        return None
    text = without_lone_surrogates(str(value).strip())
    return text or None
