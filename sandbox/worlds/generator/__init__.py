"""A seeded, deterministic generator of the demo world (``python -m sandbox.worlds.build_demo``).

Journeys are declared as data (``demo_scenarios``); each playbook step has a writer
(``steps``) that emits the native records proving the step done, in progress or blocked.
"""
