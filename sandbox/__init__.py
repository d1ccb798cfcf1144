"""The sandbox back office: local emulators of the bank's systems of record.

One FastAPI server serves every system under its own prefix (``/salesforce``, ``/zendesk``,
``/kyc``, ``/pos``), backed by SQLite and loaded from a world directory (see
``docs/world-format.md``). Only tests, the CLI and the demo import this package.
"""
