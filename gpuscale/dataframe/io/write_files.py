"""The files of ``to_csv`` / ``to_json``: a folder, a ``"part-*.csv"`` pattern, or a list of paths (one per
partition, as dask), resolved into one folder, a file-name pattern and the partitions' names.

A list of paths is written as a pattern of ``"*"`` in the paths' folder, whose ``name_function`` gives
partition ``i`` the name of ``paths[i]``: the files are written and committed together as a pattern's are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["FilePlan", "file_plan"]


@dataclass(frozen=True)
class FilePlan:
    """Where a write's files go: ``folder``, the file-name ``pattern`` (one ``*``, replaced by
    ``name_function(i)``), and ``names``, the files added to a folder that may hold others (None: the folder,
    or the one file of ``single_file``, is a target of its own)."""

    folder: str
    pattern: str
    name_function: Callable[[int], str]
    names: list | None


@dataclass(frozen=True)
class ListedNames:
    """``name_function`` of a list of paths: partition ``i`` is written to the ``i``-th file name."""

    names: tuple

    def __call__(self, i: int) -> str:
        return self.names[i]


def file_plan(path: Any, single_file: bool, name_function: Callable[[int], str], n: int, writer: str) -> FilePlan:
    """Resolve ``path`` (a file, folder, pattern or list of paths) into the files of ``n`` partitions.

    Raises
    ------
    ValueError
        A list of another length than ``n``, of paths in several folders or twice the same path, a list with
        ``single_file=True``, a pattern without exactly one ``*`` in the file name, or a ``name_function``
        giving two partitions one name.
    """
    if isinstance(path, (list, tuple)):
        return _listed_plan([os.fspath(p) for p in path], single_file, n, writer)
    folder, pattern = split_pattern(os.fspath(path), single_file, writer)
    if not single_file:
        check_file_names(pattern, name_function, n, writer)  # before anything is written
    return FilePlan(folder, pattern, name_function, pattern_files(path, single_file, pattern, name_function, n))


def _listed_plan(paths: list, single_file: bool, n: int, writer: str) -> FilePlan:
    if single_file:
        raise ValueError(f"{writer}: single_file=True writes one file; pass one path, not a list of {len(paths)}")
    if len(paths) != n:
        raise ValueError(f"{writer}: a list of paths gives each partition its file, but {len(paths)} paths were "
                         f"given for {n} partitions")
    split = [_folder_and_name(p) for p in paths]
    folders = sorted({folder for folder, _ in split})
    if len(folders) > 1:
        raise ValueError(f"{writer}: the listed paths are in several folders ({', '.join(map(repr, folders))}); "
                         "the files of one write go into one folder")
    names = ListedNames(tuple(name for _, name in split))
    check_file_names("*", names, n, writer)
    return FilePlan(folders[0], "*", names, list(names.names))


def _folder_and_name(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    if not name:
        raise ValueError(f"the path {path!r} names a folder, not a file")
    if "://" not in path:
        folder = os.path.normpath(folder or ".")  # ("out/a.csv" and "./out/b.csv": one folder)
    return folder, name


def split_pattern(path: str, single_file: bool, writer: str = "to_csv") -> tuple[str, str]:
    """``(folder, file-name pattern)`` of a path: a folder gets ``*.part`` files, a pattern its own."""
    if single_file:
        return path, ""
    if "*" not in path:
        return path, "*.part"
    folder, _, name = path.rpartition("/")
    if "*" in folder or name.count("*") != 1:
        raise ValueError(f"{writer}: the path pattern {path!r} needs exactly one '*', in the file name")
    return folder or ".", name


def check_file_names(pattern: str, name_function: Callable[[int], str], n: int, writer: str = "to_csv") -> None:
    """Every partition gets its own file: two with one name would keep only the last one's rows."""
    names = [pattern.replace("*", str(name_function(i))) for i in range(n)]
    seen: dict = {}
    for i, name in enumerate(names):
        if name in seen:
            raise ValueError(f"{writer}: partitions {seen[name]} and {i} would both be written to {name!r}; "
                             "name_function must give each partition number its own name")
        seen[name] = i


def pattern_files(path: Any, single_file: bool, pattern: str, name_function: Callable[[int], str],
                  n: int) -> list | None:
    """The file names a ``"part-*.csv"`` pattern gives (added to a folder that may hold other files, as dask);
    None for a folder path or one file (a target of its own)."""
    if single_file or "*" not in str(path):
        return None
    return [pattern.replace("*", name_function(i)) for i in range(n)]
