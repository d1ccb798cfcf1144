"""A local stand-in for Slack's Web API, on a free loopback port, recording every call.

It answers the methods Baton uses the way Slack does (``{"ok": true, ...}`` with a ``ts`` for
anything that posts, ``invalid_auth`` for a wrong token) and accepts both of slack_sdk's body
encodings (JSON and form). ``POST /respond/<id>`` plays a slash command's ``response_url``.
Listeners run after Bolt's ack, so tests wait for calls with ``wait_for``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

BOT_TOKEN = "xoxb-test-token"
TEAM = "T0BATON"
BOT_USER = "U0BATONBOT"
JSON_FIELDS = ("blocks", "chunks", "prompts", "loading_messages", "metadata")


@dataclass
class Call:
    method: str
    args: dict[str, Any]


class MockSlack:
    def __init__(self, emails: dict[str, str]) -> None:
        """``emails``: Slack user id → profile email (what ``users.info`` reveals)."""
        self.emails = emails
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        config = uvicorn.Config(self._app(), host="127.0.0.1", port=0, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> MockSlack:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("mock Slack did not start")
            time.sleep(0.01)
        host, port = self._server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/respond/{name}"

    # -- assertions --------------------------------------------------------------------------

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()

    def to(self, method: str) -> list[dict[str, Any]]:
        with self._changed:
            return [c.args for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout_s: float = 10.0) -> list[dict]:
        """The calls of ``method`` once there are ``count`` of them (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(found := [c.args for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"{count} {method} call(s) expected; seen: {seen}")
                self._changed.wait(left)
            return found

    def methods(self) -> list[str]:
        with self._changed:
            return [c.method for c in self.calls]

    # -- the server -------------------------------------------------------------------------

    def _record(self, method: str, args: dict[str, Any]) -> None:
        with self._changed:
            self.calls.append(Call(method, args))
            self._changed.notify_all()

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/api/{method}", methods=["GET", "POST"])
        async def web_api(method: str, request: Request) -> dict[str, Any]:
            if request.headers.get("authorization") != f"Bearer {BOT_TOKEN}":
                return {"ok": False, "error": "invalid_auth"}
            args = await _arguments(request)
            self._record(method, args)
            return self._answer(method, args)

        @app.post("/respond/{name}")
        async def respond(name: str, request: Request) -> dict[str, Any]:
            self._record("response_url", {"name": name, **(await request.json())})
            return {"ok": True}

        return app

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "B0BATON",
                "url": "https://baton-test.slack.com/",
                "team": "Baton Test",
            }
        if method == "users.info":
            user = args.get("user", "")
            if user not in self.emails:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "profile": {"email": self.emails[user]}}}
        if method in ("chat.postMessage", "chat.startStream"):
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": f"1700000000.{next(self._ts):06d}",
            }
        if method in ("chat.appendStream", "chat.stopStream", "chat.update"):
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        return {"ok": True}


async def _arguments(request: Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/json"):
        args.update(await request.json())
    else:
        args.update(dict(await request.form()))
    for name in JSON_FIELDS:
        if isinstance(args.get(name), str):
            args[name] = json.loads(args[name])
    return args
