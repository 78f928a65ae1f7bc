"""The ``.capnp`` schema compiler: source text -> ``schema.capnp`` nodes.

Pipeline: :mod:`.lexer` -> :mod:`.parser` (syntax tree) -> :mod:`.resolver`
(scopes, imports, generics) -> :mod:`.compiler` (layout, IDs, values) ->
:mod:`.model` (the nodes, with ``to_json()``).
"""

from __future__ import annotations

import os
import posixpath
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from ..errors import SchemaError
from .compiler import STREAM_CAPNP, Compiler, relative_name
from .resolver import FileUnit
from .model import CodeGeneratorRequest

__all__ = ["compile_files", "compile_root", "compile_source", "source_location", "CodeGeneratorRequest",
           "DiskCompiler"]

T = TypeVar("T")
ImportSource = Union[Mapping[str, Union[str, bytes]], Callable[[str], Union[str, bytes, None]], None]


def _read(path: str) -> Optional[str]:
    """A file's text, or None when it cannot be read (a name with a NUL in it included)."""
    try:
        with open(path, "r", encoding="utf-8") as fh:
            return fh.read()
    except (OSError, ValueError):  # (UnicodeDecodeError is a ValueError)
        return None


def _read_bytes(path: str) -> Optional[bytes]:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except (OSError, ValueError):
        return None


def _embed_reader(search: Sequence[str]) -> Callable[[str, str], Optional[bytes]]:
    """Reads what ``embed "name"`` names: beside the embedding file (``name`` relative to its
    real path), or, for ``/name``, in the first import directory that has it."""
    def read(name: str, importer: str) -> Optional[bytes]:
        if name.startswith("/"):
            found = _first_in(search, name, _read_bytes)
            return None if found is None else found[2]
        if not os.path.isabs(importer):
            return None  # a built-in file embeds nothing
        return _read_bytes(os.path.normpath(os.path.join(os.path.dirname(importer), name)))
    return read


def _builtin(name: str) -> Optional[Tuple[str, str]]:
    """The package's own copy of a ``/capnp/...`` file, when no import directory has it:
    schemas that import ``/capnp/c++.capnp`` then compile where Cap'n Proto's headers are not
    installed (PyPy, Pyodide...).  ``/capnp/stream.capnp`` is built into the compiler."""
    if name == "/capnp/stream.capnp":
        return ("<builtin>" + name, STREAM_CAPNP)
    if name.startswith("/capnp/") and ".." not in name.split("/"):
        from ..resources import schema_dir

        text = _read(str(schema_dir().joinpath(*name.lstrip("/").split("/"))))
        if text is not None:
            return ("<builtin>" + name, text)
    return None


def _display_name(path: str, import_paths: Sequence[str]) -> str:
    """Path relative to the import path that holds it, else as given."""
    full = os.path.abspath(path)
    for base in import_paths:
        root = os.path.abspath(base)
        if full.startswith(root.rstrip(os.sep) + os.sep):
            return os.path.relpath(full, root).replace(os.sep, "/")
    return path.replace(os.sep, "/")


def source_location(path: str, src_prefixes: Sequence[str]) -> Tuple[str, str]:
    """``(base directory, display name)`` of a file named on ``capnp compile``'s command line.

    The path is made absolute and normalised (``./``, ``//`` and ``..`` go);
    the display name is then relative to the deepest ``--src-prefix``
    directory holding the file, else to the current directory if the file is
    under it, else the absolute path without its leading ``/``.  Import
    directories play no part (capnp 0.9.2 keeps ``t/imp/main.capnp`` with
    ``-I t``).  Relative imports resolve within the same base directory.
    """
    full = os.path.abspath(path)
    prefixes = {os.path.abspath(p) for p in src_prefixes}
    parent = os.path.dirname(full)
    while parent != os.path.dirname(parent):  # up to, not including, the root
        if parent in prefixes:
            return parent, _posix(os.path.relpath(full, parent))
        parent = os.path.dirname(parent)
    cwd = os.getcwd()
    if full.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd, _posix(os.path.relpath(full, cwd))
    root = os.path.abspath(os.sep)
    return root, _posix(os.path.relpath(full, root))


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def _beside_absolute(name: str, locations: Dict[str, str]) -> bool:
    """Whether ``name`` is a real file reached from a file named by its absolute path.

    Such a file's display name is absolute, so its relative imports resolve to
    absolute names too; they must not be searched for on the import path.
    """
    return any(d.startswith("/") for d in locations) and os.path.isfile(name)


# Searched after the given import paths, as the reference tool does by default.
STANDARD_IMPORT_PATHS = ("/usr/local/include", "/usr/include")


def _first_in(search: Sequence[str], name: str, read: Callable[[str], Optional[T]]
              ) -> Optional[Tuple[str, str, T]]:
    """``(directory, path, content)`` of ``/name`` in the first directory of ``search`` where
    ``read`` finds it."""
    for base in search:
        candidate = os.path.join(base, name.lstrip("/"))
        content = read(candidate)
        if content is not None:
            return (os.path.abspath(base), os.path.abspath(candidate), content)
    return None


def _search_import_path(name: str, search: Sequence[str]) -> Optional[Tuple[str, str, str]]:
    """An absolute import (``/capnp/c++.capnp``): ``(directory, key, text)`` from the
    first import directory that has it, else the built-in copy (directory ``""``)."""
    found = _first_in(search, name, _read)
    if found is not None:
        return found
    builtin = _builtin(name)
    return None if builtin is None else ("", builtin[0], builtin[1])


def compile_files(paths: Iterable[str], import_paths: Sequence[str] = (),
                  standard_import: bool = True,
                  src_prefixes: Optional[Sequence[str]] = None) -> CodeGeneratorRequest:
    """Compile schema files as ``capnp compile -o- PATHS`` would (with ``-I`` for each import path).

    Relative imports resolve beside the importing file; absolute ones
    (``/capnp/c++.capnp``) through ``import_paths``, then the standard
    include directories unless ``standard_import`` is false.  A ``/capnp/...``
    file found nowhere (``c++.capnp``, ``rpc.capnp``, ``stream.capnp``...) is
    taken from the package's own copies.

    ``src_prefixes`` chooses the files' display names (and so every node's).
    None, the default, names a file relative to the import path that holds
    it, else as given.  A sequence, even an empty one, names files exactly as
    ``capnp compile --src-prefix=P...`` does (see :func:`source_location`).
    """
    compiler, units = _load_files(paths, import_paths, standard_import, src_prefixes)
    return compiler.request(units)


def compile_root(path: str, name: str, import_paths: Sequence[str] = ()) -> Tuple[CodeGeneratorRequest, int]:
    """Compile ``path`` for ``capnp encode``/``decode``-style use of its type ``name``.

    ``name`` is read as those tools read their root type: a dotted name in the file's scope
    (``Outer.Inner``, ``.Outer``, a ``using`` alias, ``Alias.Type`` through an import).
    Returns the request, which holds the named declaration's node and what it needs even
    when nothing else in the file uses it, and that node's ID.
    """
    compiler, units = _load_files([path], import_paths, True, None)
    found = compiler.find_decl(units[0], name)
    if found is None:
        raise SchemaError(f"{path}: no declaration named {name!r}")
    return compiler.request(units, [found]), found.id


def _load_files(paths: Iterable[str], import_paths: Sequence[str], standard_import: bool,
                src_prefixes: Optional[Sequence[str]]) -> Tuple[Compiler, List[FileUnit]]:
    """The compiler with ``paths`` loaded (see :func:`compile_files`), and their units."""
    if src_prefixes is not None:
        return _load_as_reference(list(paths), list(import_paths), standard_import,
                                  list(src_prefixes))
    disk = DiskCompiler(import_paths, standard_import)
    return disk.compiler, disk.load(paths)


class DiskCompiler:
    """Compiles schema files from disk as :func:`compile_files` does, keeping what it has
    compiled: a file asked for again, or imported by a file compiled before, is not read,
    parsed or translated again (as the reference's ``SchemaParser`` keeps its files).  One
    serves one set of import paths; a file changed on disk after it was compiled here is
    not seen.  After a schema error it should be dropped: its state is then unknown."""

    def __init__(self, import_paths: Sequence[str] = (), standard_import: bool = True) -> None:
        self.import_paths = list(import_paths)
        standard = STANDARD_IMPORT_PATHS if standard_import else ()
        # Display name -> real path of every file seen, so relative imports work.
        self.locations: Dict[str, str] = {}
        self.compiler = Compiler(_disk_loader(self.import_paths, list(standard), self.locations),
                                 _embed_reader(self.import_paths + list(standard)))

    def load(self, paths: Iterable[str]) -> List[FileUnit]:
        """The units of ``paths``, loaded (and their imports) unless they were before."""
        paths = list(paths)
        import_paths = self.import_paths
        for p in paths:
            self.locations[_display_name(p, import_paths)] = os.path.abspath(p)
        return _load_paths(self.compiler, paths,
                           lambda p: (_display_name(p, import_paths), os.path.abspath(p)))[1]

    def compile(self, paths: Iterable[str]) -> CodeGeneratorRequest:
        """The request :func:`compile_files` makes of ``paths`` (with this one's imports)."""
        return self.compiler.request(self.load(paths))


def _disk_loader(import_paths: List[str], standard_paths: List[str],
                 locations: Dict[str, str]) -> Callable[[str, str], Optional[Tuple[str, str]]]:
    """The compiler's loader of imports for :class:`DiskCompiler`."""

    def loader(name: str, importer: str) -> Optional[Tuple[str, str]]:
        if name.startswith("/") and _beside_absolute(name, locations):
            # A relative import from a file named by its absolute path.
            text = _read(name)
            if text is not None:
                locations.setdefault(name, name)
                return (name, text)
        if name.startswith("/"):
            found = _search_import_path(name, list(import_paths) + list(standard_paths))
            return None if found is None else (found[1], found[2])
        real = locations.get(name)
        if real is None:
            # A relative import of an imported file: find it beside a known file.
            for display, full in locations.items():
                prefix = posixpath.dirname(display)
                if name.startswith(prefix):
                    rel = posixpath.relpath(name, prefix) if prefix else name
                    real = os.path.normpath(os.path.join(os.path.dirname(full), rel))
                    break
        if real is None:
            real = os.path.abspath(name)
        text = _read(real)
        if text is None:
            return None
        locations.setdefault(name, real)
        return (real, text)

    return loader


def _load_as_reference(paths: List[str], import_paths: List[str], standard_import: bool,
                       src_prefixes: List[str]) -> Tuple[Compiler, List[FileUnit]]:
    search = import_paths + list(STANDARD_IMPORT_PATHS if standard_import else ())
    base_of: Dict[str, str] = {}  # key (real path) of each file -> its base directory

    def loader(name: str, importer: str) -> Optional[Tuple[str, str]]:
        if name.startswith("/"):
            found = _search_import_path(name, search)
            if found is None:
                return None
            if found[0]:
                # Its own relative imports resolve under the import directory that had it.
                base_of.setdefault(found[1], found[0])
            return (found[1], found[2])
        base = base_of.get(importer)
        if base is None or name == ".." or name.startswith("../"):
            return None  # the import leaves its base directory: the reference fails too
        real = os.path.join(base, *name.split("/"))
        text = _read(real)
        if text is None:
            return None
        base_of.setdefault(real, base)
        return (real, text)

    def named(p: str) -> Tuple[str, str]:
        base, display = source_location(p, src_prefixes)
        key = os.path.join(base, *display.split("/"))
        base_of.setdefault(key, base)
        return display, key

    return _load_paths(Compiler(loader, _embed_reader(search)), paths, named)


def _load_paths(compiler: Compiler, paths: List[str], named: Callable[[str], Tuple[str, str]]
                ) -> Tuple[Compiler, List[FileUnit]]:
    """Load each file of ``paths`` as the unit ``named(path)`` gives (its display name and its
    key for relative imports), in order."""
    units = []
    for p in paths:
        text = _read(p)
        if text is None:
            raise SchemaError(f"could not read schema file: {p}")
        display, key = named(p)
        units.append(compiler.load(display, key, text))
    return compiler, units


def compile_source(text: str, filename: str = "schema.capnp",
                   imports: ImportSource = None) -> CodeGeneratorRequest:
    """Compile schema source held in memory.

    ``imports`` supplies imported (and embedded) files: a mapping from name (as
    resolved: ``dir/x.capnp`` for relative imports, ``/capnp/x.capnp`` for
    absolute ones) to source text (``bytes`` for an embedded file), or a
    callable returning them or None.  ``/capnp/...`` files not supplied come from the
    package's own copies.
    """
    def lookup(name: str) -> Union[str, bytes, None]:
        if callable(imports):
            return imports(name)
        if imports is None:
            return None
        found = imports.get(name)
        if found is None and name.startswith("/"):
            found = imports.get(name.lstrip("/"))
        return found

    def loader(name: str, importer: str) -> Optional[Tuple[str, str]]:
        found = lookup(name)
        if found is None:
            return _builtin(name)
        if isinstance(found, bytes):
            try:
                found = found.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return ("mem:" + name, found)

    def embed(name: str, importer: str) -> Optional[bytes]:
        # Named as imports are (relative to the embedding file's name); bytes or text.
        if not name.startswith("/") and importer.startswith("mem:"):
            name = relative_name(importer[len("mem:"):], name)
        found = lookup(name)
        return found.encode("utf-8") if isinstance(found, str) else found

    compiler = Compiler(loader, embed)
    unit = compiler.load(filename, "mem:" + filename, text)
    return compiler.request([unit])
