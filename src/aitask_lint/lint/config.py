"""Configuration: ``[tool.aitask-lint]`` in ``pyproject.toml``, or ``.aitask-lint.toml``.

Found by walking up from the first scanned path; the first directory holding
either file wins (``.aitask-lint.toml`` before ``pyproject.toml``). Keys are
validated strictly: a typo in a key or a rule ID is an error that names it,
never a silently ignored setting. Command-line options win over the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aitask_lint.errors import InputError
from aitask_lint.lint.findings import SEVERITY_RANK, Severity
from aitask_lint.lint.registry import all_rules, matches

KEYS = frozenset(
    {
        "select",
        "ignore",
        "severity",
        "exclude",
        "fail-on",
        "coder-version",
        "provider-version",
        "wildcard-access-url",
        "require-ai-task",
        "project-root",
        "output-format",
    }
)


@dataclass
class Config:
    """Settings from a configuration file (every field optional)."""

    path: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_on: Severity | None = None
    coder_version: str | None = None
    provider_version: str | None = None
    wildcard_access_url: bool | None = None
    require_ai_task: bool | None = None
    #: absolute: the directory HCL input may read modules from (``project-root``)
    project_root: str | None = None
    #: the ``check`` output format (``output-format``; checked against the formats by the run)
    output_format: str | None = None

    @property
    def root(self) -> Path:
        """The directory ``exclude`` globs are relative to."""
        return Path(self.path).parent if self.path else Path.cwd()


def find_config(start: str) -> str | None:
    """The configuration file that applies to ``start``, walking up."""
    directory = Path(start).resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        dedicated = candidate / ".aitask-lint.toml"
        if dedicated.is_file():
            return str(dedicated)
        project = candidate / "pyproject.toml"
        if project.is_file() and _has_section(project):
            return str(project)
    return None


def _has_section(path: Path) -> bool:
    import tomllib  # only when a pyproject.toml is met: most runs have no configuration

    try:
        with path.open("rb") as handle:
            return "aitask-lint" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def load_config(path: str) -> Config:
    """Read and validate one configuration file."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise InputError(path, f"cannot read configuration: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        raise InputError(path, f"invalid TOML: {error}", line, column) from None
    section: Any = data
    where = ""
    if os.path.basename(path) == "pyproject.toml":
        section = data.get("tool", {}).get("aitask-lint", {})
        where = " in [tool.aitask-lint]"
    if not isinstance(section, dict):
        raise InputError(path, f"expected a table{where}")
    return parse_settings(section, path, where)


def parse_settings(section: dict[str, Any], path: str, where: str = "") -> Config:
    for key in section:
        if key not in KEYS:
            raise InputError(path, f"unknown key {key!r}{where} (known: {', '.join(sorted(KEYS))})")
    config = Config(path=path)
    config.select = _rule_list(section, "select", path, where)
    config.ignore = _rule_list(section, "ignore", path, where)
    severities = section.get("severity", {})
    if not isinstance(severities, dict):
        raise InputError(path, f"'severity'{where} must be a table of rule = level")
    for key, level in severities.items():
        check_rule_key(key, path)
        config.severity[key] = check_severity(level, f"severity.{key}", path)
    exclude = section.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise InputError(path, f"'exclude'{where} must be a list of glob strings")
    config.exclude = exclude
    if "fail-on" in section:
        config.fail_on = check_severity(section["fail-on"], "fail-on", path)
    if "output-format" in section:
        if not isinstance(section["output-format"], str):
            raise InputError(
                path, f"'output-format'{where} must be a format name, e.g. \"concise\""
            )
        config.output_format = section["output-format"]
    for key in ("coder-version", "provider-version"):
        if key in section:
            value = section[key]
            if not isinstance(value, str):
                raise InputError(path, f"{key!r}{where} must be a version string")
            setattr(config, key.replace("-", "_"), value)
    if "project-root" in section:
        value = section["project-root"]
        if not isinstance(value, str) or not value.strip():
            raise InputError(path, f"'project-root'{where} must be a directory path")
        root = os.path.join(os.path.dirname(os.path.abspath(path)), value)
        if not os.path.isdir(root):
            raise InputError(path, f"'project-root'{where}: {root} is not a directory")
        config.project_root = os.path.normpath(root)
    for key in ("wildcard-access-url", "require-ai-task"):
        if key in section:
            if not isinstance(section[key], bool):
                raise InputError(path, f"{key!r}{where} must be true or false")
            setattr(config, key.replace("-", "_"), section[key])
    return config


def _rule_list(section: dict[str, Any], key: str, path: str, where: str) -> list[str] | None:
    if key not in section:
        return None
    value = section[key]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise InputError(path, f"{key!r}{where} must be a list of rule IDs or names")
    for entry in value:
        check_rule_key(entry, path)
    return list(value)


def check_rule_key(key: str, source: str) -> None:
    """A rule ID, an ID prefix (``AIT2``) or a rule name must name at least one rule."""
    if not any(matches(rule, key) for rule in all_rules()):
        raise InputError(source, f"unknown rule {key!r} (see `aitask-lint rules`)")


def check_severity(value: Any, key: str, source: str) -> Severity:
    if value not in SEVERITY_RANK:
        raise InputError(source, f"{key} must be one of error, warning, info, not {value!r}")
    severity: Severity = value
    return severity
