"""The Zendesk endpoints, one module per area."""
