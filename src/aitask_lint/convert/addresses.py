"""Terraform resource addresses as Coder reads them.

``convertAddressToLabel`` cuts an address at its first ``[`` (so
``coder_app.apps["a"]`` and every instance of a counted module share one
label); the module path comes from parsing the address, and an address that
does not parse gets Coder's sentinel module path.
"""

from __future__ import annotations

import re

INVALID_TERRAFORM_ADDRESS = "invalid terraform address"

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
#: the key's characters repeat possessively: Python's re keeps backtracking state per
#: repetition of a group (2.1 GB for a 14 MB key), and a key's characters match one way only
_INDEX = r'(?:\[(?:[0-9]+|"(?:[^"\\]|\\.)*+")\])?'
#: applied with fullmatch: Python's ``$`` would also accept a trailing newline,
#: which Terraform's address parser refuses
#: the reference pattern, matched in two parts below because a repeated group keeps
#: backtracking state per repetition (1 GB for a 30 MB address of ``module.m.``):
#: module steps one at a time, then the resource (tests/test_plan_bounds.py)
_ADDRESS = re.compile(
    rf"(?P<modules>(?:module\.{_NAME}{_INDEX}\.)*)(?:data\.)?{_NAME}\.{_NAME}{_INDEX}"
)
_MODULE_STEP = re.compile(rf"module\.{_NAME}{_INDEX}\.")
_RESOURCE = re.compile(rf"(?:data\.)?{_NAME}\.{_NAME}{_INDEX}")


def address_label(address: str) -> str:
    """Coder's ``convertAddressToLabel``: the address up to its first ``[``."""
    cut = address.find("[")
    return address if cut < 0 else address[:cut]


def module_path(address: str) -> str:
    """The ``module.a.module.b`` part of an address, ``""`` at the root.

    Returns :data:`INVALID_TERRAFORM_ADDRESS` for an address that does not
    parse, as Coder does (it logs ``failed to parse Terraform address``).
    """
    ends = [0]  # where each prefix of module steps ends
    while step := _MODULE_STEP.match(address, ends[-1]):
        ends.append(step.end())
    for end in reversed(ends):  # the longest module path the resource can follow, as _ADDRESS
        if _RESOURCE.fullmatch(address, end):
            return address[: end - 1] if end else ""
    return INVALID_TERRAFORM_ADDRESS
