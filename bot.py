"""Baton's Slack app (Bolt, async): thin listeners that hand each question to the agent.

- mentions and direct messages: the answer in the message's thread, with its sources, a journey
  card when it is about one customer, and feedback buttons;
- assistant threads (Slack's AI app surface): a greeting with suggested prompts, a status line
  naming what Baton is checking, and the answer streamed in;
- ``/baton <customer or question>``: the same answer, visible to the asker only;
- feedback buttons: the vote is recorded with the answer (``channels.feedback``);
- ``post_digest``: each team's stalled-journey digest to its channel (``baton digest --post``).

A Slack thread is one conversation (its checkpoint thread), so follow-ups keep their context.
Only staff get answers: the Slack user is mapped to a CRM user (``channels.identity``). Bolt
acknowledges every request at once and runs the listener afterwards (HTTP mode with
``process_before_response=False``), so Slack always gets its 200 within 3 s; an event Slack
delivers again (``X-Slack-Retry-Num``) is answered once (``channels.dedupe``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncAssistant, AsyncBoltContext, AsyncSay
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.context.say_stream.async_say_stream import AsyncSayStream
from slack_bolt.context.set_status.async_set_status import AsyncSetStatus
from slack_bolt.context.set_suggested_prompts.async_set_suggested_prompts import (
    AsyncSetSuggestedPrompts,
)
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from agent.answer import AgentAnswer
from channels.blocks import (
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    answer_blocks,
    answer_extras,
    journey_card,
    team_digest_blocks,
)
from channels.dedupe import SeenEvents
from channels.feedback import FeedbackLog, FeedbackRecord
from channels.identity import IdentityUnavailable, StaffDirectory, load_user_map
from channels.runtime import ChannelRuntime
from channels.stream import DeltaEvent, DoneEvent, StatusEvent, stream_answer
from config import SlackSettings
from integrations import IntegrationError
from journeys.digest import Digest
from journeys.resolve import CustomerNotResolved
from tools.policy import Principal, visible_view

log = logging.getLogger(__name__)

GREETING = (
    "Hi, I'm Baton. Ask me where a customer is in onboarding, what is blocking them, who holds "
    "the next step, or which journeys are stalled."
)
SUGGESTED_PROMPTS = [
    {"title": "Where is a customer?", "message": "Where is Acme Bakery LLC in onboarding?"},
    {"title": "What is blocking?", "message": "What's blocking Northwind Traders?"},
    {"title": "My stalled clients", "message": "Which of my clients are stalled?"},
    {"title": "Troubleshoot a terminal", "message": "Terminal shows E-104 during activation"},
]
NOT_STAFF = (
    "Sorry, I can only help the bank's staff, and I couldn't match your Slack account to a "
    "staff record. Ask your Baton administrator to add you."
)
COMMAND_HELP = "Try `/baton Acme Bakery` or `/baton which journeys are stalled?`"
THINKING = "Thinking…"
FAILED = "I couldn't finish that answer: {reason}. Please try again."
# Tools whose ``customer`` argument names the journey a card shows.
JOURNEY_TOOLS = frozenset({"get_journey", "explain_blocker", "journey_timeline"})
MENTION = re.compile(r"<@[A-Z0-9]+>\s*")


def thread_key(team: str | None, channel: str, thread_ts: str) -> str:
    """The agent's conversation for a Slack thread."""
    return f"slack:{team or '-'}:{channel}:{thread_ts}"


class SlackBot:
    def __init__(
        self, settings: SlackSettings, runtime: ChannelRuntime, *, socket_mode: bool = False
    ) -> None:
        if settings.bot_token is None:
            raise ValueError("Slack needs BATON_SLACK__BOT_TOKEN")
        if not socket_mode and settings.signing_secret is None:
            raise ValueError("Slack over HTTP needs BATON_SLACK__SIGNING_SECRET")
        self.runtime = runtime
        self.client = AsyncWebClient(
            token=settings.bot_token.get_secret_value(), base_url=settings.api_url
        )
        self.staff = StaffDirectory(self.client, runtime.office, load_user_map(settings.users_file))
        self.feedback = FeedbackLog(settings.feedback_file)
        self.seen = SeenEvents()
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.signing_secret.get_secret_value()
            if settings.signing_secret
            else None,
            # Socket Mode requests come over the app-token websocket and carry no signature.
            request_verification_enabled=not socket_mode,
            process_before_response=False,
        )
        self._register()

    def _register(self) -> None:
        app = self.app
        app.middleware(self.once_per_event)
        assistant = AsyncAssistant()
        assistant.thread_started(self.on_thread_started)
        assistant.user_message(self.on_assistant_message)
        app.assistant(assistant)
        app.event("app_mention")(self.on_mention)
        app.event({"type": "message", "channel_type": "im"})(self.on_direct_message)
        app.command("/baton")(self.on_command)
        app.action(re.compile(f"^({FEEDBACK_UP}|{FEEDBACK_DOWN})$"))(self.on_feedback)

    # -- middleware ----------------------------------------------------------------------------

    async def once_per_event(self, body: dict[str, Any], next: Any) -> BoltResponse | None:
        """Acknowledge a redelivered event without handling it again."""
        event_id = body.get("event_id")
        if event_id and not self.seen.first_time(event_id):
            log.info("slack event %s delivered again; already handled", event_id)
            return BoltResponse(status=200, body="")
        return await next()

    # -- identity ------------------------------------------------------------------------------

    async def _staff(self, user: str) -> tuple[Principal | None, str | None]:
        """The principal, or the refusal to send instead."""
        try:
            principal = await self.staff.principal(user)
        except IdentityUnavailable as exc:
            return None, f"I can't check who you are right now: {exc}. Please try again shortly."
        return (principal, None) if principal else (None, NOT_STAFF)

    # -- answers -------------------------------------------------------------------------------

    async def _card(self, answer: AgentAnswer, principal: Principal) -> list[dict[str, Any]]:
        """A journey card when the answer looked up exactly one customer."""
        customers = {
            str(call.args.get("customer"))
            for call in answer.tool_calls
            if call.name in JOURNEY_TOOLS and call.args.get("customer")
        }
        if len(customers) != 1:
            return []
        try:
            view = await self.runtime.journeys.journey(customers.pop())
        except (CustomerNotResolved, IntegrationError, LookupError):
            return []  # the answer already says what went wrong
        return journey_card(visible_view(principal, view))

    async def _answer_blocks(
        self, answer: AgentAnswer, principal: Principal, thread_id: str
    ) -> list[dict[str, Any]]:
        card = await self._card(answer, principal)
        return answer_blocks(answer.answer, answer.citations, card=card, answer_ref=thread_id)

    async def _extras(
        self, answer: AgentAnswer, principal: Principal, thread_id: str
    ) -> list[dict[str, Any]]:
        card = await self._card(answer, principal)
        return answer_extras(answer.citations, card=card, answer_ref=thread_id)

    async def _ask(self, text: str, principal: Principal, thread_id: str) -> AgentAnswer | str:
        try:
            return await self.runtime.agent.ask(text, principal=principal, thread_id=thread_id)
        except Exception as exc:  # the user must hear back whatever failed
            log.exception("answer failed on %s", thread_id)
            return FAILED.format(reason=_reason(exc))

    async def _reply_in_thread(
        self, *, user: str, text: str, channel: str, thread_ts: str, team: str | None
    ) -> None:
        principal, refusal = await self._staff(user)
        if principal is None:
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=refusal)
            return
        thread_id = thread_key(team, channel, thread_ts)
        answer = await self._ask(text, principal, thread_id)
        if isinstance(answer, str):
            await self.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=answer)
            return
        await self.client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=answer.answer,
            blocks=await self._answer_blocks(answer, principal, thread_id),
        )

    # -- listeners -----------------------------------------------------------------------------

    async def on_mention(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        await self._reply_in_thread(
            user=event["user"],
            text=MENTION.sub("", event.get("text", "")).strip(),
            channel=event["channel"],
            thread_ts=event.get("thread_ts") or event["ts"],
            team=context.team_id,
        )

    async def on_direct_message(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        # Threaded DMs are assistant-thread messages (handled by the assistant); edits, bots
        # and joins carry a subtype and are not questions.
        if event.get("subtype") or event.get("bot_id"):
            return
        await self._reply_in_thread(
            user=event["user"],
            text=event.get("text", ""),
            channel=event["channel"],
            thread_ts=event["ts"],
            team=context.team_id,
        )

    async def on_thread_started(
        self, say: AsyncSay, set_suggested_prompts: AsyncSetSuggestedPrompts
    ) -> None:
        await say(GREETING)
        await set_suggested_prompts(prompts=SUGGESTED_PROMPTS, title="Try asking")

    async def on_assistant_message(
        self,
        payload: dict[str, Any],
        context: AsyncBoltContext,
        say: AsyncSay,
        set_status: AsyncSetStatus,
        say_stream: AsyncSayStream,
    ) -> None:
        principal, refusal = await self._staff(payload["user"])
        if principal is None:
            await say(refusal)
            return
        thread_id = thread_key(context.team_id, payload["channel"], payload["thread_ts"])
        await set_status(THINKING)
        stream = await say_stream()
        try:
            async for event in stream_answer(
                self.runtime.agent,
                payload.get("text", ""),
                principal=principal,
                thread_id=thread_id,
            ):
                if isinstance(event, StatusEvent):
                    await set_status(event.text)
                elif isinstance(event, DeltaEvent):
                    await stream.append(markdown_text=event.text)
                elif isinstance(event, DoneEvent):
                    await stream.stop(blocks=await self._extras(event.answer, principal, thread_id))
        except Exception as exc:  # close the stream with the reason rather than leave it open
            log.exception("streamed answer failed on %s", thread_id)
            await stream.stop(markdown_text="\n\n" + FAILED.format(reason=_reason(exc)))

    async def on_command(self, ack: Any, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        text = command.get("text", "").strip()
        if not text:
            await respond(COMMAND_HELP)
            return
        principal, refusal = await self._staff(command["user_id"])
        if principal is None:
            await respond(refusal)
            return
        # A command has no thread to continue: each is a conversation of its own.
        thread_id = thread_key(command.get("team_id"), command["channel_id"], command["trigger_id"])
        answer = await self._ask(text, principal, thread_id)
        if isinstance(answer, str):
            await respond(answer)
            return
        await respond(
            text=answer.answer,
            blocks=await self._answer_blocks(answer, principal, thread_id),
            response_type="ephemeral",
        )

    async def on_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        user = body["user"]["id"]
        await self.feedback.record(
            FeedbackRecord(
                vote="up" if action["action_id"] == FEEDBACK_UP else "down",
                user=user,
                thread_id=action.get("value", ""),
                message_ref=f"{channel}/{message.get('ts')}" if channel else None,
                answer=message.get("text", ""),
            )
        )
        if channel:
            await self.client.chat_postEphemeral(
                channel=channel,
                user=user,
                thread_ts=message.get("thread_ts"),
                text="Thanks, your feedback was recorded with the answer.",
            )


def _reason(exc: Exception) -> str:
    if isinstance(exc, IntegrationError):
        return f"a back-office system is unavailable ({exc})"
    return f"an unexpected error ({type(exc).__name__})"


def create_bolt_app(
    settings: SlackSettings, runtime: ChannelRuntime, *, socket_mode: bool = False
) -> AsyncApp:
    return SlackBot(settings, runtime, socket_mode=socket_mode).app


@dataclass
class DigestPosting:
    posted: dict[str, str]  # team → channel
    unrouted: list[str]  # teams with no configured channel


async def post_digest(settings: SlackSettings, digest: Digest) -> DigestPosting:
    """One message per team to the team's channel (``BATON_SLACK__DIGEST_CHANNELS``)."""
    if settings.bot_token is None:
        raise ValueError("posting the digest needs BATON_SLACK__BOT_TOKEN")
    client = AsyncWebClient(token=settings.bot_token.get_secret_value(), base_url=settings.api_url)
    posting = DigestPosting(posted={}, unrouted=[])
    for team in digest.teams:
        channel = settings.digest_channels.get(team.team)
        if channel is None:
            posting.unrouted.append(team.team)
            continue
        await client.chat_postMessage(
            channel=channel,
            text=f"{team.team}: {len(team.items)} journeys need attention",
            blocks=team_digest_blocks(digest, team),
        )
        posting.posted[team.team] = channel
    return posting
