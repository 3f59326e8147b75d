"""A function folder's own modules: ``import utils`` in ``orders/index.py`` gets ``orders/utils.py``
and in ``payments/index.py`` gets ``payments/utils.py``, in one process, as each function has its
own in the cloud. The standard library and installed packages still come first (a ``json.py`` in
a folder does not replace ``json``, for the function or for anyone else).

Each folder is a package of its own in ``sys.modules`` (``_wx_function_<hash>``, its path the
folder): the index module and every helper loaded from the folder import through the folder's
``__import__``, which sends a top-level name the folder holds (and nothing else does) to
``<package>.<name>``. Helpers are loaded once per process, as they were from ``sys.path``."""

from __future__ import annotations

import builtins
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

PREFIX = "_wx_function_"
_lock = threading.Lock()
_folders: dict[str, Folder] = {}
_real_import = builtins.__import__


class Folder:
    """One function folder's namespace: what it imports, and the builtins its modules run with."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.package = PREFIX + hashlib.sha256(str(path).encode()).hexdigest()[:16]
        self.builtins: dict[str, Any] = {**builtins.__dict__, "__import__": self._import}
        self._owned: dict[str, bool] = {}

    def owns(self, top: str) -> bool:
        """Whether ``import top`` means the folder's own module: one is there, and neither the
        standard library nor an installed package has the name."""
        owned = self._owned.get(top)
        if owned is None:
            here = (self.path / f"{top}.py").is_file() or (self.path / top / "__init__.py").is_file()
            owned = here and not _elsewhere(top, str(self.path))
            self._owned[top] = owned
        return owned

    def _import(
        self, name: str, globs: Any = None, locs: Any = None, fromlist: Sequence[str] = (), level: int = 0
    ) -> ModuleType:
        if level == 0 and name and self.owns(name.partition(".")[0]):
            module = importlib.import_module(f"{self.package}.{name}")
            return module if fromlist else sys.modules[f"{self.package}.{name.partition('.')[0]}"]
        return _real_import(name, globs, locs, fromlist, level)  # type: ignore[no-any-return]


def folder_of(path: Path) -> Folder:
    """The namespace of the folder ``path`` (made, with its package, on first use)."""
    key = PREFIX + hashlib.sha256(str(path).encode()).hexdigest()[:16]
    with _lock:
        found = _folders.get(key)
        if found is None:
            found = _folders[key] = Folder(path)
            package = ModuleType(key, f"The function folder {path}'s own modules.")
            package.__path__ = [str(path)]
            package.__package__ = key
            sys.modules[key] = package
            if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
                sys.meta_path.insert(0, _Finder())
        return found


def _elsewhere(top: str, folder: str) -> bool:
    """Whether ``top`` is importable without the folder: built in, frozen, or on ``sys.path``."""
    if top in sys.builtin_module_names or importlib.machinery.FrozenImporter.find_spec(top) is not None:
        return True
    found = sys.modules.get(top)
    origin = getattr(found, "__file__", None) if found is not None else None
    if found is not None and not (origin and str(Path(origin).parent).startswith(folder)):
        return True
    paths = [p for p in sys.path if p and Path(p).resolve() != Path(folder)]
    return importlib.machinery.PathFinder.find_spec(top, paths) is not None


class _Finder(importlib.abc.MetaPathFinder):
    """Loads ``_wx_function_<hash>.<name>`` from its folder, running it with the folder's builtins."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        package, dot, _ = fullname.partition(".")
        folder = _folders.get(package) if dot and package.startswith(PREFIX) else None
        if folder is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            spec.loader = _Loader(fullname, str(spec.origin), folder)
        return spec


class _Loader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname: str, path: str, folder: Folder) -> None:
        super().__init__(fullname, path)
        self.folder = folder

    def exec_module(self, module: ModuleType) -> None:
        module.__builtins__ = self.folder.builtins  # type: ignore[attr-defined]
        super().exec_module(module)
