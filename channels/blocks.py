"""Block Kit for Baton's Slack messages: answers with sources and feedback buttons, the journey
card, and the digest. Pure functions returning block dicts, so tests read them as JSON.

Answers are standard markdown (a ``markdown`` block) because that is what the agent writes and
what Slack's streaming API takes; cards use ``mrkdwn`` sections for their fields and links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownBlock,
    MarkdownTextObject,
    SectionBlock,
)

from journeys.digest import Digest, DigestItem, TeamDigest, sla_phrase
from journeys.facts import Source
from journeys.view import JourneyView, Owner

FEEDBACK_UP = "baton_feedback_up"
FEEDBACK_DOWN = "baton_feedback_down"
MARKDOWN_LIMIT = 12_000  # characters in one markdown block
CONTEXT_LIMIT = 10  # elements in one context block
HEADER_LIMIT = 150
MAX_BLOCKS = 50
DIGEST_ITEMS_PER_TEAM = 15  # keeps a team's message within Slack's 50 blocks

_STATUS_EMOJI = {
    "on_track": ":large_green_circle:",
    "at_risk": ":large_yellow_circle:",
    "blocked": ":red_circle:",
    "stalled": ":black_circle:",
    "live": ":white_check_mark:",
    "terminated": ":no_entry:",
}


class Cited(Protocol):
    """A source an answer cites (``agent`` citations have this shape)."""

    label: str
    link: str | None


def _dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [b.to_dict() for b in blocks]


def _link(label: str, url: str | None) -> str:
    # mrkdwn: <, > and & are the only characters that must be escaped.
    text = label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<{url}|{text}>" if url else text


def _holder(owner: Owner) -> str:
    return f"{owner.person} ({owner.team})" if owner.person else owner.team


def sources_context(citations: Sequence[Cited]) -> list[ContextBlock]:
    """``Sources: <link|label> · …`` in context blocks of at most ten elements."""
    links = [_link(c.label, c.link) for c in citations]
    rows = [links[i : i + CONTEXT_LIMIT] for i in range(0, len(links), CONTEXT_LIMIT)]
    return [ContextBlock(elements=[MarkdownTextObject(text=text) for text in row]) for row in rows]


def feedback_actions(answer_ref: str) -> ActionsBlock:
    """Thumbs up/down; ``answer_ref`` comes back in the action so the vote names its answer."""
    return ActionsBlock(
        block_id="baton_feedback",
        elements=[
            ButtonElement(text=":+1: Helpful", action_id=FEEDBACK_UP, value=answer_ref),
            ButtonElement(text=":-1: Not helpful", action_id=FEEDBACK_DOWN, value=answer_ref),
        ],
    )


def answer_extras(
    citations: Sequence[Cited], *, card: Sequence[dict[str, Any]] = (), answer_ref: str | None
) -> list[dict[str, Any]]:
    """What goes under an answer's text: its sources, a journey card, feedback buttons (when
    the answer can be rated). A streamed answer ends with these alone."""
    blocks = [b.to_dict() for b in sources_context(citations)]
    blocks.extend(card)
    if answer_ref:
        blocks.append(feedback_actions(answer_ref).to_dict())
    return blocks[: MAX_BLOCKS - 1]


def answer_blocks(
    text: str,
    citations: Sequence[Cited],
    *,
    card: Sequence[dict[str, Any]] = (),
    answer_ref: str | None,
) -> list[dict[str, Any]]:
    """An answer: its markdown text, then ``answer_extras``."""
    body = text if len(text) <= MARKDOWN_LIMIT else text[: MARKDOWN_LIMIT - 1] + "…"
    markdown = MarkdownBlock(text=body or "_(no answer)_").to_dict()
    return [markdown, *answer_extras(citations, card=card, answer_ref=answer_ref)]


def _evidence(source: Source | None) -> str:
    # Customer-safe views drop the evidence of a blocker; Slack shows staff views today.
    return _link(source.ref, source.link) if source is not None else ""


def journey_card(view: JourneyView) -> list[dict[str, Any]]:
    """Step, status, next step and owner, blockers with links to the records that prove them."""
    acct = view.account
    title = acct.name or f"Account {acct.id}"
    blocks: list[Block] = [HeaderBlock(text=title[:HEADER_LIMIT])]
    fields = [
        f"*Status*\n{_STATUS_EMOJI[view.status]} {view.status.replace('_', ' ')}",
        f"*Step*\n{view.current_step or '—'}",
    ]
    if view.product:
        fields.append(f"*Product*\n{view.product}")
    if acct.owner:
        fields.append(f"*Relationship manager*\n{acct.owner}")
    blocks.append(
        SectionBlock(
            text=MarkdownTextObject(text=view.status_reason),
            fields=[MarkdownTextObject(text=f) for f in fields],
        )
    )
    if view.next_step:
        nxt = view.next_step
        due = f", due {nxt.due_at:%Y-%m-%d}" if nxt.due_at else ""
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*Next:* {nxt.title} — {nxt.action}\n*Held by* {_holder(nxt.owner)}{due}"
                )
            )
        )
    for blocker in view.blockers:
        since = f" since {blocker.since:%Y-%m-%d}" if blocker.since else ""
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f":warning: *{blocker.type}*{since}: {blocker.detail}\n"
                    f"Must act: {_holder(blocker.who)} · {_evidence(blocker.evidence)}"
                )
            )
        )
    if view.partial:
        down = ", ".join(f"{u.system} ({u.reason})" for u in view.unavailable)
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=f":grey_exclamation: Partial: {down}")])
        )
    if acct.link:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_link("CRM", acct.link))]))
    return _dicts(blocks[:MAX_BLOCKS])


def _digest_line(item: DigestItem) -> str:
    name = _link(item.account.name or item.account.id, item.account.link)
    holder = item.owner.person if item.owner and item.owner.person else "unassigned"
    blockers = ", ".join(item.blockers) or "no blocker recorded"
    return (
        f"{_STATUS_EMOJI[item.status]} *{name}* — {item.step_title or item.step or '—'}\n"
        f"{blockers} · {holder} · *{sla_phrase(item)}*"
    )


def team_digest_blocks(digest: Digest, team: TeamDigest) -> list[dict[str, Any]]:
    """One team's message: its stuck journeys, most urgent first."""
    shown = team.items[:DIGEST_ITEMS_PER_TEAM]
    blocks: list[Block] = [
        HeaderBlock(text=f"{team.team}: {len(team.items)} journeys need attention"[:HEADER_LIMIT]),
        ContextBlock(
            elements=[MarkdownTextObject(text=f"Baton digest as of {digest.as_of:%Y-%m-%d}")]
        ),
        DividerBlock(),
    ]
    blocks.extend(SectionBlock(text=MarkdownTextObject(text=_digest_line(i))) for i in shown)
    hidden = len(team.items) - len(shown)
    notes = []
    if hidden:
        notes.append(f"…and {hidden} more: ask Baton `which journeys are stalled?`")
    if digest.unavailable:
        down = ", ".join(u.system for u in digest.unavailable)
        notes.append(f":grey_exclamation: Partial: could not reach {down}")
    blocks.extend(ContextBlock(elements=[MarkdownTextObject(text=n)]) for n in notes)
    return _dicts(blocks)
