"""Every setting in config.py is documented in the README's configuration tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from config import PROJECT_ROOT, Settings

SYSTEMS = re.compile(r"^BATON_(SALESFORCE|ZENDESK|KYC|POS)__TRANSPORT__")


def env_names(model: type[BaseModel], prefix: str = "BATON_") -> Iterator[str]:
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from env_names(annotation, f"{prefix}{name.upper()}__")
        else:
            yield SYSTEMS.sub("BATON_<SYSTEM>__TRANSPORT__", f"{prefix}{name.upper()}")


def test_every_setting_is_in_the_readme() -> None:
    readme = (Path(PROJECT_ROOT) / "README.md").read_text(encoding="utf-8")
    missing = sorted({name for name in env_names(Settings) if f"`{name}`" not in readme})
    assert not missing, f"settings missing from README.md: {missing}"


def test_the_short_model_variable_is_documented() -> None:
    readme = (Path(PROJECT_ROOT) / "README.md").read_text(encoding="utf-8")
    assert "`BATON_MODEL`" in readme
