"""The one error type users see for unusable input.

Every problem with what the user gave us (a file that cannot be read, JSON
that does not parse, a document that is not Terraform's) becomes an
:class:`InputError` carrying the file and position, so the CLI can print one
line ``path:line:col: message`` and exit 2 instead of a traceback.
"""

from __future__ import annotations

import os


def display_path(path: str) -> str:
    """Return ``path`` relative to the current directory when it is below it.

    The contracts ask for relative paths under the working directory and
    absolute ones elsewhere, so reports stay short in CI and unambiguous
    outside it.
    """
    if path in ("", "-", "<stdin>", "<bytes>", "<data>"):
        return path
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    try:
        common = os.path.commonpath([absolute, cwd])
    except ValueError:  # different drives on Windows
        return absolute
    if common == cwd:
        return os.path.relpath(absolute, cwd)
    return absolute


class AitaskLintError(Exception):
    """Base class of every error this library raises on purpose."""


class InputError(AitaskLintError):
    """An input that cannot be used, with where and why.

    ``str(error)`` is the one-line form ``path:line:col: message`` that the
    CLI prints; the parts stay available for callers that format their own.
    """

    def __init__(
        self,
        path: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
    ) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.column = column
        self.pointer = pointer
        super().__init__(self.one_line())

    def one_line(self) -> str:
        location = display_path(self.path)
        if self.line is not None:
            location += f":{self.line}:{self.column or 1}"
        return f"{location}: {_single_line(self.message)}"


class MultipleInputError(AitaskLintError):
    """Several unusable inputs at once (every broken file of a template directory)."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.one_line() for error in errors))


class ConversionError(AitaskLintError):
    """``ConvertState`` refused the input; the message is Coder's own text."""


def _single_line(text: str) -> str:
    """Collapse a message onto one line so every error is exactly one line."""
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


class InvalidArgumentError(AitaskLintError, ValueError):
    """A library call got a value it cannot use (an unknown rule, severity or format)."""


class InvalidArgumentTypeError(AitaskLintError, TypeError):
    """A library call got a value of the wrong type (a string where a list belongs)."""
