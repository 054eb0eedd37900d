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
_INDEX = r'(?:\[(?:[0-9]+|"(?:[^"\\]|\\.)*")\])?'
#: applied with fullmatch: Python's ``$`` would also accept a trailing newline,
#: which Terraform's address parser refuses
_ADDRESS = re.compile(
    rf"(?P<modules>(?:module\.{_NAME}{_INDEX}\.)*)(?:data\.)?{_NAME}\.{_NAME}{_INDEX}"
)


def address_label(address: str) -> str:
    """Coder's ``convertAddressToLabel``: the address up to its first ``[``."""
    cut = address.find("[")
    return address if cut < 0 else address[:cut]


def module_path(address: str) -> str:
    """The ``module.a.module.b`` part of an address, ``""`` at the root.

    Returns :data:`INVALID_TERRAFORM_ADDRESS` for an address that does not
    parse, as Coder does (it logs ``failed to parse Terraform address``).
    """
    match = _ADDRESS.fullmatch(address)
    if match is None:
        return INVALID_TERRAFORM_ADDRESS
    return match.group("modules")[:-1]
