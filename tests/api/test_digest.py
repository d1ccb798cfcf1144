"""The stalled-journey digest over the demo world, its text and its Slack blocks."""

from __future__ import annotations

import yaml

from channels.blocks import team_digest_blocks
from config import DEMO_WORLD
from integrations import BackOffice
from journeys.digest import DIGEST_STATUSES, Digest, build_digest, render_digest
from journeys.service import JourneyService, budgets_from
from sandbox.server import EmbeddedSandbox
from tests.api.support import channel_settings

MANIFEST = yaml.safe_load((DEMO_WORLD / "scenarios.yaml").read_text(encoding="utf-8"))["journeys"]


async def digest_of(sandbox: EmbeddedSandbox, team: str | None = None) -> Digest:
    settings = channel_settings(sandbox)
    async with BackOffice(settings) as office:
        service = JourneyService(office, budgets_from(settings), clock=lambda: sandbox.ctx.now)
        return await build_digest(service, team)


async def test_digest_lists_every_stuck_journey_per_team_most_urgent_first(
    channel_sandbox: EmbeddedSandbox,
) -> None:
    digest = await digest_of(channel_sandbox)
    listed = {item.account.id: item for team in digest.teams for item in team.items}
    expected = {j["account_id"] for j in MANIFEST if j["status"] in DIGEST_STATUSES}
    assert set(listed) == expected
    for journey in MANIFEST:
        if journey["account_id"] in listed:
            assert listed[journey["account_id"]].status == journey["status"]
    for team in digest.teams:
        assert all(i.owner is None or i.owner.team == team.team for i in team.items)
        overdue = [i.days_over_sla for i in team.items if i.days_over_sla is not None]
        assert overdue == sorted(overdue, reverse=True)

    kyc = next(t for t in digest.teams if t.team == "KYC & BSA")
    acme = next(i for i in kyc.items if i.account.name == "Acme Bakery LLC")
    assert acme.step == "kyc" and acme.blockers == ["missing_documents"]
    assert acme.owner is not None and acme.owner.person == "Tom Okafor"
    # Calendar days, as scenarios.yaml counts them (12 days into a 10-day SLA): due 2026-11-28,
    # now 2026-11-30 15:00.
    assert acme.days_over_sla == 2


async def test_digest_for_one_team_and_its_renderings(channel_sandbox: EmbeddedSandbox) -> None:
    digest = await digest_of(channel_sandbox, team="Credit")
    assert [t.team for t in digest.teams] == ["Credit"]
    text = render_digest(digest)
    assert "Credit (" in text and "Prairie Wind Brewing Co" in text and "over SLA" in text

    blocks = team_digest_blocks(digest, digest.teams[0])
    assert blocks[0]["type"] == "header" and "Credit" in blocks[0]["text"]["text"]
    first = blocks[3]["text"]["text"]
    assert digest.teams[0].items[0].account.name in first
