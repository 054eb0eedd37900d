"""Issue 11's acceptance, end to end: one repository, several templates, every format.

``templates/a`` has its own ``.aitask-lint.toml`` ignoring AIT503 and calls
``templates/a/modules/x``; ``templates/b`` has no configuration. However the
job is spelled (``-r .``, both orders, from the repository or from inside
``templates/``), ``a``'s configuration applies to ``a`` only, each file is
counted once, ``modules/x`` is not a root, and every format names the same
repository-relative paths with the same SARIF fingerprints.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_cli
from monorepo import make_monorepo

FORMATS = ("json", "sarif", "junit", "github", "gitlab", "concise")


def _repository(tmp_path: Path) -> Path:
    repo = make_monorepo(tmp_path)
    (repo / "templates" / "a" / ".aitask-lint.toml").write_text('ignore = ["AIT503"]\n')
    return repo


def _spellings(repo: Path) -> list[tuple[Path, tuple[str, ...]]]:
    templates = repo / "templates"
    return [
        (repo, ("-r", ".")),
        (repo, ("templates/a", "templates/b")),
        (repo, ("templates/b", "templates/a")),
        (templates, ("-r", ".")),
        (templates, ("a", "b")),
        (templates, ("b", "a")),
    ]


def _run(cwd: Path, args: tuple[str, ...], fmt: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(cwd)
    result = run_cli("check", *args, "--format", fmt, "--no-cache")
    assert result.code in (0, 1), result.stderr
    return result.stdout


def _rules_by_path(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["location"]["path"], f["rule"]) for f in document["findings"]}


def test_each_template_gets_its_own_configuration_whatever_the_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repository(tmp_path)
    seen = []
    for cwd, args in _spellings(repo):
        document = json.loads(_run(cwd, args, "json", monkeypatch))
        found = _rules_by_path(document)
        # a ignores AIT503; b, without a configuration, still gets it
        assert ("templates/b/main.tf", "AIT503") in found, (cwd, args)
        assert not any(p.startswith("templates/a/") and r == "AIT503" for p, r in found)
        # modules/x is read as part of a, never linted as a root of its own
        assert not any("/modules/x/" in p for p, _ in found), (cwd, args)
        assert document["summary"]["files"] == 3, (cwd, args)  # a, a/modules/x, b: once each
        seen.append(sorted(found))
    assert all(s == seen[0] for s in seen)


def _paths(fmt: str, output: str) -> list[str]:
    if fmt == "json":
        return sorted(f["location"]["path"] for f in json.loads(output)["findings"])
    if fmt == "sarif":
        results = json.loads(output)["runs"][0]["results"]
        return sorted(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
        )
    if fmt == "gitlab":
        return sorted(issue["location"]["path"] for issue in json.loads(output))
    if fmt == "junit":
        return sorted(
            case.get("file", "")
            for case in ET.fromstring(output).iter("testcase")
            if case.get("file")
        )
    if fmt == "github":
        return sorted(
            line.split("file=", 1)[1].split(",", 1)[0]
            for line in output.splitlines()
            if line.startswith("::") and "file=" in line
        )
    return sorted(
        line.split(":", 1)[0] for line in output.splitlines() if ": " in line and "AIT" in line
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_the_same_repository_relative_paths(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repository(tmp_path)
    outputs = [_paths(fmt, _run(cwd, args, fmt, monkeypatch)) for cwd, args in _spellings(repo)]
    assert outputs[0], fmt
    assert all(paths == outputs[0] for paths in outputs), fmt
    assert all(p.startswith("templates/") for p in outputs[0]), outputs[0]


def test_sarif_is_byte_identical_from_every_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repository(tmp_path)
    documents = {_run(cwd, args, "sarif", monkeypatch) for cwd, args in _spellings(repo)}
    assert len(documents) == 1
    results = json.loads(documents.pop())["runs"][0]["results"]
    prints = [r["partialFingerprints"]["aitaskLint/v1"] for r in results]
    assert len(set(prints)) == len(prints) > 0


def test_pre_commit_on_b_alone_reports_nothing_from_a(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repository(tmp_path)
    # what the hook runs: its entry and args, then the changed files
    document = json.loads(_run(repo, ("--recursive", "templates/b/main.tf"), "json", monkeypatch))
    paths = {f["location"]["path"] for f in document["findings"]}
    assert paths and all(p.startswith("templates/b/") for p in paths)
    # a file of the called module stands for its caller, under the caller's configuration
    document = json.loads(
        _run(repo, ("--recursive", "templates/a/modules/x/main.tf"), "json", monkeypatch)
    )
    found = _rules_by_path(document)
    assert found and all(p.startswith("templates/a/") for p, _ in found)
    assert not any(r == "AIT503" for _, r in found)
