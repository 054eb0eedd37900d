"""Configuration: ``[tool.aitask-lint]`` in ``pyproject.toml``, or ``.aitask-lint.toml``.

Each scanned root takes the configuration found by walking up from it: the
nearest directory holding either file wins (``.aitask-lint.toml`` before
``pyproject.toml``), as ruff does. The walk stops at the project root (the
enclosing git repository, or ``--project-root``): a file above it is never
read, because whoever controls the directories above a checkout is not the
author of the templates in it.

A configuration file is untrusted input like the templates next to it: it is
read once, bounded (regular files only, at most :data:`MAX_CONFIG_BYTES`),
decoded strictly, and every key and value is validated with an error that
names the file (and the line, where it can be found). It may narrow what is
read (``project-root`` below the default root), never widen it.
Command-line options win over the file.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aitask_lint.errors import InputError
from aitask_lint.lint.findings import SEVERITY_RANK, Severity
from aitask_lint.lint.registry import all_rules, matches
from aitask_lint.lint.settings import Kind, Option, Settings, file_options

#: every configuration key (the :class:`Settings` fields that have one)
KEYS = frozenset(option.key for _name, option in file_options() if option.key is not None)

#: a configuration file is a few lines; 1 MiB is generous and keeps /dev/zero out
MAX_CONFIG_BYTES = 1024 * 1024
#: ``exclude`` plus ``per-file-ignores`` globs of one file: matching cost is per glob
MAX_GLOBS = 1000
MAX_GLOB_LENGTH = 256
#: characters of all globs of one file: compiling 1,000 globs of 1,000 characters took 4 s
MAX_GLOB_CHARACTERS = 32 * 1024
#: ``*`` runs per glob besides ``**`` (each one multiplies the regex's backtracking)
MAX_GLOB_STARS = 3

_VERSION = re.compile(
    r"v?\d{1,9}(?:\.\d{1,9}){0,2}(?:-[0-9A-Za-z.-]{1,64})?(?:\+[0-9A-Za-z.-]{1,64})?"
)
_CONFIG_NAMES = (".aitask-lint.toml", "pyproject.toml")
#: digits in one number: Python's own int-conversion limit
MAX_DIGITS = 4300
#: maximal runs of digits (finditer resumes after each run: linear, unlike ``{4301,}``)
_DIGIT_RUN = re.compile(r"0[xX][0-9a-fA-F_]+|[0-9_]+")


@dataclass
class Config(Settings):
    """Settings from a configuration file (every one optional), and where they were read."""

    path: str | None = None
    #: ``project-root`` as written, and where, for messages (the value is made absolute)
    project_root_text: str | None = None
    project_root_position: tuple[int | None, int | None] = (None, None)
    _exclude_spec: GlobMatcher | None = field(default=None, repr=False, compare=False)

    @property
    def directory(self) -> str:
        """The directory ``exclude`` and ``per-file-ignores`` globs are relative to."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    def excludes(self, path: str, is_dir: bool) -> bool:
        """Whether ``exclude`` names ``path`` (gitignore rules, relative to the file)."""
        if not self.exclude:
            return False
        if self._exclude_spec is None:
            self._exclude_spec = GlobMatcher(self.exclude)
        relative = relative_to(path, self.directory)
        if relative is None:
            return False
        return self._exclude_spec.match(relative + "/" if is_dir else relative)


def relative_to(path: str, directory: str) -> str | None:
    """``path`` relative to ``directory`` with ``/`` separators; None when not below it."""
    relative = os.path.relpath(os.path.abspath(path), directory)
    if relative in {".", ".."} or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


class GlobMatcher:
    """Gitignore-style globs (pathspec's semantics), compiled once into one matcher.

    pathspec tries its patterns one by one in Python: 1,000 globs over 5,000
    directories took 3.7 s. Without negations (``!pattern``) any match decides,
    so the patterns' regular expressions are joined into one, which matches
    the same paths 80 times faster; with negations, pathspec's own
    last-match-wins loop is used.
    """

    def __init__(self, globs: list[str]) -> None:
        import pathspec

        self._spec = pathspec.GitIgnoreSpec.from_lines(globs)
        self._one: re.Pattern[str] | None = None
        active = [p for p in self._spec.patterns if getattr(p, "include", None) is not None]
        regexes = [getattr(p, "regex", None) for p in active]
        if all(getattr(p, "include", None) for p in active) and all(
            isinstance(r, re.Pattern) for r in regexes
        ):
            joined = "|".join(
                f"(?:{r.pattern.replace('(?P<ps_d>', '(?:')})"
                for r in regexes
                if isinstance(r, re.Pattern)
            )
            try:
                self._one = re.compile(joined) if joined else re.compile(r"(?!)")
            except re.error:  # a pathspec version whose regexes do not join: its own loop
                self._one = None

    def match(self, relative: str) -> bool:
        """Whether the globs name ``relative`` (``/``-separated; a directory ends in ``/``)."""
        if self._one is not None:
            return self._one.match(relative) is not None
        return bool(self._spec.match_file(relative))


def check_glob(glob: str, source: str, key: str) -> None:
    """Refuse globs whose matching time could explode.

    pathspec matches with Python regular expressions, which backtrack: a
    glob with two ``**`` (or many ``*``) takes minutes on a deep path a pull
    request can create. One ``**`` (plus a trailing ``/**``) and three ``*``
    cover every exclusion people write.
    """
    if len(glob) > MAX_GLOB_LENGTH:
        raise InputError(source, f"{key}: a glob is longer than {MAX_GLOB_LENGTH} characters")
    body = glob[1:] if glob.startswith("!") else glob
    body = body.rstrip("/")
    if body.endswith("/**"):
        body = body[:-3]
    deep = body.count("**")
    stars = len(re.findall(r"\*+", body)) - deep
    if deep > 1 or stars > MAX_GLOB_STARS:
        raise InputError(
            source,
            f"{key}: glob {glob!r} has too many wildcards (at most one '**' besides a "
            f"trailing '/**', and {MAX_GLOB_STARS} '*'), which keeps matching fast",
        )


# -- reading ---------------------------------------------------------------


def read_settings_file(path: str, limit: int, what: str) -> str:
    """The text of a settings file: regular files only, at most ``limit`` bytes, UTF-8.

    Opened without blocking and checked with ``fstat``, so a FIFO or
    ``/dev/zero`` (or a committed symlink to one) is refused instead of
    hanging the run or filling memory.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise InputError(path, f"cannot read {what}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(path, f"cannot read {what}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"cannot read {what}: not a regular file")
        if info.st_size > limit:
            raise InputError(path, f"{what} too large: over the {limit // 1024} KiB limit")
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise InputError(path, f"cannot read {what}: {error.strerror or error}") from None
    if len(data) > limit:
        raise InputError(path, f"{what} too large: over the {limit // 1024} KiB limit")
    return decode_utf8(data, path)


def decode_utf8(data: bytes, path: str) -> str:
    """Strict UTF-8, with the position of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise InputError(
            path, f"invalid UTF-8 (byte 0x{data[error.start]:02x})", line, column
        ) from None


def parse_toml(path: str) -> tuple[dict[str, Any], str]:
    """A TOML file as data (and its text), every failure an :class:`InputError` naming it."""
    import tomllib

    text = read_settings_file(path, MAX_CONFIG_BYTES, "configuration")
    huge = next((run for run in _DIGIT_RUN.finditer(text) if len(run.group()) > MAX_DIGITS), None)
    if huge is not None:  # int() of a long digit string is quadratic, and limited by Python
        before = text[: huge.start()]
        raise InputError(
            path,
            f"invalid TOML: a number with more than {MAX_DIGITS} digits",
            before.count("\n") + 1,
            huge.start() - (before.rfind("\n") + 1) + 1,
        )
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's tomllib has the position only in its message text
        found = re.search(r" \(at line (\d+), column (\d+)\)$", str(error))
        message = str(error)[: found.start()] if found else str(error)
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        raise InputError(path, f"invalid TOML: {message}", line, column) from None
    except RecursionError:
        raise InputError(
            path,
            f"invalid TOML: arrays or inline tables nested too deeply (over {_TOML_DEPTH} levels)",
            *_deep_bracket(text, _TOML_DEPTH),
        ) from None
    except ValueError as error:  # tomllib lets int()'s own errors through
        raise InputError(path, f"invalid TOML: {error}") from None


#: tomllib recurses about three frames a level: past ~300 levels Python's limit stops it
_TOML_DEPTH = 100


def _deep_bracket(text: str, depth: int) -> tuple[int | None, int | None]:
    """Line and column of the first ``[`` or ``{`` nested past ``depth``, outside strings
    and comments (only after tomllib gave up, so the scan costs nothing otherwise)."""
    level = 0
    index = 0
    quote = ""
    while index < len(text):
        char = text[index]
        if quote:
            if text.startswith(quote, index):
                index += len(quote)
                quote = ""
                continue
            if char == "\\" and quote[0] == '"':
                index += 1
        elif text.startswith(('"""', "'''"), index):
            quote = text[index : index + 3]
            index += 2
        elif char in "\"'":
            quote = char
        elif char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        elif char in "[{":
            level += 1
            if level > depth:
                before = text[:index]
                return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
        elif char in "]}":
            level -= 1
        index += 1
    return None, None


def _tool_section(data: dict[str, Any], path: str, text: str) -> Any:
    """``[tool.aitask-lint]`` of a pyproject.toml, or None when it has none."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        position = _key_position(text, "tool", "")
        raise InputError(path, f"'tool' must be a table, not {_kind(tool)}", *position)
    return tool.get("aitask-lint")


# -- discovery -------------------------------------------------------------


class ConfigResolver:
    """Finds and loads configuration files, each read and validated once per run."""

    def __init__(self) -> None:
        self._loaded: dict[str, Config] = {}
        self._pyproject: dict[str, bool] = {}
        self._nearest: dict[tuple[str, str | None], str | None] = {}
        self._reals: dict[str, str] = {}
        self._listing: dict[str, frozenset[str]] = {}

    def listed(self, directory: str, files: list[str], subdirectories: list[str]) -> None:
        """What a directory walk saw: which configuration files a directory holds, and
        which subdirectories are real ones (not symlinks), so lookups below need no
        ``lstat`` per level (on a 2,000-deep tree those cost seconds)."""
        absolute = os.path.abspath(directory)
        self._listing[absolute] = frozenset(files) & frozenset(_CONFIG_NAMES)
        real = self._real(absolute)
        for name in subdirectories:
            self._reals.setdefault(os.path.join(absolute, name), os.path.join(real, name))

    def load(self, path: str) -> Config:
        key = os.path.abspath(path)
        if key not in self._loaded:
            self._loaded[key] = load_config(path)
        return self._loaded[key]

    def nearest(self, start: str, bound: str | None) -> Config:
        """The configuration of ``start`` (walking up, not above ``bound``), or the defaults."""
        found = self.find(start, bound)
        return self.load(found) if found else Config()

    def find(self, start: str, bound: str | None) -> str | None:
        directory = os.path.abspath(start)
        if not os.path.isdir(directory):
            directory = os.path.dirname(directory)
        real_bound = os.path.realpath(bound) if bound else None
        return self._find(directory, real_bound)

    def _find(self, directory: str, bound: str | None) -> str | None:
        """Walk up from ``directory`` (iteratively: trees can be thousands deep)."""
        visited: list[str] = []
        found: str | None = None
        current = directory
        while True:
            key = (current, bound)
            if key in self._nearest:
                found = self._nearest[key]
                break
            visited.append(current)
            real = self._real(current)
            if bound is not None and not _inside(real, bound):
                break  # above (or beside) the project root: nothing is read there
            found = self._here(current, bound)
            parent = os.path.dirname(current)
            if found is not None or real == bound or parent == current:
                break
            current = parent
        for each in visited:  # the answer for every directory on the way
            self._nearest[(each, bound)] = found
        return found

    def _real(self, directory: str) -> str:
        """``realpath``, memoised by parent: one ``lstat`` per new directory, not per level."""
        chain: list[str] = []
        current = directory
        while current not in self._reals:
            parent = os.path.dirname(current)
            if parent == current or os.path.islink(current):
                self._reals[current] = os.path.realpath(current)
                break
            chain.append(current)
            current = parent
        for each in reversed(chain):
            self._reals[each] = os.path.join(
                self._reals[os.path.dirname(each)], os.path.basename(each)
            )
        return self._reals[directory]

    def _here(self, directory: str, bound: str | None) -> str | None:
        listing = self._listing.get(directory)
        for name in _CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if listing is not None and name not in listing:
                continue  # the walk listed the directory: no such file
            if not os.path.lexists(candidate) or os.path.isdir(candidate):
                continue
            if bound is not None and not _inside(os.path.realpath(candidate), bound):
                raise InputError(
                    candidate,
                    f"configuration is a symlink leading outside the project root {bound}; "
                    "it is not read",
                )
            if name == "pyproject.toml" and not self._has_section(candidate):
                continue
            return candidate
        return None

    def _has_section(self, path: str) -> bool:
        key = os.path.abspath(path)
        if key not in self._pyproject:
            data, text = parse_toml(path)
            section = _tool_section(data, path, text)
            self._pyproject[key] = section is not None
            if section is not None:  # parsed once: validated here, not read again
                self._loaded[key] = _settings_of(data, path, text)
        return self._pyproject[key]


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives on Windows
        return False


def load_config(path: str) -> Config:
    """Read and validate one configuration file."""
    data, text = parse_toml(path)
    return _settings_of(data, path, text)


def _settings_of(data: dict[str, Any], path: str, text: str) -> Config:
    section: Any = data
    table = ""
    if os.path.basename(path) == "pyproject.toml":
        section = _tool_section(data, path, text)
        table = "tool.aitask-lint"
        if section is None:
            return Config(path=path)
    if not isinstance(section, dict):
        raise InputError(
            path,
            f"'aitask-lint' in [tool] must be a table, not {_kind(section)}",
            *_key_position(text, "aitask-lint", "tool"),
        )
    return parse_settings(section, path, table, text)


def check_project_root(config: Config, bound: str) -> None:
    """A configuration inside the project root may narrow it, never widen it.

    ``bound`` is the root that applies without the file (real path). A
    ``project-root`` leading outside it would let a pull request make the
    linter read, and quote, any file on the CI runner.
    """
    if config.project_root is None or config.path is None:
        return
    real_bound = os.path.realpath(bound)
    if not _inside(os.path.realpath(config.path), real_bound):
        return  # a file from outside the tree, named with --config by the user: trusted
    real = os.path.realpath(config.project_root)
    if not _inside(real, real_bound):
        raise InputError(
            config.path,
            f"'project-root' = {config.project_root_text!r} leads to {real}, outside the "
            f"project root {real_bound}; a configuration inside the project may narrow the "
            "root, never widen it (use --project-root on the command line to widen it)",
            *config.project_root_position,
        )


# -- validation ------------------------------------------------------------


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names.update({list: "an array", dict: "a table"})
    return names.get(type(value), type(value).__name__)


def _key_position(text: str, key: str, table: str) -> tuple[int | None, int | None]:
    """Where ``key`` is written in ``table`` of the file, when a plain line shows it.

    tomllib reports no positions for values, so this finds ``key = ...`` under
    the ``[table]`` header; dotted or inline forms give no position, and the
    message still names the file and the key.
    """
    current = ""
    pattern = re.compile(r"\s*(?:" + re.escape(key) + r'|"' + re.escape(key) + r'")\s*=')
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] \t").replace('"', "").replace(" ", "")
            continue
        if current == table:
            match = pattern.match(line)
            if match:
                return number, len(line) - len(line.lstrip()) + 1
    return None, None


class _Checker:
    """Validation errors for one file: the file, the key, and its line when known."""

    def __init__(self, path: str, table: str, text: str) -> None:
        self.path = path
        self.table = table
        self.text = text

    def position(self, key: str, table: str | None = None) -> tuple[int | None, int | None]:
        return _key_position(self.text, key, self.table if table is None else table)

    def error(
        self, key: str, message: str, table: str | None = None, name: str | None = None
    ) -> InputError:
        """The error for ``key`` (``name`` as written in ``table``, when a sub-table's)."""
        where = f" in [{self.table}]" if self.table else ""
        full = f"{key!r}{where}: {message}"
        return InputError(self.path, full, *self.position(name or key, table))


def parse_settings(section: dict[str, Any], path: str, table: str = "", text: str = "") -> Config:
    """Validate one ``[tool.aitask-lint]`` table (``table``) or a ``.aitask-lint.toml``.

    Generated from :class:`~aitask_lint.lint.settings.Settings`: every field
    with a ``key`` is read and checked by its ``kind`` (``_FILE_KINDS``), in
    declaration order.
    """
    check = _Checker(path, table, text)
    for key in section:
        if key not in KEYS:
            where = f" in [{table}]" if table else ""
            raise InputError(
                path,
                f"unknown key {key!r}{where} (known: {', '.join(sorted(KEYS))})",
                *check.position(key),
            )
    config = Config(path=path)
    for name, option in file_options():
        if option.key in section:
            setattr(config, name, _FILE_KINDS[option.kind](section[option.key], option, check))
    globs = [*(config.exclude or []), *(glob for glob, _rules in config.per_file_ignores or [])]
    if len(globs) > MAX_GLOBS:
        raise check.error("exclude", f"more than {MAX_GLOBS} globs in one file")
    if sum(len(glob) for glob in globs) > MAX_GLOB_CHARACTERS:
        raise check.error("exclude", f"globs longer than {MAX_GLOB_CHARACTERS} characters in all")
    if "project-root" in section:
        config.project_root_text = section["project-root"]
        config.project_root_position = check.position("project-root")
    return config


#: each kind's reader: (value as written, the setting, the file) -> the value, or an
#: InputError naming the file, the key and its line
_Reader = Callable[[Any, Option, "_Checker"], Any]


def _rules(value: Any, option: Option, check: _Checker) -> list[str]:
    key = _key(option)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise check.error(key, "must be an array of rule IDs or names")
    for entry in value:
        if not any(matches(rule, entry) for rule in all_rules()):
            raise check.error(key, f"unknown rule {entry!r} (see `aitask-lint rules`)")
    return list(value)


def _severities(value: Any, option: Option, check: _Checker) -> dict[str, Severity]:
    key = _key(option)
    if not isinstance(value, dict):
        raise check.error(key, f"must be a table of rule = level, not {_kind(value)}")
    sub = f"{check.table}.{key}" if check.table else key
    levels: dict[str, Severity] = {}
    for rule_key, level in value.items():
        if not any(matches(rule, rule_key) for rule in all_rules()):
            raise check.error(
                f"{key}.{rule_key}", "unknown rule (see `aitask-lint rules`)", sub, rule_key
            )
        if not isinstance(level, str) or level not in SEVERITY_RANK:
            raise check.error(
                f"{key}.{rule_key}",
                f"must be one of error, warning, info, not {level!r}",
                sub,
                rule_key,
            )
        levels[rule_key] = level  # type: ignore[assignment]
    return levels


def _accepting(accept: Callable[[Any], bool], expected: str) -> _Reader:
    """A reader that takes a value as written when ``accept`` says so."""

    def read(value: Any, option: Option, check: _Checker) -> Any:
        if not accept(value):
            raise check.error(_key(option), f"{expected}, not {value!r}")
        return value

    return read


_severity = _accepting(
    lambda value: isinstance(value, str) and value in SEVERITY_RANK,
    "must be one of error, warning, info",
)
#: checked against the formats by the run (the formats live in ``reports``)
_format = _accepting(lambda value: isinstance(value, str), 'must be a format name, e.g. "concise"')
_version = _accepting(
    lambda value: isinstance(value, str) and _VERSION.fullmatch(value) is not None,
    "must be a version such as 2.34.0",
)
_flag = _accepting(lambda value: isinstance(value, bool), "must be true or false")


def _choice(value: Any, option: Option, check: _Checker) -> str:
    if value not in option.choices:
        raise check.error(
            _key(option), f"must be one of {', '.join(option.choices)}, not {value!r}"
        )
    return str(value)


def _text(value: Any, option: Option, check: _Checker) -> str:
    if not isinstance(value, str):
        raise check.error(_key(option), f"must be a string, not {_kind(value)}")
    return value


def _jobs(value: Any, option: Option, check: _Checker) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise check.error(_key(option), f"must be a whole number of at least 1, not {value!r}")
    return value


def _directory(value: Any, option: Option, check: _Checker) -> str:
    """A directory, relative to the file's directory; made absolute."""
    found = _beside(value, option, check, "directory")
    if not os.path.isdir(found):
        raise check.error(_key(option), f"{found} is not a directory")
    return found


def _file(value: Any, option: Option, check: _Checker) -> str:
    """A file to read, relative to the file's directory; made absolute."""
    found = _beside(value, option, check, "file")
    if not os.path.isfile(found):
        raise check.error(_key(option), f"{found} is not a file")
    return found


def _output(value: Any, option: Option, check: _Checker) -> str:
    """A file to write, relative to the file's directory; made absolute."""
    return _beside(value, option, check, "file")


def _beside(value: Any, option: Option, check: _Checker, what: str) -> str:
    """A path written in the file, relative to the file's directory (normalised)."""
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise check.error(_key(option), f"must be a {what} path, not {value!r}")
    where = os.path.join(os.path.dirname(os.path.abspath(check.path)), value)
    return os.path.normpath(where)


def _files(value: Any, option: Option, check: _Checker) -> list[str]:
    """Files to read, each relative to the file's directory; made absolute."""
    if not isinstance(value, list):
        raise check.error(_key(option), f"must be an array of file paths, not {_kind(value)}")
    return [_file(each, option, check) for each in value]


def _assignments(value: Any, option: Option, check: _Checker) -> dict[str, Any]:
    """A table of name = value (any TOML value; the setting's user checks its meaning)."""
    if not isinstance(value, dict):
        raise check.error(_key(option), f"must be a table of name = value, not {_kind(value)}")
    return dict(value)


def _names(value: Any, option: Option, check: _Checker) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise check.error(_key(option), "must be an array of names")
    return list(value)


def _globs(value: Any, option: Option, check: _Checker) -> list[str]:
    key = _key(option)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise check.error(key, "must be an array of glob strings")
    if len(value) > MAX_GLOBS:
        raise check.error(key, f"more than {MAX_GLOBS} globs")
    for glob in value:
        _checked_glob(glob, check, key)
    return list(value)


def _checked_glob(glob: str, check: _Checker, key: str) -> None:
    try:
        check_glob(glob, check.path, key)
    except InputError as error:
        raise check.error(key, error.message.removeprefix(f"{key}: ")) from None


def _per_file_ignores(value: Any, option: Option, check: _Checker) -> list[tuple[str, list[str]]]:
    key = _key(option)
    if not isinstance(value, dict):
        raise check.error(key, "must be a table of glob = [rules]")
    if len(value) > MAX_GLOBS:
        raise check.error(key, f"more than {MAX_GLOBS} globs")
    sub = f"{check.table}.{key}" if check.table else key
    entries = []
    for glob, rules in value.items():
        _checked_glob(glob, check, key)
        if not isinstance(rules, list) or not all(isinstance(x, str) for x in rules):
            raise check.error(f"{key}.{glob}", "must be an array of rule IDs or names", sub, glob)
        for entry in rules:
            if not any(matches(rule, entry) for rule in all_rules()):
                raise check.error(
                    f"{key}.{glob}", f"unknown rule {entry!r} (see `aitask-lint rules`)", sub, glob
                )
        entries.append((glob, list(rules)))
    return entries


def _key(option: Option) -> str:
    assert option.key is not None  # only settings with a key are read from a file
    return option.key


#: how a configuration file's value of each kind is read
_FILE_KINDS: dict[Kind, _Reader] = {
    "rules": _rules,
    "severities": _severities,
    "severity": _severity,
    "format": _format,
    "version": _version,
    "flag": _flag,
    "choice": _choice,
    "text": _text,
    "jobs": _jobs,
    "directory": _directory,
    "file": _file,
    "output": _output,
    "files": _files,
    "assignments": _assignments,
    "names": _names,
    "globs": _globs,
    "per-file-ignores": _per_file_ignores,
}


def check_rule_key(key: str, source: str) -> None:
    """A rule ID, an ID prefix (``AIT2``) or a rule name must name at least one rule."""
    if not isinstance(key, str) or not any(matches(rule, key) for rule in all_rules()):
        raise InputError(source, f"unknown rule {key!r} (see `aitask-lint rules`)")


def check_severity(value: Any, key: str, source: str) -> Severity:
    if not isinstance(value, str) or value not in SEVERITY_RANK:
        raise InputError(source, f"{key} must be one of error, warning, info, not {value!r}")
    severity: Severity = value  # type: ignore[assignment]
    return severity


def check_version(value: str, source: str) -> str:
    """A version such as ``2.34.0`` (``v`` prefix and pre-release suffix allowed)."""
    if not isinstance(value, str) or not _VERSION.fullmatch(value):
        raise InputError(source, f"expected a version such as 2.34.0, not {value!r}")
    return value
