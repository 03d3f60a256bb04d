"""The reader's words, read safely: bare words, "exact phrases" and a trailing * for a prefix.

Whatever is typed (quotes left open, operators, brackets, any script) becomes a list of terms
made only of word characters, which each backend writes in its own syntax, so no input is ever
read as that syntax: FTS5's `AND`, `NEAR(` or `*` alone are words or nothing.
"""

import re
from dataclasses import dataclass

MAX_LENGTH = 200  # characters of the query read; the rest is ignored
MAX_TERMS = 12
_PHRASE = re.compile(r'"([^"]*)"?')
_WORD = re.compile(r"\w+(\*?)")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words in order
    prefix: bool = False  # the last (only) word may begin a longer one


def terms_parse(text: str) -> list[Term]:
    """Terms of the query: each phrase, then each bare word (a trailing * marks a prefix)."""
    text = (text or "")[:MAX_LENGTH]
    terms: list[Term] = []
    position = 0
    for match in _PHRASE.finditer(text):
        terms += _bare(text[position : match.start()])
        words = tuple(w.group(0).rstrip("*") for w in _WORD.finditer(match.group(1)))
        if words:
            terms.append(Term(words))
        position = match.end()
    terms += _bare(text[position:])
    return terms[:MAX_TERMS]


def _bare(text: str) -> list[Term]:
    return [
        Term((match.group(0).rstrip("*"),), prefix=bool(match.group(1)))
        for match in _WORD.finditer(text)
    ]


def fts5_match(terms: list[Term]) -> str:
    """FTS5 MATCH text: every term quoted (a phrase as one string), ANDed."""
    parts = []
    for term in terms:
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(quoted + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def websearch_text(terms: list[Term]) -> str:
    """PostgreSQL websearch_to_tsquery text for the terms that are not prefixes."""
    return " ".join('"' + " ".join(t.words) + '"' for t in terms if not t.prefix)


def prefix_words(terms: list[Term]) -> list[str]:
    return [t.words[0] for t in terms if t.prefix]
