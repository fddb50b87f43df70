"""A synonym spinner built from open thesauri: simulates what article spinners do to copied text.

Commercial spinners ("spin rewriters") replace a share of the content words of a copied article
with the first synonym their dictionary lists, inflected crudely, with no sense disambiguation:
"seeking to bolster" becomes "looking for to bolster", "countries" becomes "nations", "court"
becomes "tribunal". This module does the same with openly licensed data, for training and
evaluating spun-text signals. It reads the thesauri at run time from ../shared/data (it is a
tool for building corpora, not part of scoring) and never ships them.

Data (see /work/shared/data/thesaurus/*.README.txt):
- Open English WordNet (CC BY 4.0; derived from Princeton WordNet 3.1): same-synset synonyms
  by part of speech, in sense order. This is the dictionary: its first-listed synonym of the
  most frequent sense is the spinner's choice.
- Moby Thesaurus II by Grady Ward (public domain): used only as a second opinion; a WordNet
  synonym that Moby also lists under the word is preferred (it is more likely the right sense).
- wordfreq (data CC BY-SA 4.0): rejects synonyms too rare to be in any spinner's dictionary.

API (kept stable; the model's corpus builder imports it)::

    sp = Spinner.load()                      # default: <shared data>/thesaurus
    spun = sp.spin(text, rate=0.2, rng=random.Random(7))
"""

from __future__ import annotations

import gzip
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from detector.rules._wordchoice import STOPWORDS as _FUNCTION_WORDS

OEWN_FILE = "open_english_wordnet_synonyms.tsv.gz"
MOBY_FILE = "moby_thesaurus.tsv.gz"

# A word, with inner apostrophes/hyphens ("don't", "long-term").
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
# Longest thesaurus phrase tried at one position (OEWN has 4+ word entries, rare in news).
MAX_PHRASE_WORDS = 3
# A synonym rarer than this (wordfreq Zipf scale; 3 = once per million words) is not in a
# spinner's dictionary. Chosen by reading swaps on news text: below 2.5 most candidates are
# archaic or technical ("tarradiddle", "judicature").
MIN_SYNONYM_ZIPF = 2.5
# Chance of taking the first acceptable synonym; otherwise the second. Spinners mostly take the
# first, and some rotate between the first few.
FIRST_CHOICE_P = 0.75
# Only words at least this long are spun (short words are mostly function words or names).
MIN_WORD_LEN = 3

# Function words and auxiliaries spinners leave alone: the word-choice model's function words
# (one list, detector/rules/_wordchoice.py) and a few words spinners keep because swapping them
# breaks a phrase ("according to", "per cent", "new year").
STOPWORDS = _FUNCTION_WORDS | frozenset({"according", "per", "new", "year", "years"})


def _default_dir() -> Path:
    from detector.datasets import data_dir

    d = data_dir()
    if d is None:
        raise FileNotFoundError("../shared/data is absent (set DETECTOR_DATA); the spinner "
                                "needs its thesaurus/ folder")
    return d / "thesaurus"


def _zipf(phrase: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(phrase, "en")


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str


@dataclass
class Spinner:
    """Synonym spinner. Build with `Spinner.load`; `spin` is pure given its rng."""

    oewn: dict[str, dict[str, list[str]]]  # word -> pos -> synonyms (sense order)
    moby: dict[str, str] = field(default_factory=dict)  # root -> raw "a|b|c" (parsed lazily)
    _choices: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, thesaurus_dir: str | Path | None = None, *, use_moby: bool = True) -> Spinner:
        folder = Path(thesaurus_dir) if thesaurus_dir else _default_dir()
        oewn: dict[str, dict[str, list[str]]] = {}
        with gzip.open(folder / OEWN_FILE, "rt", encoding="utf-8") as fh:
            for line in fh:
                word, pos, syns = line.rstrip("\n").split("\t")
                oewn.setdefault(word, {})[pos] = syns.split("|")
        moby: dict[str, str] = {}
        if use_moby and (folder / MOBY_FILE).exists():
            with gzip.open(folder / MOBY_FILE, "rt", encoding="utf-8") as fh:
                for line in fh:
                    word, _, syns = line.rstrip("\n").partition("\t")
                    if word in oewn:
                        moby[word] = syns
        return cls(oewn=oewn, moby=moby)

    # --- dictionary -------------------------------------------------------------------------

    def choices(self, lemma: str, pos: str) -> tuple[str, ...]:
        """Acceptable synonyms of ``lemma`` as ``pos``, best first (first-listed, Moby-confirmed
        ones ahead of the rest, too-rare ones dropped)."""
        key = (lemma, pos)
        hit = self._choices.get(key)
        if hit is not None:
            return hit
        syns = self.oewn.get(lemma, {}).get(pos, [])
        ok = [s for s in syns
              if s != lemma and re.fullmatch(r"[a-z]+(?:[ -][a-z]+)*", s)
              and lemma not in s.split() and _zipf(s) >= MIN_SYNONYM_ZIPF]
        moby = set(self.moby.get(lemma, "").split("|")) if lemma in self.moby else set()
        confirmed = [s for s in ok if s in moby]
        out = tuple(confirmed + [s for s in ok if s not in moby])
        self._choices[key] = out
        return out

    def _lookup(self, lower: str, prev: str = "") -> tuple[str, str, str] | None:
        """(lemma, pos, inflection) for a lower-case word or phrase with synonyms, else None.

        Inflection is one of "", "s", "ed", "ing", reapplied to the synonym."""
        for lemma, infl in _lemmas(lower):
            entry = self.oewn.get(lemma)
            if not entry:
                continue
            for pos in _pos_order(infl, lower, prev):
                if pos in entry and self.choices(lemma, pos):
                    return lemma, pos, infl
        return None

    # --- spinning ---------------------------------------------------------------------------

    def spin(self, text: str, rate: float, rng: random.Random) -> str:
        """Replace about ``rate`` of the content words of ``text`` with synonyms."""
        return self.spin_with_changes(text, rate, rng)[0]

    def spin_with_changes(self, text: str, rate: float,
                          rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
        """`spin`, plus where each replacement sits in the output: (start, end, original)."""
        toks = [_Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        # 1. candidate replacements: (first token, token count, replacement), phrases first
        spans: list[tuple[int, int, str, str, str]] = []  # (i, n, lemma, pos, infl)
        n_content = 0
        i = 0
        while i < len(toks):
            t = toks[i]
            if not _is_content(t, text):
                i += 1
                continue
            n_content += 1
            found = None
            for n in range(MAX_PHRASE_WORDS, 0, -1):
                if i + n > len(toks) or not _joined_by_spaces(toks, i, n, text):
                    continue
                phrase = " ".join(x.text for x in toks[i:i + n]).lower()
                if n > 1 and any(_is_name(toks[j], text) for j in range(i, i + n)):
                    continue
                prev = _prev_word(toks, i, text)
                hit = self._lookup(phrase, prev)
                if hit:
                    found = (i, n, *hit)
                    break
            if found:
                spans.append(found)
                i += found[1]
            else:
                i += 1
        # 2. pick about rate * content words among the candidates
        k = min(len(spans), round(rate * n_content))
        picked = sorted(rng.sample(range(len(spans)), k)) if k else []
        # 3. rebuild the text
        out: list[str] = []
        changes: list[tuple[int, int, str]] = []
        out_len = 0
        pos_in_text = 0
        for si in picked:
            i, n, lemma, pos, infl = spans[si]
            opts = self.choices(lemma, pos)
            syn = opts[0] if len(opts) == 1 or rng.random() < FIRST_CHOICE_P else opts[1]
            new = _inflect(syn, infl, pos)
            first = toks[i]
            if first.text[0].isupper():
                new = new[0].upper() + new[1:]
            gap = text[pos_in_text:first.start]
            out.append(gap)
            out.append(new)
            out_len += len(gap)
            changes.append((out_len, out_len + len(new), text[first.start:toks[i + n - 1].end]))
            out_len += len(new)
            pos_in_text = toks[i + n - 1].end
        out.append(text[pos_in_text:])
        return "".join(out), changes


# --- helpers --------------------------------------------------------------------------------

def _sentence_initial(tok: _Token, text: str) -> bool:
    before = text[:tok.start].rstrip(" \t\"'\u201c\u2018(")
    return not before or before[-1] in ".!?\n:\u2014"


def _is_name(tok: _Token, text: str) -> bool:
    """Capitalised mid-sentence (a name), or all caps (an acronym)."""
    w = tok.text
    if w.isupper() and len(w) > 1:
        return True
    return w[0].isupper() and not _sentence_initial(tok, text)


def _is_content(tok: _Token, text: str) -> bool:
    w = tok.text
    return (len(w) >= MIN_WORD_LEN and w.lower() not in STOPWORDS and not _is_name(tok, text)
            and w.isascii())


def _joined_by_spaces(toks: list[_Token], i: int, n: int, text: str) -> bool:
    return all(text[toks[j].end:toks[j + 1].start] == " " for j in range(i, i + n - 1))


def _lemmas(w: str) -> list[tuple[str, str]]:
    """Candidate (lemma, inflection) pairs of a lower-case word or phrase (last word for
    nouns, first word for verbs is handled by the caller through the phrase itself)."""
    out = [(w, "")]
    head, sep, tail = w.rpartition(" ")
    last = tail
    pre = head + sep
    if last.endswith("ies") and len(last) > 4:
        out.append((pre + last[:-3] + "y", "s"))
    if last.endswith("es") and len(last) > 4:
        out.append((pre + last[:-2], "s"))
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        out.append((pre + last[:-1], "s"))
    first, sep2, rest = w.partition(" ")
    post = sep2 + rest
    for suf in ("ed", "ing"):
        if first.endswith(suf) and len(first) > len(suf) + 2:
            stem = first[:-len(suf)]
            out.append((stem + post, suf))
            out.append((stem + "e" + post, suf))
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append((stem[:-1] + post, suf))
            if suf == "ed" and stem.endswith("i"):
                out.append((stem[:-1] + "y" + post, suf))
    return out


# The word before decides noun or verb for words that can be both ("ends", "bolster").
_BEFORE_VERB = frozenset("""to will would can could may might must should shall did does do not
never also he she it they we i who which that <name>""".split())
_BEFORE_NOUN = frozenset("""the a an his her its their our my your these those this that of
both many several some all other each every any two three four five""".split())


def _prev_word(toks: list[_Token], i: int, text: str) -> str:
    if i == 0 or text[toks[i - 1].end:toks[i].start].strip():
        return ""
    p = toks[i - 1]
    return "<name>" if _is_name(p, text) else p.text.lower()


def _pos_order(infl: str, word: str, prev: str = "") -> tuple[str, ...]:
    if infl in ("ed", "ing"):
        return ("v",)
    verb_first = prev in _BEFORE_VERB and prev not in _BEFORE_NOUN or (
        prev == "that" and infl == "s")
    if infl == "s":
        return ("v", "n") if verb_first else ("n", "v")
    if word.endswith("ly"):
        return ("r", "a")
    if verb_first:
        return ("v", "n", "a", "r")
    if prev in _BEFORE_NOUN:
        return ("n", "a", "v", "r")
    return ("n", "v", "a", "r")


# Past tenses of the irregular verbs that show up as first-listed synonyms.
_IRREGULAR_PAST = {
    "get": "got", "come": "came", "make": "made", "take": "took", "go": "went", "give": "gave",
    "find": "found", "set": "set", "put": "put", "run": "ran", "hold": "held", "bring": "brought",
    "keep": "kept", "leave": "left", "meet": "met", "see": "saw", "tell": "told",
    "think": "thought", "say": "said", "buy": "bought", "feel": "felt", "lead": "led",
    "send": "sent", "build": "built", "stand": "stood", "seek": "sought", "win": "won",
    "lose": "lost", "pay": "paid", "hit": "hit", "cut": "cut", "let": "let", "show": "showed",
    "draw": "drew", "fall": "fell", "grow": "grew", "know": "knew", "break": "broke",
    "speak": "spoke", "write": "wrote", "rise": "rose", "drive": "drove", "begin": "began",
}


def _doubles(w: str) -> bool:
    """Short consonant-vowel-consonant verbs double their last letter: set -> setting."""
    return (len(w) <= 4 and len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou"
            and w[-3] not in "aeiou")


def _inflect(syn: str, infl: str, pos: str) -> str:
    """Reapply an inflection crudely, as spinners do: verbs on their first word ("looking
    for"), nouns on their last ("court dockets")."""
    if not infl:
        return syn
    words = syn.split(" ")
    idx = 0 if pos == "v" else len(words) - 1
    w = words[idx]
    if infl == "s":
        if w.endswith(("s", "x", "z", "ch", "sh")):
            w += "es"
        elif w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
            w = w[:-1] + "ies"
        else:
            w += "s"
    elif infl == "ed":
        if w in _IRREGULAR_PAST:
            w = _IRREGULAR_PAST[w]
        elif _doubles(w):
            w += w[-1] + "ed"
        elif w.endswith("e"):
            w += "d"
        elif w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
            w = w[:-1] + "ied"
        else:
            w += "ed"
    elif infl == "ing":
        if w.endswith("e") and not w.endswith("ee") and len(w) > 2:
            w = w[:-1] + "ing"
        elif _doubles(w):
            w += w[-1] + "ing"
        else:
            w += "ing"
    words[idx] = w
    return " ".join(words)
