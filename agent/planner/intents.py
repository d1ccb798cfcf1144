"""Intent detection: which of the lexicon's intents a clause expresses, and how strongly.

Each intent's cue words are looked for anywhere in the clause (inflections and typos match,
see ``text.same_word``); the weights of the cues found add up to the intent's score. A clause
can express several intents ("who has it and why is it stuck?"); all those at or above
``INTENT_THRESHOLD`` are kept. The tokens a cue used are reported so that slot filling does
not mistake them for a customer's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.planner.lexicon import INTENT_CUES, INTENT_THRESHOLD, Intent
from agent.planner.phrases import Occurrences
from agent.planner.text import Token


@dataclass
class IntentScores:
    scores: dict[Intent, float] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)  # token indices that carried a cue

    def above(self, threshold: float = INTENT_THRESHOLD) -> list[Intent]:
        """Intents at or above ``threshold``, strongest first."""
        kept = [(score, intent) for intent, score in self.scores.items() if score >= threshold]
        return [intent for _, intent in sorted(kept, key=lambda item: -item[0])]

    def of(self, intent: Intent) -> float:
        return self.scores.get(intent, 0.0)


def score_intents(words: list[Token], name: range = range(0)) -> IntentScores:
    """The clause's intent scores; cue words inside ``name`` (the customer's name, once
    known) are part of the name, not of the question ("Bayou City Staffing", "Prairie State
    Grain")."""
    result = IntentScores()
    found = Occurrences(words)
    for intent, cues in INTENT_CUES.items():
        total = 0.0
        for cue, weight in cues.items():
            spans = [s for s in found.find(cue) if not set(s) & set(name)]
            if intent == "portfolio" and cue.endswith("s"):
                # Lists are asked for in the plural: "accounts" is a list, "account" is not.
                spans = [s for s in spans if words[s.stop - 1].norm.endswith("s")]
            if spans:
                total += weight
                for span in spans:
                    result.used.update(span)
        if total:
            result.scores[intent] = round(total, 2)
    return result
