"""Filesystems and paths for reading and writing: fsspec URLs, globs, folders, atomic commits.

Every path a user gives (``"data/*.parquet"``, ``"s3://bucket/table"``,
``"memory://x"``, ``"file:///tmp/t"``) is resolved here into an fsspec
filesystem plus plain paths.  Writers put their output into a temporary
sibling (``<target>.tmp-<token>``) and :func:`commit` renames it into place
(or moves its files into an existing empty target folder, which is kept), so
a failed or interrupted write never leaves a half-written target.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Iterable

__all__ = [
    "resolve_fs", "expand_paths", "files_token", "is_local", "target_is_empty", "check_target",
    "make_dir", "commit", "remove", "temp_sibling", "natural_sort_key",
]


def resolve_fs(path: Any, storage_options: dict | None = None) -> tuple[Any, list[str]]:
    """Return ``(fsspec filesystem, [paths without protocol])`` for a path, URL or list of them."""
    import fsspec.core

    paths = list(path) if isinstance(path, (list, tuple)) else [path]
    if not paths:
        raise ValueError("no path given")
    fs, _ = fsspec.core.url_to_fs(_as_str(paths[0]), **(storage_options or {}))
    return fs, [fs._strip_protocol(_as_str(p)) for p in paths]


def _as_str(path: Any) -> str:
    import os

    return os.fspath(path)


def is_local(fs: Any) -> bool:
    """True for the local disk (where pyarrow's own filesystem is faster than fsspec)."""
    return "file" in _protocols(fs)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def expand_paths(fs: Any, paths: Iterable[str], suffixes: tuple[str, ...] = ()) -> tuple[list[str], str | None]:
    """Expand globs and folders into sorted file paths, and return the common base folder.

    Raises
    ------
    FileNotFoundError
        Naming the first path that matches nothing.
    """
    files: list[str] = []
    folders: list[str] = []
    for path in paths:
        found, is_dir = _expand_one(fs, path, suffixes)
        files.extend(found)
        if is_dir:
            folders.append(path)
    base = folders[0] if len(folders) == 1 and len(list(paths)) == 1 else _common_folder(files)
    return files, base


def _expand_one(fs: Any, path: str, suffixes: tuple[str, ...]) -> tuple[list[str], bool]:
    if any(ch in path for ch in "*?["):
        found = sorted((p for p in fs.glob(path) if fs.isfile(p)), key=natural_sort_key)
        if not found:
            raise FileNotFoundError(f"no file matches the pattern {path!r}")
        return found, False
    if fs.isdir(path):
        return _files_in_folder(fs, path, suffixes), True
    if fs.isfile(path):
        return [path], False
    raise FileNotFoundError(f"no such file or folder: {path!r}")


def _files_in_folder(fs: Any, path: str, suffixes: tuple[str, ...]) -> list[str]:
    found = sorted((p for p in fs.find(path) if not _is_hidden(p[len(path):])), key=natural_sort_key)
    if suffixes and any(p.endswith(suffixes) for p in found):
        found = [p for p in found if p.endswith(suffixes)]
    if not found:
        raise FileNotFoundError(f"the folder {path!r} holds no data files")
    return found


def natural_sort_key(path: str) -> list:
    """Order ``part.2`` before ``part.10``: numbered files are usually written in row order."""
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", path)]


def _is_hidden(relative: str) -> bool:
    # Spark/Hadoop/Dask side files: _SUCCESS, _metadata, .crc, ...
    return any(part.startswith(("_", ".")) for part in relative.strip("/").split("/"))


def _common_folder(files: list[str]) -> str | None:
    if not files:
        return None
    folder = posixpath.commonpath([posixpath.dirname(f) for f in files]) if len(files) > 1 else posixpath.dirname(files[0])
    return folder or None


def files_token(fs: Any, files: list[str], *extra: Any) -> str:
    """A token naming files by path, size and modification time (changed files: new token)."""
    import hashlib

    details = [fs.info(f) for f in files]
    stamps = [(d["name"], d.get("size"), str(d.get("mtime", d.get("created")))) for d in details]
    text = repr((type(fs).__name__, stamps, extra))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


# -- writing -------------------------------------------------------------------------
def temp_sibling(target: str, token: str) -> str:
    """The temporary folder/file next to ``target`` that a write goes to first."""
    return f"{target.rstrip('/')}.tmp-{token}"


def target_is_empty(fs: Any, target: str) -> bool:
    """True if ``target`` does not exist or is an empty folder."""
    if not fs.exists(target):
        return True
    return fs.isdir(target) and not fs.ls(target, detail=False)


def check_target(fs: Any, target: str, overwrite: bool) -> None:
    """Refuse to write over a non-empty ``target`` unless ``overwrite`` is true.

    Raises
    ------
    FileExistsError
        When ``target`` exists and is not empty, and ``overwrite`` is false.
    ValueError
        When ``overwrite`` would replace the local working directory or a folder holding it.
    """
    if not target_is_empty(fs, target):
        if not overwrite:
            raise FileExistsError(
                f"{target!r} already exists and is not empty; pass overwrite=True to replace it"
            )
        _check_not_cwd(fs, target)
    if _is_empty_folder(fs, target):
        _check_writable(fs, target)


def _check_not_cwd(fs: Any, target: str) -> None:
    """Refuse to replace the working directory or a folder holding it (as dask): the old folder could not
    be removed once the new one is in place, so both would be left behind."""
    import os

    if not is_local(fs):
        return
    here, there = os.path.realpath(os.getcwd()), os.path.realpath(target)
    if os.path.commonpath([here, there]) == there:
        where = "is the working directory" if here == there else f"holds the working directory {here!r}"
        raise ValueError(f"Cannot clear the contents of the current working directory! overwrite=True would "
                         f"replace {target!r}, which {where}; write to another folder")


def _is_empty_folder(fs: Any, path: str) -> bool:
    return fs.exists(path) and fs.isdir(path) and not fs.ls(path, detail=False)


def _check_writable(fs: Any, folder: str) -> None:
    """Refuse, before any work, an existing empty folder the write could not put its files into."""
    import os

    if is_local(fs) and not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(
            f"cannot write into {folder!r}: the folder exists and is not writable by this user (an existing "
            "empty folder is written into, keeping its permissions and owner, never replaced)")


def make_dir(fs: Any, path: str) -> str:
    """Create the folder ``path`` (a write's temporary folder) and return it."""
    fs.makedirs(path, exist_ok=True)
    return path


def remove(fs: Any, path: str) -> None:
    """Remove a file or folder if it exists (cleanup after a failed write)."""
    try:
        if fs.exists(path):
            fs.rm(path, recursive=True)
    except FileNotFoundError:  # removed concurrently
        pass


def commit(fs: Any, temp: str, target: str, overwrite: bool) -> None:
    """Move the finished ``temp`` into place as ``target``.

    An existing empty folder ``target`` is kept (with its permissions and
    owner): the files of ``temp`` are moved into it.  An existing target
    otherwise (allowed only with ``overwrite``) is first moved aside and
    removed after the new data are in place, so some complete version is
    always present under ``target``'s name or its sibling.
    """
    check_target(fs, target, overwrite)
    if fs.isdir(temp) and _is_empty_folder(fs, target):
        _move_contents(fs, temp, target)
        return
    old = None
    if fs.exists(target):
        old = f"{target.rstrip('/')}.old-{posixpath.basename(temp).rpartition('-')[2]}"
        _move(fs, target, old)
    _move(fs, temp, target)
    if old is not None:
        remove(fs, old)


def _move_contents(fs: Any, temp: str, target: str) -> None:
    """Move every entry of the folder ``temp`` into the empty folder ``target``, then remove ``temp``.

    Replacing the folder would give it the writer's owner and permissions (a
    read-only or group-shared folder would silently change).  If a move
    fails, the entries already moved go back, so ``target`` stays empty.
    """
    moved: list[tuple[str, str]] = []
    try:
        for entry in sorted(fs.ls(temp, detail=False)):
            destination = f"{target.rstrip('/')}/{posixpath.basename(entry.rstrip('/'))}"
            _move(fs, entry, destination)
            moved.append((destination, entry))
    except BaseException:
        for destination, entry in reversed(moved):
            _move(fs, destination, entry)
        raise
    remove(fs, temp)


def _move(fs: Any, source: str, destination: str) -> None:
    if is_local(fs):
        import os

        os.replace(source, destination)  # one rename: atomic on a local disk
    else:
        fs.mv(source, destination, recursive=True)
