"""LangChain tools the agent calls; each enforces access from the principal in the run config."""
