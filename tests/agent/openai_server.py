"""A local OpenAI-compatible server that replays scripted Chat Completions replies.

The real ``ChatOpenAI`` client talks to it over loopback HTTP, so the whole wire path (request
shape, tool schemas, tool-call ids, tool results, usage) is exercised without a key or network.
Each request to ``POST /v1/chat/completions`` is recorded and answered with the next scripted
reply; a reply is an assistant message, or a function of the request that returns one (to echo
what the tools sent back). Streaming is not scripted: a ``stream: true`` request gets a 400.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

Message = dict[str, Any]
Reply = Message | Callable[[dict[str, Any]], Message]

USAGE = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}


def tool_calls(*calls: tuple[str, dict[str, Any]]) -> Message:
    """An assistant message calling these tools (in parallel when several)."""
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{index}_{name}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for index, (name, args) in enumerate(calls, start=1)
        ],
    }


def text(content: str) -> Message:
    return {"role": "assistant", "content": content}


def echo_tool_results(request: dict[str, Any]) -> Message:
    """An answer quoting every tool result of the request's last turn."""
    results = [m["content"] for m in request["messages"] if m["role"] == "tool"]
    return text("From the tools:\n" + "\n".join(results))


def _completion(model: str, message: Message) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
            }
        ],
        "usage": USAGE,
    }


class ScriptedOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._replies: deque[Reply] = deque()
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._complete)

    def script(self, *replies: Reply) -> None:
        self.requests.clear()
        self._replies = deque(replies)

    async def _complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        if body.get("stream"):
            return _error(400, "streaming is not scripted")
        if not self._replies:
            return _error(500, f"no scripted reply left for request {len(self.requests)}")
        reply = self._replies.popleft()
        message = reply(body) if callable(reply) else reply
        return JSONResponse(_completion(body["model"], message))


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "invalid_request_error"}}, status)


@contextmanager
def serve(server: ScriptedOpenAI) -> Iterator[str]:
    """Run ``server`` on a free loopback port in a thread; yields its ``/v1`` base URL."""
    config = uvicorn.Config(
        server.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, name="scripted-openai", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not runner.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the scripted OpenAI server did not start")
        time.sleep(0.01)
    host, port = runner.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}/v1"
    finally:
        runner.should_exit = True
        thread.join(timeout=5)
