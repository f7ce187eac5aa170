"""Rendering helpers: deterministic JSON, atomic file writes, rich text, and making every
string from an input file safe to print (no terminal control sequences)."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..engine.outcome import Outcome


# What a terminal would obey rather than show: C0 controls but newline and tab (ESC starts
# CSI/OSC sequences: screen clears, title changes, clipboard writes with OSC 52; BEL ends
# OSC; CR overwrites a line), DEL, the C1 controls (U+009B is a one-character CSI in 8-bit
# terminals) and the bidirectional overrides that reorder what is shown ("Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every control character written as a `\\uXXXX` escape (shown, not obeyed;
    inside a JSON string the escape is also valid JSON for the same character)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_json(data: Any) -> str:
    """Byte-identical for identical data: sorted keys, fixed separators, UTF-8. JSON escapes
    C0 controls itself; C1 and bidirectional controls are escaped too, since JSON is printed."""
    from ..engine.jsontext import json_text
    return visible(json_text(data))


_NOT_REGULAR = {stat.S_IFDIR: "is a directory", stat.S_IFCHR: "is a character device",
                stat.S_IFBLK: "is a block device", stat.S_IFIFO: "is a FIFO (named pipe)",
                stat.S_IFSOCK: "is a socket"}


def check_output(path: Path | str) -> os.stat_result | None:
    """Refuse, before any work is done, an output path casus would not write (InputError).

    Only a regular file (or nothing) is replaced: renaming over a device, a FIFO or a
    symlink would replace it with a regular file (as root, `-o /dev/null` would replace
    the system's /dev/null). A symlink is written only if the user resolves it (passes the
    path it points to). Returns the existing file's stat, if any."""
    from ..engine.files.errors import InputError
    path = Path(path)
    name = str(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise InputError(f"'{directory}' is not a directory", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", file=name) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise InputError("is a symbolic link; casus replaces only regular files",
                             file=name, hint=f"to write where it points, pass {os.path.realpath(path)}")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{_NOT_REGULAR.get(stat.S_IFMT(st.st_mode), 'is not a regular file')}; "
                             "casus writes only regular files", file=name)
    if not directory.exists():
        raise InputError(f"directory '{directory}' does not exist", file=name)
    if not directory.is_dir():
        raise InputError(f"'{directory}' is not a directory", file=name)
    return st


def write_atomic(path: Path | str, text: str | bytes) -> None:
    """Write via a temp file in the same directory and rename: never half-written.
    Every failure is bad input (InputError, exit 2), never a crash."""
    from ..engine.files.errors import InputError
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    st = check_output(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        # mkstemp makes the file private (0600); give it the mode a plain write would have.
        if st is not None:
            mode = st.st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise InputError(f"cannot write: {_reason(exc)}", file=str(path)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EFBIG:
        return "file too large (the file size limit of this process was reached)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{exc.strerror.lower() if exc.strerror else 'permission denied'} (is the directory writable?)"
    return (exc.strerror or str(exc)).lower()


def ensure_directory(directory: Path | str) -> Path:
    """A directory to write files into, created if missing; InputError if it cannot be."""
    from ..engine.files.errors import InputError
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError("exists and is not a directory", file=str(directory),
                         hint="name a directory to write the files into") from None
    except OSError as exc:
        raise InputError(f"cannot create the directory: {_reason(exc)}", file=str(directory)) from None
    return directory


# Narrower than this, a table of ids and a line of text cannot both be shown; COLUMNS=5 is
# read as this rather than as a request for one word per line.
MIN_WIDTH = 20


def terminal_width() -> int:
    """The width text output is wrapped to: COLUMNS when set (in a pipe too, as `less`,
    `ls` and rich read it), else the terminal's (stdout's, or stderr's or stdin's when
    stdout is a pipe into a pager), else 80, the width of a terminal nobody measured."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        try:
            width = os.get_terminal_size(stream.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            continue
        if width > 0:
            return max(MIN_WIDTH, width)
    return 80


def console(stderr: bool = False, **options: Any):
    """A rich console that shows control characters in what it prints instead of obeying them."""
    options.setdefault("width", terminal_width())
    return safe_console_class()(stderr=stderr, highlight=False, soft_wrap=False, **options)


def text_console(buffer: Any):
    """A console writing plain text (no colour, no escape codes) into a buffer, at the
    terminal's width: what the text renderers return as strings."""
    return console(file=buffer, force_terminal=False, color_system=None)


def print_table(con: Any, table: Any) -> None:
    """Print a table without cutting a word (an id) inside a cell.

    rich narrows the widest column first, even below its longest word, and then folds
    that word anywhere (`acted_without_obligatio|n`). Here every column gets at least its
    longest word and the rest of the width goes to the columns that want more. When even
    that does not fit, the rows are printed one under another: the first cell as the
    row's head, each other cell below it under its column's name."""
    widths = column_widths(con, table)
    if widths is None:
        _print_stacked(con, table)
        return
    for column, width in zip(table.columns, widths):
        column.width = width
    con.print(table)


def _print_stacked(con: Any, table: Any) -> None:
    if table.title:
        print_wrapped(con, table.title, style="bold")
    heads = [str(c.header) for c in table.columns]
    columns = [list(c.cells) for c in table.columns]
    for i in range(table.row_count):
        cells = [column[i] for column in columns]
        print_wrapped(con, cells[0], first="- ", rest="  ")
        for head, cell in zip(heads[1:], cells[1:]):
            if isinstance(cell, str) and not cell.strip():
                continue
            print_wrapped(con, cell, first=f"  {head}: ", rest="    ")


def print_tree(con: Any, tree: Any) -> None:
    """Print a rich Tree with its guides, each label wrapped at spaces to the console's width
    under its guide. rich folds a word longer than the room a deep node has left anywhere
    (`attacker_self_defenc|e`); here it stays whole and runs past the edge instead."""
    def walk(node: Any, first: str, rest: str) -> None:
        print_wrapped(con, node.label, first=first, rest=rest)
        for i, child in enumerate(node.children):
            last = i == len(node.children) - 1
            walk(child, rest + ("└── " if last else "├── "), rest + ("    " if last else "│   "))
    walk(tree, "", "")


def column_widths(con: Any, table: Any) -> list[int | None] | None:
    """Content widths for the columns of `table` so that it fits the console and no
    column is narrower than its longest word; None for every column when it fits as it
    is; None when it cannot fit."""
    from rich.measure import Measurement
    from rich.padding import Padding
    _, right, _, left = Padding.unpack(table.padding)
    options = con.options.update_width(1 << 16)
    least, most = [], []
    for column in table.columns:
        cells = [column.header, *column.cells] if table.show_header else list(column.cells)
        sizes = [Measurement.get(con, options, c) for c in cells]
        least.append(max([s.minimum for s in sizes] + [column.min_width or 0]))
        most.append(max([s.maximum for s in sizes] + [least[-1]]))
    room = con.width - len(table.columns) * (left + right)
    if table.box:
        room -= len(table.columns) - 1 + (2 if table.show_edge else 0)
    if not table.pad_edge:
        room += left + right
    if sum(most) <= room:
        return [None] * len(table.columns)
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(least)
    wants = [m - n for m, n in zip(most, least)]
    total = sum(wants)
    for i, want in enumerate(wants):
        widths[i] += min(want, spare * want // total)
    left_over = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: widths[i] - most[i]):
        if left_over <= 0:
            break
        extra = min(left_over, most[i] - widths[i])
        widths[i] += extra
        left_over -= extra
    return widths


def print_wrapped(con: Any, text: Any, first: str = "", rest: str = "", style: str = "") -> None:
    """Markup `text` wrapped at spaces to the console's width, after `first` on its first
    line and `rest` on the others (a hanging indent). A word longer than the whole width
    (a URL) is kept whole and runs past the edge rather than being cut."""
    from rich.text import Text
    body = con.render_str(text, style=style) if isinstance(text, str) else text
    lead = first
    for part in body.split("\n", allow_blank=True):
        while True:
            room = max(1, con.width - len(lead))
            # Break at the last space that fits; a word wider than the room stays whole.
            breaks = [i for i in _breaks(part.plain, room) if i > 0]
            taken = breaks[0] if breaks else len(part.plain)
            line = part[:taken]
            line.rstrip()
            con.print(Text(lead) + line, soft_wrap=True)
            lead = rest
            part = part[taken:]
            spaces = len(part.plain) - len(part.plain.lstrip(" "))
            part = part[spaces:]
            if not part.plain:
                break


def _breaks(text: str, width: int) -> list[int]:
    from rich._wrap import divide_line     # rich's word wrap (by cells), keeping long words whole
    return divide_line(text, width, fold=False)


_TRAILING = re.compile(r"[ \t]+\n")


def safe_console_class():
    from rich.console import Console

    class SafeConsole(Console):
        # Every string printed (markup, table cells, tree labels) passes through render_str,
        # so input text is made visible here, once, whatever the caller forgot; rich's own
        # styling is added after, and stays.
        def render_str(self, text: str, **kwargs: Any):
            return super().render_str(visible(text), **kwargs)

        # rich pads a wrapped line with the spaces it broke at; they are noise in a file or
        # a diff. Only plain output is trimmed (with colour, codes follow the spaces).
        def _render_buffer(self, buffer: Any) -> str:
            text = super()._render_buffer(buffer)
            return text if self.color_system else _TRAILING.sub("\n", text)

    return SafeConsole


OUTCOME_STYLE: dict[str, str] = {
    Outcome.TRIGGERED: "bold green", Outcome.NOT_TRIGGERED: "bold red", Outcome.UNDETERMINED: "bold yellow",
    Outcome.CONTESTED: "bold magenta", Outcome.NOT_APPLICABLE: "dim",
}


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 case", "2 cases" """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def styled(outcome: str) -> str:
    """An outcome word in its colour; anything else (a placeholder such as "-") as plain text:
    an empty style would make "[]-[/]", whose closing tag rich refuses."""
    style = OUTCOME_STYLE.get(outcome)
    from rich.markup import escape
    return f"[{style}]{outcome}[/]" if style else escape(outcome)
