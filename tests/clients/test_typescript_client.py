"""TypeScript types that openapi-typescript generates from the app's OpenAPI document, type-checked
with a front end's usage (tools/clients/usage.ts) by `tsc --noEmit` in strict mode (issue 13, item 11).

The tools are pinned in tools/clients/package-lock.json and installed with
`npm ci --prefix tools/clients` (CI's "generated clients" step does it; Node 20 and npm). Without
them the test is skipped, except in CI (CI=true), where it fails. It is marked `clients`: CI's
ordinary pytest steps leave it out and its own step runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi import FastAPI

pytestmark = pytest.mark.clients

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "clients"
BIN = TOOLS / "node_modules" / ".bin"
# openapi-typescript, by default, makes every property that has a default required, in request
# bodies too (a component schema does not say which way it is used). The document already says
# it: defaulted fields are optional in request schemas and required in response schemas
# (app.core.schemas.OutputModel), so the generator is told to follow `required` alone.
GENERATOR_FLAGS = ("--default-non-nullable", "false")


def _tools() -> tuple[Path, Path]:
    generator, compiler = BIN / "openapi-typescript", BIN / "tsc"
    if not (generator.exists() and compiler.exists() and shutil.which("node")):
        reason = "the TypeScript check needs Node and its tools: npm ci --prefix tools/clients"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return generator, compiler


def _run(*command: str | Path) -> None:
    done = subprocess.run(  # noqa: S603 - our own pinned tools
        [str(part) for part in command], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}"


def test_generated_typescript_types_compile_with_a_front_ends_usage(app: FastAPI, tmp_path: Path) -> None:
    generator, compiler = _tools()
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(app.openapi()), encoding="utf-8")
    # The usage and its strict compiler options, beside the types generated for them.
    for name in ("usage.ts", "tsconfig.json"):
        shutil.copy(TOOLS / name, tmp_path / name)
    generated = tmp_path / "generated" / "api.d.ts"
    _run(generator, document, "--output", generated, *GENERATOR_FLAGS)
    assert "PackageCreate" in generated.read_text(encoding="utf-8")
    _run(compiler, "--project", tmp_path / "tsconfig.json")
