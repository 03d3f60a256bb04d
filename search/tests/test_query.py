"""Reading the reader's words: whatever is typed becomes safe terms."""

import pytest

from search.query import MAX_TERMS, Term, fts5_match, terms_parse, websearch_text


def test_words_phrases_and_prefixes_are_read():
    assert terms_parse('knife "serious violence" polic*') == [
        Term(("knife",)),
        Term(("serious", "violence")),
        Term(("polic",), prefix=True),
    ]


def test_fts5_text_quotes_every_term_so_operators_are_words():
    assert fts5_match(terms_parse("NEAR( AND knife*")) == '"NEAR" AND "AND" AND "knife"*'


def test_websearch_text_leaves_prefixes_to_their_own_query():
    assert websearch_text(terms_parse('crime "knife crime" polic*')) == '"crime" "knife crime"'


@pytest.mark.parametrize("odd", ['"', "*", "(", ")", "-", "^", ":", "''", "\x00", " "])
def test_input_with_no_words_gives_no_terms(odd):
    assert terms_parse(odd) == []


def test_an_unclosed_quote_is_a_phrase_to_the_end():
    assert terms_parse('"knife crime') == [Term(("knife", "crime"))]


def test_long_input_is_cut_to_a_few_terms():
    assert len(terms_parse("word " * 2000)) == MAX_TERMS
