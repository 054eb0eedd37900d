"""Configuration, baselines and settings are untrusted input (issue 10: 3, 10, 13, 14, 18, 19).

A pull request controls every file in the scanned tree, its `.aitask-lint.toml`
and baselines included. These tests pin that configuration discovery stops at
the project root, that a configuration inside the tree cannot widen what is
read, that every settings file is read once and bounded, and that every bad
value is one line naming the file (and the line, where it is known).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_runner import assert_bounded, assert_no_crash, assert_refused, run_cli, run_measured

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "fixtures" / "examples" / "broken-template"

#: read, this file would give an AIT401 finding quoting a slug nobody could miss
SECRET = 'resource "coder_app" "leak" {\n  agent_id = "x"\n  slug     = "SECRET_MARKER"\n}\n'


def _repository(tmp_path: Path) -> Path:
    """``tmp/outer/repo`` (a git checkout) with the broken example at ``templates/t``."""
    repository = tmp_path / "outer" / "repo"
    shutil.copytree(BROKEN, repository / "templates" / "t")
    (repository / ".git").mkdir()
    return repository


def _rules(outcome_stdout: str) -> set[str]:
    return {finding["rule"] for finding in json.loads(outcome_stdout)["findings"]}


# -- discovery is bounded by the project root --------------------------------


def test_a_configuration_above_the_repository_is_never_read(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    (tmp_path / "outer" / ".aitask-lint.toml").write_text('ignore = ["AIT"]\n')
    (tmp_path / "pyproject.toml").write_text('[tool.aitask-lint]\nignore = ["AIT"]\n')
    outcome = run_cli("check", str(repository / "templates" / "t"), "--format", "json")
    assert "AIT401" in _rules(outcome.stdout)  # nothing silenced from above the checkout
    assert outcome.code == 1


def test_a_configuration_above_the_project_root_option_is_never_read(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    (repository / "templates" / ".aitask-lint.toml").write_text('ignore = ["AIT"]\n')
    template = repository / "templates" / "t"
    bounded = run_cli("check", str(template), "--project-root", str(template), "--format", "json")
    assert "AIT401" in _rules(bounded.stdout)
    # within the root, the same file applies
    inside = run_cli("check", str(template), "--format", "json")
    assert _rules(inside.stdout) == set()


def test_a_configuration_cannot_widen_the_project_root(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    template = repository / "templates" / "t"
    secret = tmp_path / "secret.tf"
    secret.write_text(SECRET)
    (template / "leak.tf").symlink_to(secret)
    (template / ".aitask-lint.toml").write_text('\nproject-root = "/"\n')
    outcome = run_cli("check", str(template))
    assert "SECRET_MARKER" not in outcome.stdout + outcome.stderr
    line = assert_refused(
        outcome, str(template / ".aitask-lint.toml"), at="2:1", contains="never widen it"
    )
    assert "outside the project root" in line
    # relative escapes too
    (template / ".aitask-lint.toml").write_text('project-root = "../../.."\n')
    outcome = run_cli("check", "-r", str(repository))
    assert "SECRET_MARKER" not in outcome.stdout + outcome.stderr
    assert outcome.code == 2
    # narrowing is allowed: the template alone
    (template / ".aitask-lint.toml").write_text('project-root = "."\n')
    narrowed = run_cli("check", str(template))
    assert "SECRET_MARKER" not in narrowed.stdout
    assert "is outside the project root" in narrowed.stdout  # the symlink is refused
    # the user widens it on the command line, and then it is read
    widened = run_cli("check", str(template), "--project-root", str(tmp_path))
    assert "SECRET_MARKER" in widened.stdout
    # so does a file of the user's own, outside the tree, named with --config
    own = tmp_path / "ci.toml"
    own.write_text(f"project-root = {json.dumps(str(tmp_path))}\n")
    assert "SECRET_MARKER" in run_cli("check", str(template), "--config", str(own)).stdout
    # but naming a file of the tree with --config does not make it trusted
    (template / ".aitask-lint.toml").write_text('project-root = "/"\n')
    named = run_cli("check", str(template), "--config", str(template / ".aitask-lint.toml"))
    assert "SECRET_MARKER" not in named.stdout + named.stderr
    assert named.code == 2


def test_a_configuration_symlinked_out_of_the_root_is_not_read(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    template = repository / "templates" / "t"
    outside = tmp_path / "settings.toml"
    outside.write_text('ignore = ["AIT"]\n')
    (template / ".aitask-lint.toml").symlink_to(outside)
    outcome = run_cli("check", str(template))
    assert_refused(
        outcome, str(template / ".aitask-lint.toml"), contains="leading outside the project root"
    )


# -- every settings file read once, bounded ----------------------------------


@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_a_committed_symlink_to_dev_zero_is_refused_quickly(tmp_path: Path, option: str) -> None:
    repository = _repository(tmp_path)
    zero = repository / ("zero.toml" if option == "--config" else "zero.json")
    zero.symlink_to("/dev/zero")
    measured = run_measured("check", str(repository / "templates" / "t"), option, str(zero))
    assert_bounded(measured)  # was > 6 GiB
    assert measured.code == 2
    assert measured.stderr.strip().endswith("not a regular file")
    assert len(measured.stderr.splitlines()) == 1


def test_a_fifo_configuration_does_not_hang(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    os.mkfifo(repository / "templates" / "t" / ".aitask-lint.toml")
    measured = run_measured("check", str(repository / "templates" / "t"))
    assert_bounded(measured)
    assert measured.code == 2
    assert "not a regular file" in measured.stderr


def test_an_oversized_configuration_is_refused(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    config = repository / ".aitask-lint.toml"
    config.write_text("# padding\n" * 200_000)
    outcome = run_cli("check", str(repository / "templates" / "t"))
    assert_refused(outcome, str(config), contains="configuration too large")


def test_hundred_thousand_exclude_globs_are_refused_not_a_hang(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    globs = ", ".join(f'"p{i}/**"' for i in range(100_000))
    (repository / ".aitask-lint.toml").write_text(f"exclude = [{globs}]\n")
    measured = run_measured("check", "-r", str(repository))
    assert_bounded(measured)  # was > 120 s
    assert measured.code == 2
    assert len(measured.stderr.splitlines()) == 1


@pytest.mark.slow
def test_a_thousand_exclude_globs_over_many_directories_stay_fast(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    globs = ", ".join(f'"p{i}/**"' for i in range(999))
    (repository / ".aitask-lint.toml").write_text(f'exclude = [{globs}, "**/skipped"]\n')
    for i in range(40):
        for j in range(100):
            (repository / f"d{i}" / f"e{j}").mkdir(parents=True)
    (repository / "d0" / "skipped").mkdir()
    (repository / "d0" / "skipped" / "main.tf").write_text("this is not HCL {{{")
    measured = run_measured("check", "-r", str(repository), "--no-cache")
    assert_bounded(measured, cpu=8.0)  # 3.7 s for the directory walk alone with pathspec's loop
    assert measured.code == 1
    assert "skipped" not in measured.stdout


@pytest.mark.parametrize(
    "glob", ["**/a/**/a/**/b", "*a*/*a*/*a*b", "**/a*/**/*b", "*" + "a*" * 30 + "b"]
)
def test_globs_that_backtrack_are_refused(tmp_path: Path, glob: str) -> None:
    repository = _repository(tmp_path)
    config = repository / ".aitask-lint.toml"
    config.write_text(f"\nexclude = [{json.dumps(glob)}]\n")
    outcome = run_cli("check", "-r", str(repository))
    assert_refused(outcome, str(config), at="2:1", contains="too many wildcards")


def test_long_globs_are_refused(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    config = repository / ".aitask-lint.toml"
    config.write_text(f'exclude = ["{"x" * 300}"]\n')
    outcome = run_cli("check", "-r", str(repository))
    assert_refused(outcome, str(config), contains="longer than 256 characters")
    many = ", ".join(f'"{i:03}{"x" * 200}"' for i in range(200))
    config.write_text(f"exclude = [{many}]\n")
    outcome = run_cli("check", "-r", str(repository))
    assert_refused(outcome, str(config), contains="characters in all")


def test_the_joined_matcher_agrees_with_pathspec() -> None:
    import pathspec

    from aitask_lint.lint.config import GlobMatcher

    globs = ["**/legacy", "legacy2/**", "broken-*", "/top", "*.gen.tf", "a/**/b", "x?y/"]
    paths = [
        "legacy/", "legacy/main.tf", "a/legacy/", "legacy2/", "legacy2/x.tf", "q/broken-a/",
        "top/", "a/top/", "m/n.gen.tf", "a/b", "a/c/d/b/", "xzy/", "xzy", "keep/main.tf",
    ]  # fmt: skip
    spec = pathspec.GitIgnoreSpec.from_lines(globs)
    matcher = GlobMatcher(globs)
    for path in paths:
        assert matcher.match(path) == spec.match_file(path), path
    negated = [*globs, "!legacy/keep.tf"]
    spec = pathspec.GitIgnoreSpec.from_lines(negated)
    matcher = GlobMatcher(negated)
    for path in [*paths, "legacy/keep.tf"]:
        assert matcher.match(path) == spec.match_file(path), path


# -- crashes become one line -------------------------------------------------


def test_toml_nested_five_thousand_deep_is_one_line(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    config = repository / ".aitask-lint.toml"
    brackets_in_strings = 'b = "' + "[" * 300 + "\"  # [[[[ {{{\nc = '" + "{" * 300 + "'\n"
    config.write_text(brackets_in_strings + "a = " + "[" * 5000 + "]" * 5000 + "\n")
    outcome = run_cli("check", str(repository / "templates" / "t"))
    assert_refused(outcome, str(config), at="3:105", contains="nested too deeply")


def test_a_baseline_with_deep_arrays_is_one_line(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"version": 1, "entries": ' + "[" * 100_000 + "]" * 100_000 + "}")
    outcome = run_cli("check", str(repository / "templates" / "t"), "--baseline", str(baseline))
    assert_refused(outcome, str(baseline), at="1:90", contains="nested more than 64 levels")


@pytest.mark.parametrize(
    ("entry", "contains"),
    [
        ('{"path": "a", "rule": "AIT401", "count": 1e999}', "'count' must be a whole number"),
        ('{"path": "a", "rule": "AIT401", "count": "2"}', "'count' must be a whole number"),
        ('{"path": "a", "rule": "AIT401", "count": true}', "'count' must be a whole number"),
        ('{"path": "a", "rule": "AIT401", "count": 0}', "'count' must be a whole number"),
        ('{"path": ["a"], "rule": "AIT401"}', "'path' must be a string"),
        ('{"path": "a", "rule": 401}', "'rule' must be a string"),
        ('{"path": "a", "rule": "AIT401", "address": {}}', "'address' must be a string or null"),
        ("[1]", "expected an object"),
    ],
)
def test_baseline_entries_are_validated_with_their_position(
    tmp_path: Path, entry: str, contains: str
) -> None:
    repository = _repository(tmp_path)
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{\n  "version": 1,\n  "entries": [\n    {"path": "b", "rule": "AIT401"},\n'
                        f"    {entry}\n  ]\n}}\n")  # fmt: skip
    outcome = run_cli("check", str(repository / "templates" / "t"), "--baseline", str(baseline))
    line = assert_refused(outcome, str(baseline), at="5:5", contains=contains)
    assert "invalid baseline entry 1" in line


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000])
def test_a_toml_integer_over_python_s_limit_is_one_line(tmp_path: Path, number: str) -> None:
    repository = _repository(tmp_path)
    config = repository / ".aitask-lint.toml"
    config.write_text(f"# {'ab' * 5000}\nfail-on = {number}\n")  # words are not numbers
    outcome = run_cli("check", str(repository / "templates" / "t"))
    assert_refused(outcome, str(config), at="2:11", contains="more than 4300 digits")


def test_a_baseline_with_a_huge_integer_or_nan_is_one_line(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    baseline = tmp_path / "baseline.json"
    for count, at in (("9" * 5000, "1:69"), ("NaN", "")):
        baseline.write_text(
            f'{{"version": 1, "entries": [{{"path": "a", "rule": "AIT401", "count": {count}}}]}}'
        )
        outcome = run_cli("check", str(repository / "templates" / "t"), "--baseline", str(baseline))
        assert_refused(outcome, str(baseline), at=at, contains="invalid baseline JSON")


@pytest.mark.parametrize("name", [".aitask-lint.toml", "baseline.json"])
def test_invalid_utf8_is_one_line_with_its_position(tmp_path: Path, name: str) -> None:
    repository = _repository(tmp_path)
    target = repository / name
    target.write_bytes(b'# ok\nignore = ["AIT4\xff"]\n')
    args = ["check", str(repository / "templates" / "t")]
    if name == "baseline.json":
        args += ["--baseline", str(target)]
    outcome = run_cli(*args)
    assert_refused(outcome, str(target), at="2:16", contains="invalid UTF-8 (byte 0xff)")


@pytest.mark.parametrize(
    ("name", "text", "at", "contains"),
    [
        (".aitask-lint.toml", 'fail-on = ["error"]\n', "1:1", "'fail-on': must be one of"),
        (".aitask-lint.toml", "\n[severity]\nAIT401 = 3\n", "3:1", "'severity.AIT401'"),
        (".aitask-lint.toml", "severity = 3\n", "1:1", "'severity': must be a table"),
        (".aitask-lint.toml", "exclude = 5\n", "1:1", "'exclude': must be an array"),
        (".aitask-lint.toml", "select = 'AIT4'\n", "1:1", "'select': must be an array"),
        (".aitask-lint.toml", "require-ai-task = 1\n", "1:1", "must be true or false"),
        (".aitask-lint.toml", "project-root = 1\n", "1:1", "must be a directory path"),
        (".aitask-lint.toml", 'coder-version = "garbage"\n', "1:1", "must be a version"),
        (".aitask-lint.toml", "coder-version = 2.34\n", "1:1", "must be a version"),
        (".aitask-lint.toml", '[per-file-ignores]\n"x.tf" = "AIT4"\n', "2:1", "must be an array"),
        (".aitask-lint.toml", '[per-file-ignores]\n"x.tf" = ["AIT9"]\n', "2:1", "unknown rule"),
        ("pyproject.toml", "tool = 5\n", "1:1", "'tool' must be a table"),
        ("pyproject.toml", "[tool]\naitask-lint = 5\n", "2:1", "must be a table"),
        ("pyproject.toml", '[tool.aitask-lint]\nfail-on = ["x"]\n', "2:1", "in [tool.aitask-lint]"),
        ("pyproject.toml", "[tool.ruff\n", "1:11", "invalid TOML"),
    ],
)
def test_wrong_values_are_one_line_naming_file_and_key(
    tmp_path: Path, name: str, text: str, at: str, contains: str
) -> None:
    repository = _repository(tmp_path)
    (repository / name).write_text(text)
    outcome = run_cli("check", str(repository / "templates" / "t"))
    assert_refused(outcome, str(repository / name), at=at, contains=contains)


@pytest.mark.parametrize(
    ("option", "contains"),
    [
        (["--coder-version", "x"], "expected a version such as 2.34.0"),
        (["--provider-version", "2.x"], "expected a version such as 2.34.0"),
        (["--severity", "AIT999=error"], "unknown rule 'AIT999'"),
    ],
)
def test_command_line_values_are_validated(option: list[str], contains: str) -> None:
    outcome = run_cli("check", str(BROKEN), *option)
    assert_no_crash(outcome)
    assert outcome.code == 2
    assert contains in outcome.stderr
    assert len(outcome.stderr.splitlines()) == 1


def test_valid_versions_are_accepted() -> None:
    for version in ("2.34.0", "v2.34", "2", "2.37.0-rc.1", "2.37.0+build.5"):
        outcome = run_cli("check", str(BROKEN), "--coder-version", version)
        assert outcome.code == 1, (version, outcome.stderr)


# -- suppressions and the recursive walk ---------------------------------------


def test_a_rule_named_twice_in_one_suppression_is_not_unused(tmp_path: Path) -> None:
    template = tmp_path / "t"
    shutil.copytree(BROKEN, template)
    main = template / "main.tf"
    lines = main.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if '"Preview_App"' in line)
    block = max(i for i in range(index) if lines[i].startswith("resource"))
    lines.insert(block, "# aitask-lint: ignore[AIT401, AIT4, ait401] reason\n")
    main.write_text("".join(lines))
    outcome = run_cli("check", str(template), "--format", "json", "--select", "AIT401")
    document = json.loads(outcome.stdout)
    assert document["findings"] == []
    assert document["unused_suppressions"] == []


def test_recursive_reports_a_directory_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository = _repository(tmp_path)
    locked = repository / "templates" / "locked"
    locked.mkdir()
    (locked / "main.tf").write_text("")
    real_scandir = os.scandir
    real_listdir = os.listdir

    def refuse(path: str = ".") -> object:
        if os.fspath(path).rstrip("/").endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    def refuse_list(path: str = ".") -> list[str]:
        if os.fspath(path).rstrip("/").endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    monkeypatch.setattr(os, "listdir", refuse_list)
    outcome = run_cli("check", "-r", str(repository), "--no-cache")
    assert_no_crash(outcome)
    assert outcome.code == 2  # not a silent skip
    # reports name files relative to the repository (docs/ci.md, "Paths and fingerprints")
    shown = "templates/locked"
    assert f"{shown}:1:1: error AIT001 cannot read directory: Permission denied" in outcome.stdout


# -- the library refuses invalid values --------------------------------------


def test_selection_validates_its_arguments() -> None:
    from aitask_lint.errors import AitaskLintError
    from aitask_lint.lint.runner import Selection

    with pytest.raises(TypeError, match=r"write \['AIT1'\] for one rule"):
        Selection(select="AIT1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown rule 'AIT999'"):
        Selection(ignore=["AIT999"])
    with pytest.raises(ValueError, match="must map to error, warning or info"):
        Selection(severities={"AIT401": "fatal"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="unknown rule 'nope'"):
        Selection(severities={"nope": "error"})
    with pytest.raises(TypeError):
        Selection(per_file_ignores="x.tf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="too many wildcards"):
        Selection(per_file_ignores=[("**/a/**/b/**/c", ["AIT401"])])
    with pytest.raises(AitaskLintError):
        Selection(select=[401])  # type: ignore[list-item]
    assert [rule.id for rule in Selection(select=["AIT40"]).rules()][:1] == ["AIT401"]


def test_library_entry_points_validate_their_arguments() -> None:
    from aitask_lint import convert_state, load_terraform_json
    from aitask_lint.lint.findings import Report, Summary, Tool
    from aitask_lint.lint.runner import lint
    from aitask_lint.session import render

    with pytest.raises(TypeError, match="takes a list of paths"):
        lint(str(BROKEN))
    with pytest.raises(ValueError, match="JSON text where a path belongs"):
        load_terraform_json('{"format_version": "1.0"}')
    with pytest.raises(TypeError, match="takes a path, bytes or a parsed mapping"):
        load_terraform_json(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="prior_state must be"):
        convert_state({"format_version": "1.0"}, prior_state="data")  # type: ignore[arg-type]
    report = Report(Tool(version="0"), [], Summary(files=0, errors=0, warnings=0, infos=0))
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render(report, "xml")


def test_an_over_long_directory_is_reported_not_skipped(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    deep = repository / "deep"
    deep.mkdir()
    saved = os.getcwd()
    os.chdir(deep)
    try:
        for _ in range(20):  # 5,000 characters: past PATH_MAX, made with relative steps
            os.mkdir("d" * 250)
            os.chdir("d" * 250)
        Path("main.tf").write_text("")
    finally:
        os.chdir(saved)
    outcome = run_cli("check", "-r", str(repository), "--no-cache")
    assert_no_crash(outcome)
    assert outcome.code == 2
    assert "File name too long" in outcome.stdout


# -- fuzzing: any value of any setting, any baseline shape --------------------

_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["error", "AIT401", "AIT4", "**/x", "2.34.0", ".", "/", "warning"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
_KEYS = st.sampled_from(
    sorted(
        {"select", "ignore", "severity", "exclude", "per-file-ignores", "fail-on"}
        | {"coder-version", "provider-version", "wildcard-access-url", "require-ai-task"}
        | {"project-root", "unknown"}
    )
)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_fuzz_settings_are_a_config_or_one_input_error(section: dict[str, object]) -> None:
    from aitask_lint.errors import InputError
    from aitask_lint.lint.config import Config, parse_settings

    try:
        config = parse_settings(section, "/nonexistent/.aitask-lint.toml")
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(config, Config)


@pytest.mark.slow
@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        _VALUES,
        st.fixed_dictionaries({"version": _VALUES, "entries": _VALUES}),
        st.fixed_dictionaries(
            {
                "version": st.just(1),
                "entries": st.lists(
                    st.dictionaries(st.sampled_from(["path", "address", "rule", "count"]), _VALUES),
                    max_size=3,
                ),
            }
        ),
    )
)
def test_fuzz_baselines_are_counts_or_one_input_error(tmp_path: Path, document: object) -> None:
    from aitask_lint.errors import InputError
    from aitask_lint.lint.baseline import read_baseline

    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(document))
    try:
        counts = read_baseline(str(path))
    except InputError as error:
        assert "\n" not in str(error)
    else:
        assert all(isinstance(n, int) and n > 0 for n in counts.values())


def test_recursive_walks_a_tree_deeper_than_the_recursion_limit(tmp_path: Path) -> None:
    repository = _repository(tmp_path)
    saved = os.getcwd()
    os.chdir(repository)
    try:
        for _ in range(1200):  # os.walk recursed, and failed with "internal error"
            os.mkdir("a")
            os.chdir("a")
        Path("main.tf").write_text('resource "coder_app" "x" {\n  slug = "Bad_Slug"\n}\n')
    finally:
        os.chdir(saved)
    try:
        outcome = run_cli("check", "-r", str(repository), "--select", "AIT401", "--no-cache")
    finally:
        _remove_chain(repository, "a", 1200)
    assert_no_crash(outcome)
    assert outcome.stdout.count("error AIT401") == 2  # the broken example's and the deep one's


def _remove_chain(top: Path, name: str, depth: int) -> None:
    """Remove ``top/name/name/...`` bottom-up: pytest's rmtree recurses and would fail on it."""
    saved = os.getcwd()
    os.chdir(top)
    try:
        for _ in range(depth):
            os.chdir(name)
        for entry in os.listdir("."):
            os.unlink(entry)
        for _ in range(depth):
            os.chdir("..")
            os.rmdir(name)
    finally:
        os.chdir(saved)
