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
from aitask_lint.hcl.source import decode_source

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = shutil.which("terraform")
pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(TERRAFORM is None, reason="terraform CLI not on PATH"),
]

SOURCES = sorted((ROOT / "fixtures").rglob("*.tf"))
_BLOCK = re.compile(
    r'^([A-Za-z_][A-Za-z0-9_-]*)((?:\s+"[^"]*"|\s+[A-Za-z_][\w-]*)*)\s*\{', re.MULTILINE
)


#: a diagnostic's source line in `terraform fmt`'s error output: "  on NAME line N:"
_DIAGNOSTIC_FILE = re.compile(r"^\s*on (\S+) line \d+", re.MULTILINE)


def _terraform(arguments: list[str], workdir: Path, stdin: bytes = b"") -> tuple[int, str, str]:
    """Run ``terraform ARGUMENTS`` in ``workdir`` with an empty CLI configuration."""
    assert TERRAFORM is not None
    config = workdir / "empty.tfrc"
    config.touch()
    result = subprocess.run(
        [TERRAFORM, *arguments],
        input=stdin,
        capture_output=True,
        cwd=workdir,
        env={**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"},
        timeout=300,
        check=False,
    )
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def terraform_fmt(text: str, workdir: Path) -> str | None:
    """Terraform's formatted text, or None when HashiCorp's parser rejects the file."""
    code, stdout, _stderr = _terraform(["fmt", "-no-color", "-"], workdir, text.encode("utf-8"))
    return stdout if code == 0 else None


def terraform_fmt_many(texts: list[str], workdir: Path) -> list[str | None]:
    """``terraform_fmt`` of each text, in one ``terraform fmt`` process for all of them.

    Each text becomes ``NNNNN.tf`` in a fresh directory that ``terraform fmt``
    rewrites in place: it formats every file it can parse, leaves the others
    untouched and names each of those in an ``on NNNNN.tf line N:`` diagnostic.
    Where the batch's answer is not that clear-cut (a failure naming no file,
    or a file we did not write), each text is asked about on its own instead.
    """
    batch = workdir / "batch"
    if batch.exists():
        shutil.rmtree(batch)
    batch.mkdir()
    names = [f"{index:05d}.tf" for index in range(len(texts))]
    for name, text in zip(names, texts, strict=True):
        (batch / name).write_bytes(text.encode("utf-8"))
    code, _stdout, stderr = _terraform(["fmt", "-no-color", "-list=false", "."], batch)
    rejected = set(_DIAGNOSTIC_FILE.findall(stderr))
    if (code != 0 and not rejected) or (code == 0 and rejected) or not rejected <= set(names):
        return [terraform_fmt(text, workdir) for text in texts]  # pragma: no cover
    formatted = [
        None if name in rejected else (batch / name).read_bytes().decode("utf-8") for name in names
    ]
    # from standard input, fmt's output always ends with a line break; a file keeps its end
    return [text if text is None or text.endswith("\n") else text + "\n" for text in formatted]


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


def agree(text: str, name: str, formatted: str | None) -> str | None:
    """None when our parser and Terraform (its output ``formatted``) agree on ``text``."""
    try:
        # decoded as the loader decodes a file: a byte order mark is allowed, as Terraform allows it
        ours = parse_hcl(decode_source(text.encode("utf-8"), name), name)
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


@pytest.fixture(scope="module")
def fixtures_formatted(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str | None]:
    """Terraform's verdict on every fixture, from one ``terraform fmt`` run."""
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    workdir = tmp_path_factory.mktemp("terraform-fixtures")
    return dict(zip(SOURCES, terraform_fmt_many(texts, workdir), strict=True))


def test_one_batch_gives_what_one_call_per_file_gives(tmp_path: Path) -> None:
    """The batched run is the same oracle: accepted, rejected and formatted text per file."""
    texts = [
        'resource "a" "b" {\n  x=1\n}\n',  # accepted, reformatted
        "x = {\n",  # rejected
        'locals {\n  y = "z"\n}\n',  # accepted as it is
        "a = 1\na = 2\n",  # rejected: an attribute defined twice
        'variable "v" {\n  default = <<EOT\nbody\n  EOT \n}\n',  # accepted (marker, spaces)
        'resource "a" "b" {\n  x = "y\n}\n',  # rejected: a newline in a quoted string
        "",  # an empty file
        "a   = 1",  # no line break at the end
    ]
    single = [terraform_fmt(text, tmp_path) for text in texts]
    rejected = [index for index, output in enumerate(single) if output is None]
    assert rejected == [1, 3, 5]
    assert terraform_fmt_many(texts, tmp_path) == single


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_agrees_with_terraform(
    path: Path, fixtures_formatted: dict[Path, str | None]
) -> None:
    text = path.read_text(encoding="utf-8")
    assert agree(text, str(path), fixtures_formatted[path]) is None


@pytest.mark.slow
def test_mutations_agree_with_terraform(tmp_path: Path) -> None:
    """Every mutation of every fixture: same verdict as Terraform (counts in the message)."""
    cases: list[tuple[str, str]] = []
    per_file = max(1, 1000 // max(len(SOURCES), 1) + 1)
    for index, path in enumerate(SOURCES):
        text = path.read_text(encoding="utf-8")
        cases += [(path.name, mutated) for mutated in mutations(text, per_file, seed=index)]
    formatted = terraform_fmt_many([mutated for _name, mutated in cases], tmp_path)
    disagreements = []
    for (name, mutated), theirs in zip(cases, formatted, strict=True):
        problem = agree(mutated, name, theirs)
        if problem is not None:
            disagreements.append((name, problem, mutated))
    tried = len(cases)
    assert tried >= 1000
    summary = sorted({(name, problem[:160]) for name, problem, _text in disagreements})
    assert disagreements == [], f"{len(disagreements)} of {tried} disagree: {summary[:12]}"
