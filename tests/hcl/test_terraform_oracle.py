"""Differential test against HashiCorp's HCL parser, through ``terraform fmt``.

Terraform is the reference for what a ``.tf`` file means. For every fixture
and a set of deterministic mutations of them: a file Terraform accepts must
load, with the same top-level blocks (type, labels, first line) as
Terraform's formatted output implies; a file Terraform rejects must give an
input error. Skipped (visibly) where the ``terraform`` binary is absent; the
product itself never needs it.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aitask_lint.errors import InputError
from aitask_lint.hcl.parser import parse_hcl

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = shutil.which("terraform")
pytestmark = pytest.mark.skipif(TERRAFORM is None, reason="terraform CLI not on PATH")

SOURCES = sorted((ROOT / "fixtures").rglob("*.tf"))
_BLOCK = re.compile(
    r'^([A-Za-z_][A-Za-z0-9_-]*)((?:\s+"[^"]*"|\s+[A-Za-z_][\w-]*)*)\s*\{', re.MULTILINE
)


def terraform_fmt(text: str, workdir: Path) -> str | None:
    """Terraform's formatted text, or None when HashiCorp's parser rejects the file."""
    assert TERRAFORM is not None
    config = workdir / "empty.tfrc"
    config.touch()
    result = subprocess.run(
        [TERRAFORM, "fmt", "-no-color", "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        env={**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"},
        timeout=60,
        check=False,
    )
    return result.stdout.decode("utf-8") if result.returncode == 0 else None


_HEREDOC = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\s*$")


def without_heredoc_bodies(text: str) -> str:
    """Blank out heredoc bodies (keeping line numbers) so block-like lines in them don't count.

    A body ends at the first line that is only its marker (spaces allowed), as in Terraform.
    """
    lines = text.split("\n")
    marker = None
    for index, line in enumerate(lines):
        if marker is not None:
            if line.strip() == marker:
                marker = None
            lines[index] = ""
            continue
        found = _HEREDOC.search(line)
        if found is not None:
            marker = found.group(1)
    return "\n".join(lines)


def top_level_blocks(formatted: str) -> list[tuple[str, tuple[str, ...]]]:
    """(type, labels) of top-level blocks in Terraform's canonical formatting."""
    blocks = []
    for match in _BLOCK.finditer(without_heredoc_bodies(formatted)):
        labels = tuple(
            label.strip().strip('"')
            for label in re.findall(r'"[^"]*"|[A-Za-z_][\w-]*', match.group(2))
        )
        blocks.append((match.group(1), labels))
    return blocks


def first_lines(text: str) -> list[int]:
    text = without_heredoc_bodies(text)
    return [text.count("\n", 0, match.start()) + 1 for match in _BLOCK.finditer(text)]


def mutations(text: str, count: int, seed: int) -> list[str]:
    """Deterministic small edits: deletions, duplications and swaps of characters/lines."""
    rng = random.Random(seed)
    mutated = []
    for _ in range(count):
        choice = rng.randrange(5)
        if not text:
            break
        position = rng.randrange(len(text))
        if choice == 0:
            mutated.append(text[:position] + text[position + 1 :])
        elif choice == 1:
            mutated.append(text[:position] + rng.choice('{}"=[]$<\n #') + text[position:])
        elif choice == 2:
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            mutated.append("\n".join(lines[:line] + lines[line + 1 :]))
        elif choice == 3:
            mutated.append(text[:position])
        else:
            lines = text.split("\n")
            line = rng.randrange(len(lines))
            mutated.append("\n".join([*lines[: line + 1], lines[line], *lines[line + 1 :]]))
    return mutated


def agree(text: str, name: str, workdir: Path) -> str | None:
    """None when our parser and Terraform agree on ``text``, else a description."""
    formatted = terraform_fmt(text, workdir)
    try:
        ours = parse_hcl(text, name)
    except InputError as error:
        if formatted is None:
            return None
        return f"Terraform accepts, we reject: {error}"
    if formatted is None:
        return "Terraform rejects, we accept"
    theirs = top_level_blocks(formatted)
    mine = [(block.type, tuple(block.labels)) for block in ours.body.blocks]
    if any("$" in label or "%" in label for _type, labels in mine for label in labels):
        # `terraform fmt` drops such labels from its output (a fmt quirk, not a rejection)
        mine, theirs = [kind for kind, _l in mine], [kind for kind, _l in theirs]
    if mine != theirs:
        return f"blocks differ: ours {mine} terraform {theirs}"
    # fmt keeps the line structure, and its canonical spacing makes blocks easy to find
    if [b.span.line for b in ours.body.blocks] != first_lines(formatted):
        return "first lines differ"
    return None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_agrees_with_terraform(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert agree(text, str(path), tmp_path) is None


def test_mutations_agree_with_terraform(tmp_path: Path) -> None:
    """Every mutation of every fixture: same verdict as Terraform (counts in the message)."""
    disagreements = []
    tried = 0
    per_file = max(1, 1000 // max(len(SOURCES), 1) + 1)
    for index, path in enumerate(SOURCES):
        text = path.read_text(encoding="utf-8")
        for mutated in mutations(text, per_file, seed=index):
            tried += 1
            problem = agree(mutated, path.name, tmp_path)
            if problem is not None:
                disagreements.append((path.name, problem, mutated))
    assert tried >= 1000
    summary = sorted({(name, problem[:160]) for name, problem, _text in disagreements})
    assert disagreements == [], f"{len(disagreements)} of {tried} disagree: {summary[:12]}"
