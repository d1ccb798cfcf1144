"""The sandbox back office: local emulators of the bank's systems of record.

One FastAPI server serves every system under its own prefix (``/salesforce``, ``/zendesk``,
``/kyc``, ``/pos``), backed by SQLite and loaded from a world directory (see
``docs/world-format.md``). Only tests, the CLI and the demo import this package.

Endpoints and dependencies are ``async def`` although they do no I/O worth awaiting: the
store answers from memory, and a plain ``def`` would cost a thread-pool hop per endpoint and
per dependency — most of a request's time. Running on the event loop also makes every
check-then-write (idempotent creates, upserts) a single step.
"""
