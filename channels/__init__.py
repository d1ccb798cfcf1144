"""What the HTTP API (``api.py``) and the Slack app (``bot.py``) share: auth, errors, limits,
identity, Block Kit, health checks and the agent's event stream."""
