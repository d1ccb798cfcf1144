"""Slack end to end: signed requests in, Web API calls out (asserted on the mock)."""

from __future__ import annotations

import json
import time

from bot import GREETING, NOT_STAFF, THINKING
from channels.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from sandbox.faults import FaultSpec
from sandbox.server import EmbeddedSandbox
from tests.slack.conftest import BOT_USER, DANA, MAPPED, STRANGER, SlackClient, signed_headers

CHANNEL = "C0OPS"


def mention(text: str, ts: str, user: str = DANA, thread_ts: str | None = None) -> dict:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "channel": CHANNEL,
        "ts": ts,
    }
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def block_types(blocks: list[dict]) -> list[str]:
    return [b["type"] for b in blocks]


def test_bad_missing_or_stale_signatures_are_401(slack: SlackClient) -> None:
    body = json.dumps({"type": "event_callback", "event": mention("Acme Bakery LLC", "1.1")})
    stale = signed_headers(body, timestamp=int(time.time()) - 600)
    wrong = signed_headers(body, secret="not-the-secret")
    for headers in ({}, stale, wrong):
        response = slack.http.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json", **headers}
        )
        assert response.status_code == 401
    assert slack.api.to("chat.postMessage") == []


def test_mention_is_answered_in_its_thread_with_card_sources_and_feedback(
    slack: SlackClient,
) -> None:
    assert slack.event(mention("Acme Bakery LLC", "1700000100.000100")).status_code == 200
    [post] = slack.api.wait_for("chat.postMessage")
    assert post["channel"] == CHANNEL and post["thread_ts"] == "1700000100.000100"
    assert post["text"].startswith("Acme Bakery LLC")
    types = block_types(post["blocks"])
    assert types[0] == "markdown" and types[-1] == "actions" and "header" in types
    card = json.dumps(post["blocks"])
    assert "missing_documents" in card and "Held by" in card
    feedback = post["blocks"][-1]["elements"]
    assert [e["action_id"] for e in feedback] == [FEEDBACK_UP, FEEDBACK_DOWN]
    assert feedback[0]["value"].endswith(f"{CHANNEL}:1700000100.000100")


def test_a_thread_is_one_conversation(slack: SlackClient) -> None:
    slack.event(mention("Acme Bakery LLC", "1700000200.000100"))
    slack.api.wait_for("chat.postMessage")
    slack.event(mention("Acme Bakery LLC", "1700000200.000300", thread_ts="1700000200.000100"))
    first, second = slack.api.wait_for("chat.postMessage", 2)
    assert first["text"].endswith("(turn 1)") and second["text"].endswith("(turn 2)")


def test_retried_events_are_answered_once(slack: SlackClient) -> None:
    event = mention("Acme Bakery LLC", "1700000300.000100")
    assert slack.event(event, event_id="EvRETRY1").status_code == 200
    retry = slack.event(
        event,
        event_id="EvRETRY1",
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry.status_code == 200
    slack.api.wait_for("chat.postMessage")
    time.sleep(0.3)  # time for a second answer to show up, if there were one
    assert len(slack.api.to("chat.postMessage")) == 1


def test_direct_message_is_answered_in_a_thread(slack: SlackClient) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0DANA",
        "user": DANA,
        "text": "Northwind Traders",
        "ts": "1700000400.000100",
    }
    slack.event(dm)
    [post] = slack.api.wait_for("chat.postMessage")
    assert post["channel"] == "D0DANA" and post["thread_ts"] == "1700000400.000100"
    assert post["text"].startswith("Northwind Traders")


def test_unknown_users_get_a_polite_refusal(slack: SlackClient) -> None:
    slack.event(mention("Acme Bakery LLC", "1700000500.000100", user=STRANGER))
    [post] = slack.api.wait_for("chat.postMessage")
    assert post["text"] == NOT_STAFF and "blocks" not in post


def test_mapped_users_need_no_crm_lookup(slack: SlackClient) -> None:
    slack.event(mention("Acme Bakery LLC", "1700000600.000100", user=MAPPED))
    [post] = slack.api.wait_for("chat.postMessage")
    assert post["text"].startswith("Acme Bakery LLC")
    assert "users.info" not in slack.api.methods()


def test_assistant_thread_greets_with_suggested_prompts(slack: SlackClient) -> None:
    slack.event(
        {
            "type": "assistant_thread_started",
            "assistant_thread": {
                "user_id": DANA,
                "channel_id": "D0DANA",
                "thread_ts": "1700000700.000100",
                "context": {},
            },
            "event_ts": "1700000700.000200",
        }
    )
    [greeting] = slack.api.wait_for("chat.postMessage")
    assert greeting["text"] == GREETING and greeting["thread_ts"] == "1700000700.000100"
    [prompts] = slack.api.wait_for("assistant.threads.setSuggestedPrompts")
    assert any("Acme" in p["message"] for p in prompts["prompts"])


def test_assistant_thread_reply_is_streamed_with_status(slack: SlackClient) -> None:
    slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D0DANA",
            "user": DANA,
            "text": "Acme Bakery LLC",
            "ts": "1700000800.000200",
            "thread_ts": "1700000800.000100",
        }
    )
    [stop] = slack.api.wait_for("chat.stopStream")
    statuses = [s["status"] for s in slack.api.to("assistant.threads.setStatus")]
    assert statuses[0] == THINKING and statuses[1].startswith("Checking")
    [start] = slack.api.to("chat.startStream")
    assert start["channel"] == "D0DANA" and start["thread_ts"] == "1700000800.000100"
    assert start["recipient_user_id"] == DANA
    streamed = "".join(
        chunk["text"]
        for call in (start, *slack.api.to("chat.appendStream"), stop)
        for chunk in call.get("chunks", [])
        if chunk["type"] == "markdown_text"
    )
    assert streamed.startswith("Acme Bakery LLC") and streamed.endswith("(turn 1)")
    assert block_types(stop["blocks"])[-1] == "actions"  # feedback under the streamed text
    assert "chat.postMessage" not in slack.api.methods()


def test_slash_command_answers_the_asker_only(slack: SlackClient) -> None:
    response = slack.command("Acme Bakery LLC")
    assert response.status_code == 200
    [reply] = slack.api.wait_for("response_url")
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Acme Bakery LLC")
    assert "header" in block_types(reply["blocks"])


def test_feedback_buttons_record_the_vote_with_the_answer(slack: SlackClient) -> None:
    answer = {
        "ts": "1700000900.000200",
        "thread_ts": "1700000900.000100",
        "text": "Acme Bakery LLC is blocked at KYC.",
    }
    assert slack.click(FEEDBACK_DOWN, "slack:T:C0OPS:1700000900.000100", answer).status_code == 200
    [thanks] = slack.api.wait_for("chat.postEphemeral")
    assert thanks["user"] == DANA and thanks["thread_ts"] == "1700000900.000100"
    [line] = slack.settings.feedback_file.read_text().splitlines()
    record = json.loads(line)
    assert record["vote"] == "down" and record["user"] == DANA
    assert record["answer"] == answer["text"]
    assert record["thread_id"] == "slack:T:C0OPS:1700000900.000100"


def test_backoffice_outage_reply_says_what_is_missing_and_what_is_known(
    slack: SlackClient, channel_sandbox: EmbeddedSandbox
) -> None:
    channel_sandbox.ctx.options.faults["zendesk"] = FaultSpec.parse("status=503")
    try:
        slack.event(mention("Acme Bakeries Inc", "1700001000.000100", user=MAPPED))
        [post] = slack.api.wait_for("chat.postMessage")
    finally:
        channel_sandbox.ctx.options.faults.pop("zendesk")
    assert "could not reach zendesk" in post["text"]
    assert "Status:" in post["text"]  # what the other systems still show
    assert "Partial" in json.dumps(post["blocks"])
