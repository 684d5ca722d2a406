"""Text handling both search backends share: cleaning, the vocabulary, trigram similarity, queries."""

import re
from dataclasses import dataclass, field

# Backends mark matches in snippets with these; they are stripped from indexed text so that no
# document can forge a mark (see core.search.highlight).
MARK_START, MARK_END = "\x02", "\x03"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORD = re.compile(r"[^\W_]+")
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")
# Below this trigram similarity a known word is not offered as a correction (pg_trgm's default).
SIMILARITY_THRESHOLD = 0.3
CORRECTIONS_PER_WORD = 3


def clean(text):
    return CONTROL.sub(" ", text or "")


def vocabulary(*texts):
    """The words of these texts worth correcting a query towards: letters only, 3 to 40 of them, lower case."""
    words = set()
    for text in texts:
        words.update(VOCABULARY_WORD.findall((text or "").lower()))
    return words


def trigrams(word):
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a, b):
    """pg_trgm's similarity: shared trigrams over all trigrams of the two words (0 to 1)."""
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second) if first and second else 0.0


@dataclass
class Group:
    """One clause of a query: any of its alternatives (each a phrase of words) must match, or, negated, none."""

    alternatives: list
    negated: bool = False

    def single_word(self):
        if len(self.alternatives) == 1 and len(self.alternatives[0]) == 1:
            return self.alternatives[0][0]
        return None


@dataclass
class ParsedQuery:
    """A web-search style query (words, "quoted phrases", `or`, -negation), as both backends read it."""

    text: str
    groups: list
    corrections: dict = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def parse(cls, text):
        """Parse `text`; return None when nothing in it could match (empty, or only negations)."""
        text = clean(text).strip()[:500]
        groups, pending_or = [], False
        for quoted, bare in re.findall(r'"([^"]*)"?|(\S+)', text):
            negated = bare.startswith("-") and len(bare) > 1
            words = WORD.findall((quoted or bare).lower())
            if not quoted and bare.lower() == "or" and groups:
                pending_or = True
                continue
            if not words:
                continue
            phrases = [words] if quoted else [[word] for word in words]
            for position, phrase in enumerate(phrases):
                if pending_or and position == 0 and not groups[-1].negated and not negated:
                    groups[-1].alternatives.append(phrase)
                else:
                    groups.append(Group([phrase], negated))
            pending_or = False
        if not any(not group.negated for group in groups):
            return None
        return cls(text, groups)

    def unknown_words(self):
        """The single words of the positive clauses a typo may hide in (long enough to have trigrams)."""
        return sorted(
            {
                phrase[0]
                for group in self.groups
                if not group.negated
                for phrase in group.alternatives
                if len(phrase) == 1 and len(phrase[0]) >= 3 and not phrase[0].isdigit()
            }
        )

    def corrected(self, similar):
        """Widen each word the vocabulary does not know to the known words most like it.

        `similar` maps a word to the known words most like it, best first (the word itself first
        when it is known). A clause whose only word is unknown and like nothing is dropped, unless
        that would leave nothing to match.
        """
        groups, corrections, changed = [], {}, False
        for group in self.groups:
            if group.negated:
                groups.append(group)
                continue
            alternatives = []
            for phrase in group.alternatives:
                alternatives.append(phrase)
                word = phrase[0] if len(phrase) == 1 else None
                if word is None or word not in similar or word in similar[word]:
                    continue
                found = similar[word][:CORRECTIONS_PER_WORD]
                if found:
                    corrections[word] = found
                    alternatives.extend([other] for other in found)
                changed = True
            groups.append(Group(alternatives, False))
        # A clause of only unknown words, like nothing known, would make the whole query match nothing.
        kept = [
            group
            for group in groups
            if group.negated or any(len(p) > 1 or p[0] not in similar or similar[p[0]] for p in group.alternatives)
        ]
        if any(not group.negated for group in kept):
            groups = kept
        return type(self)(self.text, groups, corrections, changed)
