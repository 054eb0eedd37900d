"""The package as users get it, built once per run, and fresh environments to install it in.

``tests/test_distribution.py`` (the wheel) and ``tests/test_action.py`` (the
GitHub Action, which installs from its checkout) each need a fresh virtual
environment holding the package and its dependencies. What they share is made
once per test run (by whichever xdist worker asks first, under a lock) and is
read-only afterwards:

* ``python -m build`` makes the sdist and the wheel (the wheel from the sdist);
* a directory holding exactly the wheel's runtime dependencies: the closure
  of its ``Requires-Dist`` (no extras of its own), each distribution linked
  from this test environment, where ``.ci/run``'s ``pip install`` put it.
  A dependency missing from ``pyproject.toml`` is missing there too, and a
  version the wheel excludes fails here, by name. Resolving them again from
  the package index cost 7 s of CPU per environment (and the network) and
  proves nothing ``.ci/run``'s install has not.

Each test then makes its own virtual environment (``--without-pip``: 0.04 s,
not 5 s), whose ``.pth`` file puts that directory on its path, and installs
the package into it with pip, which finds every dependency satisfied and
installs aitask-lint alone, into the environment's own ``site-packages``.
Nothing one test does changes what the other sees.
"""

from __future__ import annotations

import email.parser
import fcntl
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Built:
    """The run's build of the package: its wheel and sdist, and its dependencies."""

    wheel: Path
    sdist: Path
    dependencies: Path  # a sys.path entry: the wheel's dependencies, not the package


def built_once(shared: Path, root: Path) -> Built:
    """Build ``root`` once per ``shared`` directory, whichever process asks first.

    ``shared`` is a directory every xdist worker of the run sees; the others
    wait on the lock and reuse the result. A build that fails raises in each
    test that asks (nothing is recorded until it succeeds).
    """
    place = shared / "built-package"
    with open(shared / "built-package.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = place / "done"
        if not done.exists():
            shutil.rmtree(place, ignore_errors=True)
            _build(place / "dist", root)
            (wheel,) = (place / "dist").glob("aitask_lint-*.whl")
            link_dependencies(wheel, place / "dependencies")
            done.touch()
    (wheel,) = (place / "dist").glob("aitask_lint-*.whl")
    (sdist,) = (place / "dist").glob("aitask_lint-*.tar.gz")
    return Built(wheel, sdist, place / "dependencies")


def _build(dist: Path, root: Path) -> None:
    # the build backend is here (test extra): no build environment to make
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
    built = subprocess.run(
        [sys.executable, "-m", "build", *isolation, "--outdir", str(dist), str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]


def link_dependencies(wheel: Path, into: Path) -> list[str]:
    """Link the closure of ``wheel``'s runtime requirements into ``into``; their names.

    Each distribution comes from this environment: its top-level packages and
    modules and its ``.dist-info`` (so pip sees it installed), as symbolic links.
    """
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    pending = [(line, frozenset[str]()) for line in metadata.get_all("Requires-Dist") or []]
    seen: set[tuple[str, frozenset[str]]] = set()
    into.mkdir(parents=True)
    while pending:
        line, owner_extras = pending.pop()
        requirement = Requirement(line)
        if requirement.marker is not None and not any(
            requirement.marker.evaluate({"extra": extra}) for extra in owner_extras or {""}
        ):
            continue
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        distribution = importlib.metadata.distribution(requirement.name)
        assert requirement.specifier.contains(distribution.version, prereleases=True), (
            f"this environment's {requirement.name} {distribution.version} is not {requirement}"
        )
        pending += [(r, frozenset(requirement.extras)) for r in distribution.requires or []]
        files = distribution.files
        assert files is not None, f"{requirement.name} has no RECORD"
        for top in {file.parts[0] for file in files} - {"..", "__pycache__"}:
            link = into / top
            if not link.exists():
                link.symlink_to(Path(str(distribution.locate_file(top))))
    return sorted({name for name, _extras in seen})


def fresh_venv(venv: Path, built: Built, *, with_pip: bool = False) -> Path:
    """A new virtual environment seeing ``built``'s dependencies (and pip); its bin directory.

    ``with_pip`` plays actions/setup-python, whose Python has pip: this
    process's pip package is put on the environment's path, so
    ``python -m pip install`` there installs into the environment.
    """
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    paths = [str(built.dependencies)]
    if with_pip:
        import pip

        # a directory holding only pip, not this environment's other packages
        only_pip = venv / "only-pip"
        only_pip.mkdir()
        (only_pip / "pip").symlink_to(Path(pip.__file__).parent, target_is_directory=True)
        paths.append(str(only_pip))
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = venv / "lib" / version / "site-packages"
    (site_packages / "_test_dependencies.pth").write_text("\n".join(paths) + "\n")
    return venv / "bin"
