"""Emulator of the salesforce API (placeholder until implemented)."""

from fastapi import FastAPI

from sandbox.context import SandboxContext


def create_app(ctx: SandboxContext) -> FastAPI:
    return FastAPI()
