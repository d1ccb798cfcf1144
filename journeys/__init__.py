"""The journey engine: playbooks, facts from every system, and the derived ``JourneyView``.

``derive(playbook, facts, now)`` is pure; fetching, caching, account resolution and the
portfolio build on it.
"""
