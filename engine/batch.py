"""Many case files evaluated as a stream: read, evaluate and turn into JSON one at a time
(over all cores for large batches), so that memory stays flat however many files there are.
`casus test` checks case files' expectations the same way (`case_checks`).

The result is the same as evaluating them all and printing the envelope at once: the same
bytes (tests/api/test_batch.py holds it to `Evaluations.to_json_text()`), and the same errors:
once a file is bad, every file is checked and `Problems` lists every problem of every file
(a duplicate id at the second file), as `casus validate` does.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import progress
from .files.errors import InputError

if TYPE_CHECKING:
    from .analysis.expectations import Check
    from .api import Law

# Below this many files a pool costs more than it saves (forking, a compiled law per worker).
POOL_FROM = 200
CHUNK = 25
_SENTINEL = "\u0000casus-cases\u0000"

# The law and options of the batch a forked worker serves (inherited, never pickled).
_job: dict[str, Any] = {}

ErrorFields = tuple[str, str | None, int | None, int | None, str | None]


def _fields(exc: InputError) -> ErrorFields:
    return (exc.message, exc.file, exc.line, exc.column, exc.hint)


def _error(fields: ErrorFields) -> InputError:
    message, file, line, column, hint = fields
    return InputError(message, file=file, line=line, column=column, hint=hint)


def _one(path: str) -> tuple[str | None, ErrorFields | None, str | None]:
    """(case id, the case's own error, its JSON text) for one file; the id is None when
    the file does not even parse (the error is then the parse error)."""
    from .api import Evaluation
    from .files import models as m
    from .files.parse import Located, parse_file
    from .law.cases import check_case
    law: Law = _job["law"]
    try:
        case, positions = parse_file(m.Case, path)
    except InputError as exc:
        return None, _fields(exc), None
    try:
        check_case(case, law.base, Located(path, positions))
        result = law.evaluator.evaluate(case, at=_job["at"])
        explanation = None
        if _job["explain"]:
            from .api import _explain
            explanation = _explain(law, result)
        text = _case_text(Evaluation(result, law, explanation).case_json())
    except InputError as exc:
        return case.id, _fields(exc), None
    return case.id, None, text


def _chunk(paths: list[str]) -> list[tuple[str | None, ErrorFields | None, str | None]]:
    return [_one(p) for p in paths]


def _case_text(data: dict[str, Any]) -> str:
    """One case's JSON as it stands inside the envelope's `cases` list (indented 4)."""
    from .jsontext import json_text
    return "    " + json_text(data).rstrip("\n").replace("\n", "\n    ")


def case_texts(law: "Law", paths: Sequence[Path | str], *, at: dt.date | None = None, explain: bool = False,
               jobs: int | None = None) -> Iterator[str]:
    """The JSON text of each case file's result, in file order. A bad file stops the
    stream: every file is then checked, and the InputError raised (`Problems`) lists every
    problem of every file; a duplicate case id is reported at the second file."""
    names = [str(p) for p in paths]
    _job.update(law=law, at=at, explain=explain)
    law.evaluator      # compiled once here, inherited by forked workers
    results = _results(names, _chunk, jobs)
    try:
        yield from _checked(names, results, {})
    except InputError:
        # Stop the pool now, not whenever the collector finds the suspended stream: a pool
        # left running (its threads, or a copy of it finalised inside a later fork) can hang
        # the next pool's workers.
        results.close()
        # Checking (not evaluating) every file finds every problem; raises Problems. A
        # problem only evaluation finds (none of the file checks) stays the one raised.
        from .analysis.validation import load_case_files
        load_case_files([Path(n) for n in names], law.base)
        raise
    finally:
        results.close()


def _results(names: list[str], chunk: Any, jobs: int | None) -> Generator[Any, None, None]:
    """`chunk` applied to the files in order, one result per file: over a pool of forked
    workers (which inherit `_job`) for large batches, else in this process."""
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(names) >= POOL_FROM and hasattr(os, "fork"):
        # Not multiprocessing.Pool: stopping it at a bad file while its workers were writing
        # results could leave the parent waiting for ever on a lock the workers shared.
        from .analysis.workers import ordered_map
        chunks = [names[i:i + CHUNK] for i in range(0, len(names), CHUNK)]
        with closing(ordered_map(chunk, chunks, jobs)) as parts:
            for part in parts:
                yield from part
    else:
        yield from chunk(names)


def _checked(names: list[str], results: Iterator[tuple[str | None, ErrorFields | None, str | None]],
             seen: dict[str, str]) -> Iterator[str]:
    for path, (case_id, error, text) in zip(names, results):
        if case_id is not None and case_id in seen:
            from .files import models as m
            from .files.parse import Located, parse_file
            _, positions = parse_file(m.Case, path)
            Located(path, positions).fail(("id",), f"duplicate case id '{case_id}' (also in {seen[case_id]})")
        if error is not None:
            raise _error(error)
        assert case_id is not None and text is not None
        seen[case_id] = path
        progress.report("cases evaluated", len(seen), len(names))
        yield text


def write_envelope(law: "Law", texts: Iterator[str], out: IO[str]) -> None:
    """The envelope of `casus evaluate --format json`, its cases written as they come."""
    from .api import envelope
    from .jsontext import json_text
    head, tail = json_text(envelope(law, [_SENTINEL])).split('    "\\u0000casus-cases\\u0000"')  # type: ignore[list-item]  # a placeholder
    first = next(texts, None)
    if first is None:
        out.write(json_text(envelope(law, [])))
        return
    out.write(head)
    out.write(first)
    for text in texts:
        out.write(",\n")
        out.write(text)
    out.write(tail)


# ------------------------------------------------------------------ casus test

def _test_one(path: str) -> tuple[str | None, ErrorFields | None, "list[Check]"]:
    """(case id, the file's first error, its checks) for one case file."""
    from .files import models as m
    from .files.parse import Located, parse_file
    from .law.cases import check_case
    law: Law = _job["law"]
    try:
        case, positions = parse_file(m.Case, path)
    except InputError as exc:
        return None, _fields(exc), []
    try:
        check_case(case, law.base, Located(path, positions))
        return case.id, None, _job["expectations"].checks(case)
    except InputError as exc:
        return case.id, _fields(exc), []


def _test_chunk(paths: list[str]) -> list[tuple[str | None, ErrorFields | None, "list[Check]"]]:
    return [_test_one(p) for p in paths]


def case_checks(law: "Law", paths: Sequence[Path | str], *, variant: str | None = None,
                jobs: int | None = None) -> Iterator[tuple[str, "list[Check]"]]:
    """(file, checks) for each case file with no error, in file order, as each is checked
    (over all cores for large batches; nothing is kept but the ids seen). Files with errors
    are skipped; when the stream ends, an InputError (a `Problems`) lists every problem of
    every such file, a case id used by an earlier file among them."""
    from .analysis.expectations import Expectations
    names = [str(p) for p in paths]
    _job.update(law=law, expectations=Expectations(law.base, variant))
    with closing(_results(names, _test_chunk, jobs)) as results:     # the pool stops with the stream
        yield from _checks(law, names, results)


def _checks(law: "Law", names: list[str], results: Iterator[Any]) -> Iterator[tuple[str, "list[Check]"]]:
    from .files.problems import FileReport, Problems
    from .analysis.validation import check_case_file
    seen: dict[str, str] = {}
    bad: list[FileReport] = []
    for path, (case_id, error, checks) in zip(names, results):
        if error is None and case_id is not None and case_id in seen:
            from .files import models as m
            from .files.parse import Located, parse_file
            _, positions = parse_file(m.Case, path)
            problems: list[InputError] = []
            Located(path, positions, problems).fail(("id",), f"duplicate case id '{case_id}' (also in {seen[case_id]})")
            bad.append(FileReport(path, "case", case_id, problems))
            continue
        if error is not None:
            # Read again to report every problem of the file, not only the first.
            report = check_case_file(path, law.base)
            bad.append(report if report.errors else FileReport(path, "case", case_id, [_error(error)]))
            continue
        assert case_id is not None
        seen[case_id] = path
        progress.report("cases checked", len(seen) + len(bad), len(names))
        yield path, checks
    if bad:
        raise Problems(bad)
