"""Loading behaviour users rely on: no file parsed twice, no graph library unless needed,
every corpus plan and state linted without a crash."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, CORPUS_MISSING, FIXTURES


def test_no_file_is_parsed_twice_across_many_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aitask_lint.hcl import parser, settings
    from aitask_lint.lint.context import LintOptions
    from aitask_lint.lint.runner import discover_roots, lint

    shared = tmp_path / "modules" / "agent"
    shutil.copytree(
        FIXTURES / "templates" / "modern-local-modules" / "modules" / "agentapi", shared
    )
    for index in range(50):
        root = tmp_path / f"t{index:02d}"
        root.mkdir()
        (root / "main.tf").write_text(
            'resource "coder_agent" "main" {\n  os = "linux"\n}\n\n'
            'module "agent" {\n  source       = "../modules/agent"\n'
            '  agent_id     = coder_agent.main.id\n  web_app_slug = "chat"\n}\n'
        )
    calls: list[str] = []
    original = parser.parse_hcl

    def counting(text: str, path: str) -> object:
        calls.append(str(Path(path).resolve()))
        return original(text, path)

    monkeypatch.setattr(parser, "parse_hcl", counting)
    # in-process and without the disk cache, so that every parse is counted here
    monkeypatch.setattr(settings, "SETTINGS", settings.Settings(cache=False, jobs=1))
    settings.MEMO.clear()
    roots = [r for r in discover_roots(str(tmp_path)) if Path(r).name.startswith("t")]
    # the roots share ../modules/agent: the project is tmp_path, as for `check -r tmp_path`
    _report, unusable = lint(roots, LintOptions(project_root=str(tmp_path)))
    assert not unusable
    assert len(roots) == 50
    assert len(calls) == len(set(calls)) == 51  # 50 roots and the shared module, once each


def test_networkx_is_imported_only_for_graph_output() -> None:
    probe = (
        "import sys\n"
        "from aitask_lint.lint.runner import lint\n"
        "from aitask_lint.analysis.tasks_api import extract_ai_tasks\n"
        f"lint([{str(FIXTURES / 'templates' / 'modern-local-modules')!r}])\n"
        f"extract_ai_tasks({str(FIXTURES / 'templates' / 'registry-catalog')!r})\n"
        "print('networkx' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_MISSING)
def test_check_over_every_corpus_plan_and_state() -> None:
    from aitask_lint.lint.runner import lint

    rules_of = {}
    for path in sorted(CORPUS.glob("*/*.tf*.json")):
        report, unusable = lint([str(path)])
        assert not unusable, path
        rules_of[path.name] = {finding.rule for finding in report.findings}
    for kind in ("tfplan", "tfstate"):
        assert "AIT102" in rules_of[f"ai-tasks-multiple.{kind}.json"]
        assert "AIT408" in rules_of[f"presets-multiple-defaults.{kind}.json"]
        assert "AIT409" in rules_of[f"resource-metadata-duplicate.{kind}.json"]
