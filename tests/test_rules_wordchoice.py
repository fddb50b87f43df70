"""The shipped word-choice model and the spinner lexicon: load, tokenise, score sensibly."""

import re

import numpy as np

from detector.rules._wordchoice import TOKEN_FEATURES, embedding_rows, model, tokens
from detector.rules.spun import lexicon

CLEAN = ("The Japanese government unveiled a major defence overhaul in December, including "
         "doubling spending to 2 percent of gross domestic product by 2027 and designating China "
         "as the greatest strategic challenge ever to Japan's security. Relations between the two "
         "capitals also have been strained amid tensions over trade issues, the status of the "
         "island, claims to the sea, and a continuing push against growing influence.")
# CLEAN spun at 30% by detector.spin (WordNet first-listed synonyms).
SPUN = ("The Japanese government revealed a major defence service in December, including double "
        "disbursement to 2 percent of gdp by 2027 and designating China as the superlative "
        "strategic challenge ever to Japan's security. Dealings between the two capitals also "
        "have been strained amid tensions over trade issues, the position of the island, claims "
        "to the ocean, and a continuing push against growing act upon.")


def test_tokens_mark_names_but_not_sentence_starts():
    toks = {w: name for w, _, _, name in tokens("The court met. Biden said Japan and China.")}
    assert toks["the"] is False
    assert toks["japan"] is True and toks["china"] is True


def test_model_ships_and_scores_spun_above_clean():
    m = model()
    assert m is not None and m.trees is not None
    clean, spun = m.score_text(CLEAN), m.score_text(SPUN)
    assert spun.score > clean.score
    rows, spans = m.token_features(SPUN)
    assert rows.shape == (len(spans), len(TOKEN_FEATURES))
    for s in spun.suspects:
        assert SPUN[s.start:s.end] == s.word


def test_batch_path_equals_reference_path_bit_for_bit():
    """score_texts / token_features_fast (arrays, the rule's path) give exactly what the
    per-word reference path gives, including the best original of each word."""
    m = model()
    texts = [CLEAN, SPUN, "Short one.", "", SPUN.upper(), "The 2 court docket. " + SPUN]
    for t in texts:
        ref_rows, ref_spans = m.token_features(t)
        rows, spans = m.token_features_fast(t)
        assert rows.tobytes() == ref_rows.tobytes() and spans == ref_spans
    assert m.score_texts(texts) == [m.score_text(t) for t in texts]
    # The flat tree walk equals the reference walk, also far from the training data.
    rows = np.random.default_rng(0).normal(scale=3.0, size=(500, len(TOKEN_FEATURES)))
    assert m._fast_tables().p_swapped(rows).tobytes() == m.p_swapped(rows).tobytes()
    # Blocks with too few content words come back unscored.
    few = m.score_texts(texts, min_words=10)
    assert few[2] is None and few[3] is None and few[0] == m.score_text(CLEAN)
    # Blocks under a minimum score come back unscored; the others are unchanged.
    cut = (m.score_text(CLEAN).score + m.score_text(SPUN).score) / 2
    assert m.score_texts([CLEAN, SPUN], min_score=cut) == [None, m.score_text(SPUN)]


SPUN_PHRASES = (
    "the court docket on Friday; 2 international locations; Touch upon this story Remark; "
    "thought of by many to be; looking for to bolster; final 12 months; 3 p.c. of; synthetic "
    "intelligence; the White Home; the Supreme Courtroom; the Democratic Celebration; psychological "
    "well being; regulation enforcement; hearth division; chief government officer; inventory "
    "market; U.S. greenback; information convention; Nationwide Guard; Division of Justice; "
    "Homeland Safety; Home of Representatives; Majority Chief; local weather change; greenhouse "
    "gasoline; electrical automobiles; tech large; central financial institution; World Financial "
    "institution; Wall Avenue; Excessive Courtroom; Overseas Minister; overseas coverage; well "
    "being officers; Safety Council; nationwide safety; Olympic Video games; soccer membership; "
    "gross home product; provide chain; shopper costs")


def test_every_lexicon_line_matches_and_its_keyword_guards_it():
    """Each pattern matches its phrase above, and every match contains the line's keyword
    (else the keyword prefilter in spun_matches would hide real matches)."""
    for kw, pat, original in lexicon():
        found = list(pat.finditer(SPUN_PHRASES))
        assert found, f"{pat.pattern} matches none of the known spinner phrases"
        for m in found:
            assert kw in m.group().lower(), (kw, m.group())


def test_embedding_rows_of_a_block_do_not_depend_on_its_batch():
    """The topical-fit features of a block are the same, bit for bit, alone or batched with
    other blocks (empty ones included), and follow their definition on a small case."""
    rng = np.random.default_rng(3)
    emb = rng.normal(size=(50, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    blocks = [rng.integers(-1, 60, size=n) for n in (12, 0, 3, 20)]  # ids >= 50: no vector
    origs = [(np.sort(rng.integers(0, len(b), size=2 * len(b))), rng.integers(-1, 60, size=2 * len(b)))
             for b in blocks]
    alone = [embedding_rows(emb, b, np.array([0, len(b)]), r, o) for b, (r, o) in zip(blocks, origs)]
    bounds = np.cumsum([0] + [len(b) for b in blocks])
    batch = embedding_rows(emb, np.concatenate(blocks), bounds,
                           np.concatenate([r + s for (r, _), s in zip(origs, bounds)]),
                           np.concatenate([o for _, o in origs]))
    assert batch.tobytes() == np.vstack(alone).tobytes()
    # Definition: cosine of word 0 with the sum of the block's other words' vectors.
    b = blocks[3]
    vec = np.array([emb[i] if 0 <= i < 50 else np.zeros(8, np.float32) for i in b])
    ctx = vec[1:].sum(axis=0)
    assert np.isclose(alone[3][0, 0], vec[0] @ ctx / (np.linalg.norm(ctx) + 1e-9), atol=1e-5)
    assert np.allclose(alone[3][:, 2], alone[3][:, 1] - alone[3][:, 0])


def test_shipped_word_vectors_are_unit_length_and_topical():
    m = model()
    assert m.emb is not None and m.emb.shape[0] <= m.v
    norms = np.linalg.norm(m.emb, axis=1)
    # Stopwords and "<s>" never enter the vectors' training pairs: zero rows (no vector).
    # int8 rounding moves a norm by <= 0.03; a few words with almost no co-occurrences had a
    # near-zero row before normalising and stay short.
    assert np.mean(np.abs(norms[norms > 0] - 1.0) < 0.05) > 0.99
    assert norms[m.ids["the"]] == 0 and norms[m.ids["court"]] > 0
    sim = m.emb @ m.emb[m.ids["basketball"]]
    assert sim[m.ids["football"]] > sim[m.ids["parliament"]]


def test_phrase_substitutes_mark_every_word_of_the_run():
    """A spinner's phrase for one word ("prison term" for time) marks each word of the run
    as inside a spinner's pick, and its original fits the gap better than the phrase does;
    the same words apart, or the original word itself, are not marked."""
    m = model()
    cols = [TOKEN_FEATURES.index(c) for c in ("mw_pick", "mw_any", "mw_orig_gain")]
    spun = "He was sentenced to serve a long prison term for the fraud."
    rows, spans = m.token_features(spun)
    at = {w: rows[i, cols] for i, (_, _, w, _) in enumerate(spans)}
    assert at["prison"][1] == at["term"][1] == 1.0
    assert at["prison"][0] == 1.0 and at["prison"][2] > 0
    assert at["sentenced"].tolist() == [0.0, 0.0, 0.0]
    for text in ("He was sentenced to serve time for the fraud.",
                 "The prison was far. The term ended in June."):
        rows, _ = m.token_features(text)
        assert not rows[:, cols[1]].any(), text


def test_phrase_rows_of_a_block_do_not_depend_on_its_batch():
    """phrase_rows of a block alone equals its rows batched with others (a run never crosses
    from one block into the next: "prison" ends one block and "term" opens the next)."""
    m = model()
    ft = m._fast_tables()
    from detector.rules._wordchoice import _scan_reference

    texts = ["A long prison", "term for the fraud. " + SPUN, "", "They met for a prison term."]
    scans = [_scan_reference(t, ft) for t in texts]
    alone = [m.phrase_rows([s]) for s in scans]
    assert m.phrase_rows(scans).tobytes() == np.vstack(alone).tobytes()
    assert not alone[0].any() and not alone[1][0].any() and alone[3].any()


def test_block_rows_follow_their_definition_and_do_not_depend_on_the_batch():
    """lex_swap_logit reads the table (default for other words), orig_in_block marks a word
    whose original is a content word of its own block only, w_repeats counts the word's other
    occurrences in its block; a block's rows are the same alone or batched."""
    from detector.rules._wordchoice import block_rows

    lex = {"lawyer": 1.5, "attorney": -2.0}
    # block 0: lawyer(5) attorney(7) lawyer(5) unknown(-1); block 1: lawyer(5) court(9)
    words = ["lawyer", "attorney", "lawyer", "zzz", "lawyer", "court"]
    cids = np.array([5, 7, 5, -1, 5, 9])
    bounds = np.array([0, 4, 6])
    # originals: row 0 (lawyer) -> attorney(7); row 4 (lawyer, block 1) -> attorney(7), court(9)
    r, o = np.array([0, 4, 4]), np.array([7, 7, 9])
    got = block_rows(lex, -1.0, words, cids, bounds, r, o)
    assert got[:, 0].tolist() == [1.5, -2.0, 1.5, -1.0, 1.5, -1.0]
    assert got[:, 1].tolist() == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert got[:, 2].tolist() == [1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    first = block_rows(lex, -1.0, words[:4], cids[:4], np.array([0, 4]), r[:1], o[:1])
    second = block_rows(lex, -1.0, words[4:], cids[4:], np.array([0, 2]), r[1:] - 4, o[1:])
    assert np.vstack([first, second]).tobytes() == got.tobytes()
    assert block_rows(lex, 0.0, [], np.zeros(0, np.int64), np.array([0]), r[:0], o[:0]).shape == (0, 3)


def test_shipped_swap_lexicon_knows_the_spinners_habits():
    """Words a spinner writes for common news words were swaps more often in the spun
    training text than the news words themselves."""
    m = model()
    assert len(m.lex) > 10_000 and m.lex_default < 0
    assert m.lex["nations"] > m.lex["countries"]
    assert m.lex["tribunal"] > m.lex["court"]


def test_books_counts_know_the_honest_pair_and_not_the_spun_one():
    """books_prev_w / books_w_next / books_unseen: "the two countries" and "the court case" are
    frequent book pairs; the spinner's "two international locations" and "court docket" are
    not, so their words are books_unseen (an outside sample of English, not the training
    pages: docs/spun5.md)."""
    from detector.rules._wordchoice import _BOOKS

    m = model()

    def books(text: str) -> dict[str, tuple[float, ...]]:
        rows, spans = m.token_features(text)
        return {w: tuple(r[_BOOKS:]) for r, (_, _, w, _) in zip(rows, spans)}

    assert TOKEN_FEATURES[_BOOKS:] == ("books_w", "books_prev_w", "books_w_next", "books_unseen")
    honest = books("The two countries signed a deal. The court case was closed.")
    spun = books("The two international locations signed a deal. The court docket was closed.")
    assert honest["countries"][1] > 0 and honest["countries"][3] == 0.0
    assert honest["court"][2] > 0 and honest["case"][1] > 0
    assert spun["international"][1] == spun["international"][2] == 0.0
    assert spun["international"][3] == 1.0 and spun["locations"][3] == 1.0
    assert spun["docket"][3] == 1.0 and spun["court"][2] == 0.0
    # Every word here is a common English word: its own books count is there.
    assert all(v[0] > 0 for v in (*honest.values(), *spun.values()))
