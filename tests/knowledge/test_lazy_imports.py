"""A status question must never pay for torch: importing Baton's layers loads no heavy library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sentence_transformers", "transformers", "chromadb")


def test_importing_knowledge_tools_and_cli_loads_no_model_or_store() -> None:
    code = (
        "import sys\n"
        "import cli, knowledge, knowledge.search, knowledge.ingest, knowledge.evaluation\n"
        "import tools, tools.knowledge\n"
        "from knowledge.embeddings import MiniLmEmbedder\n"
        "MiniLmEmbedder()\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == ""
