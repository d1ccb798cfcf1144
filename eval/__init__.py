"""Evaluation of the agent (DESIGN §8): case files (``docs/eval-format.md``), scoring, runner.

Retrieval is evaluated separately by ``knowledge.evaluation``; ``baton eval`` dispatches to both.
"""
