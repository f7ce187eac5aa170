"""One walk of an explanation tree (engine/explain/tree.py), three ways to lay it out.

`walk()` decides what an explanation says and in what order: the article, the rules that
fired with their reasons and the words they apply, the facts they matched (value,
claimant, source), the conclusions they rest on, the exceptions they checked, the
parties' perspectives and the divergences. It returns items made of typed spans; it
writes no markup. The emitters (text for the terminal, HTML, Markdown) only lay the spans
out, and each escapes every string for its medium, in one place: `TextEmitter.plain`,
`HtmlEmitter.plain`, `MarkdownEmitter.plain`. A string from an input file cannot reach
the output any other way, so it can neither style a terminal nor forge HTML or Markdown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from ..engine.outcome import Outcome
from .output import OUTCOME_STYLE, visible

if TYPE_CHECKING:       # the walk reads the tree; building one needs the engine, laying it out does not
    from ..engine.explain.tree import Explanation, FactNode, RuleNode, VerdictTree

# ------------------------------------------------------------------ spans and items

# Kinds of span: what the text is, never how it looks (emitters decide that).
TEXT, CODE, STRONG, REASON, META, OUTCOME, WARN, CHANGED, QUOTE, BREAK, SOURCE = (
    "text", "code", "strong", "reason", "meta", "outcome", "warn", "changed", "quote", "break", "source")
QUOTE_RU = "quote_ru"       # words of the Russian text (HTML marks their language)


@dataclass(frozen=True)
class Span:
    kind: str
    text: str = ""
    target: str = ""         # SOURCE: the bibliography anchor
    detail: str = ""         # SOURCE: the citation, for media without a bibliography


@dataclass
class Item:
    label: list[Span]
    children: list["Item"] = field(default_factory=list)


def t(text: Any) -> Span:
    return Span(TEXT, str(text))


def value_text(v: Any) -> str:
    return "true" if v is True else "false" if v is False else "unknown" if v is None else str(v)


def sets_text(sets: Sequence[Sequence[str]]) -> str:
    return " or ".join("{" + ", ".join(s) + "}" for s in sets[:4]) or "no fact (no rule can decide it)"


def to_set(tree: VerdictTree) -> Sequence[Sequence[str]]:
    """The case fields to set (the API adds them), else the facts themselves."""
    return tree.to_set if tree.to_set is not None else tree.would_decide


def source_anchor(key: str) -> str:
    """The id of a bibliography entry: letters, digits, '-' and '_' only (safe in any medium)."""
    return "src-" + "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in key)


# ------------------------------------------------------------------ the walk

def walk(exp: Explanation, case_id: str) -> list[Item]:
    """The items of one provision's explanation (its heading is the caller's)."""
    if exp.article is None or exp.agreed is None:
        return [Item([t(exp.note or "")])]
    art = exp.article
    items = [Item([Span(META, f"{art.instrument}, Art. {art.article}, version {art.version} "
                              f"(in force {art.in_force_from} .. {art.in_force_to or 'today'}):"),
                   t(" "), Span(QUOTE, art.text), t(" "), Span(META, f"— {art.cite}")])]
    if art.text_ru:
        items.append(Item([Span(META, "Russian text:"), t(" "), Span(QUOTE_RU, art.text_ru), t(" "),
                           Span(META, f"— {art.cite_ru}" + (f" ({art.note_ru})" if art.note_ru else ""))]))
    elif art.note_ru:
        items.append(Item([Span(META, f"Russian text: none here. {art.note_ru}")]))
    for n in art.translation_notes:
        items.append(Item([Span(WARN, "translation note:"), t(" "), Span(QUOTE, n["en"]), t(" / "),
                           Span(QUOTE_RU, n["ru"]), t(f": {n['note']}")]))
    if exp.perspectives and exp.agreed.outcome == Outcome.UNDETERMINED:
        items.append(Item([t("on the facts every party agrees on: "), Span(OUTCOME, Outcome.UNDETERMINED.value),
                           t("; decided by setting: "), Span(CODE, sets_text(to_set(exp.agreed)))],
                          [Item([t("perspective "), Span(STRONG, name), t(": "), Span(OUTCOME, sub.outcome.value)],
                                _tree(sub, case_id))
                           for name, sub in exp.perspectives.items()]))
    else:
        items.extend(_tree(exp.agreed, case_id))
    for d in exp.divergence:
        who = f" ({d.perspective})" if d.perspective else ""
        items.append(Item([Span(WARN, f"divergence{who}:"), t(" "), Span(STRONG, d.kind.value),
                           t(f" — {d.detail}")]))
    return items


def _tree(tree: VerdictTree, case_id: str) -> list[Item]:
    items = [_rule(r, case_id) for r in tree.rules]
    if tree.established:
        items.append(Item([t("established so far:")], [_rule(r, case_id) for r in tree.established]))
    if tree.outcome == Outcome.UNDETERMINED and not tree.conflicts:
        items.append(Item([Span(WARN, "would be decided by setting:"), t(" "),
                           Span(CODE, sets_text(to_set(tree)))]))
    for conclusion, true_rules, false_rules in tree.conflict_rules:
        items.append(Item([Span(WARN, "conflict:"), t(" the law derives "), Span(CODE, conclusion),
                           t(" both true (by "), Span(STRONG, ", ".join(true_rules)), t(") and false (by "),
                           Span(STRONG, ", ".join(false_rules)),
                           t("); no outcome until the rules are mended (`casus check` finds such conflicts)")]))
    return items


def _rule(rule: RuleNode, case_id: str) -> Item:
    label = [Span(CODE, rule.concludes), t(f" = {value_text(rule.value)} <- rule "), Span(STRONG, rule.rule)]
    if rule.changed_by_variant:
        label += [t(" "), Span(CHANGED, "(changed by the variant)")]
    label += [t(" "), Span(META, f"fired in stratum {rule.stratum}")]
    label += [Span(BREAK), Span(REASON, rule.because)]
    if rule.quote:
        label += [Span(BREAK), t("applies: "), Span(QUOTE, rule.quote)]
        if rule.quote_ru:
            label += [t(" / "), Span(QUOTE_RU, rule.quote_ru)]
    children = [_fact(f, case_id) for f in rule.facts]
    children += [Item([t("exception "), Span(CODE, e.rule), t(" applies" if e.applies else " does not apply")])
                 for e in rule.exceptions]
    children += [_rule(sub, case_id) for sub in rule.conclusions]
    return Item(label, children)


def _fact(f: FactNode, case_id: str) -> Item:
    p = f.provenance
    label = [t("fact "), Span(CODE, f.fact), t(" = "), Span(STRONG, value_text(f.value))]
    if p.derived is not None:
        label += [t(" — "), t(p.derived)]
        if p.cite:
            label += [t(" "), Span(META, f"({p.cite})")]
        return Item(label)
    if p.presumed:
        return Item(label + [t(" (presumed: the case is silent) "), Span(META, f"— {p.basis or ''}")])
    if p.claimant:
        label += [t(" (claimed by "), Span(STRONG, p.claimant), t(")")]
    if p.established_by:
        label += [t(f" (established by {'; '.join(p.established_by)})")]
    if p.quote:
        label += [t(f': "{p.quote}"')]
    if p.note:
        label += [t(" — " if p.quote else ": "), t(p.note)]
    if p.source:
        label += [t(" "), Span(SOURCE, p.source, target=source_anchor(f"{case_id}/{p.source}"), detail=p.cite or "")]
    return Item(label)


# ------------------------------------------------------------------ links

def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link or a relative one, else None (javascript:, data:, ...).

    Browsers drop tabs and newlines inside URLs and ignore leading spaces, so `java\\tscript:`
    is javascript: to them; any whitespace or control character refuses the URL outright."""
    if not url or re.search(r"[\s\x00-\x1f\x7f-\x9f]", url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and not parts.netloc:
        return url            # relative (a file next to the report, an anchor)
    return None


# ------------------------------------------------------------------ emitters

class Emitter:
    """Lays spans out for one medium: `plain` escapes text for it, WRAP says how each kind of
    span is marked up, and a few kinds (code, outcome, source, break) have their own form."""

    WRAP: dict[str, tuple[str, str]] = {}
    BREAK = " "

    @staticmethod
    def plain(text: str) -> str:
        raise NotImplementedError

    def code(self, text: str) -> str:
        start, end = self.WRAP.get(CODE, ("", ""))
        return f"{start}{self.plain(text)}{end}"

    def outcome(self, outcome: str) -> str:
        return self.plain(outcome)

    def source(self, s: Span) -> str:
        return self.plain(s.text)

    def span(self, s: Span) -> str:
        if s.kind == CODE:
            return self.code(s.text)
        if s.kind == OUTCOME:
            return self.outcome(s.text)
        if s.kind == SOURCE:
            return self.source(s)
        if s.kind == BREAK:
            return self.BREAK
        start, end = self.WRAP.get(s.kind, ("", ""))
        return f"{start}{self.plain(s.text)}{end}"

    def line(self, spans: list[Span]) -> str:
        return "".join(self.span(s) for s in spans)


class TextEmitter(Emitter):
    """rich markup for the terminal (printed by a console that shows control characters)."""

    WRAP = {STRONG: ("[bold]", "[/]"), REASON: ("[italic]", "[/]"), META: ("[dim]", "[/]"),
            WARN: ("[bold yellow]", "[/]"), CHANGED: ("[bold magenta]", "[/]"), QUOTE: ('"', '"'),
            QUOTE_RU: ('"', '"')}
    BREAK = "\n"

    @staticmethod
    def plain(text: str) -> str:
        from rich.markup import escape
        return escape(visible(text))

    def outcome(self, outcome: str) -> str:
        return f"[{OUTCOME_STYLE.get(outcome, '')}]{self.plain(outcome)}[/]"

    def source(self, s: Span) -> str:
        return f"[dim]— source {self.plain(s.text)}: {self.plain(s.detail)}[/]"

    def tree(self, parent: Any, items: list[Item]) -> None:
        """Add `items` under a rich Tree node."""
        for item in items:
            self.tree(parent.add(self.line(item.label)), item.children)


class HtmlEmitter(Emitter):
    WRAP = {CODE: ("<code>", "</code>"), STRONG: ("<b>", "</b>"), REASON: ('<span class="because">', "</span>"),
            META: ('<span class="meta">', "</span>"), WARN: ("<b>", "</b>"),
            CHANGED: ('<span class="changed">', "</span>"), QUOTE: ("<q>", "</q>"),
            QUOTE_RU: ('<q lang="ru">', "</q>")}
    BREAK = "<br>"

    @staticmethod
    def plain(text: str) -> str:
        return html.escape(visible(text), quote=True)

    def outcome(self, outcome: str) -> str:
        return badge_html(outcome)

    def source(self, s: Span) -> str:
        return f'<span class="src">[<a href="#{self.plain(s.target)}">{self.plain(s.text)}</a>]</span>'

    def tree(self, items: list[Item]) -> str:
        return '<ul class="tree">' + "".join(
            f"<li>{self.line(i.label)}{self.tree(i.children) if i.children else ''}</li>" for i in items) + "</ul>"

    def link(self, url: str | None, label: str | None = None) -> str:
        """A live link only to http(s) or relative URLs; anything else is shown as text."""
        safe = safe_url(url)
        if safe is None:
            return self.plain(url or "")
        return f'<a href="{self.plain(safe)}">{self.plain(label or url or "")}</a>'


def badge_html(outcome: str | None) -> str:
    o = html.escape(outcome or "", quote=True)
    return f'<span class="o {o}">{html.escape(outcome or "-")}</span>'


# Markdown gives meaning to these anywhere in a line: emphasis, links and images, code,
# raw HTML, tables, strikethrough, escapes (`#` also closes a heading). `-`, `+`, `=` and
# "1." only where a line (or a list item) starts: see line_start.
# `&` becomes an entity, so that text such as `&lt;script&gt;` stays text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~])")
_MD_LINE_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


class MarkdownEmitter(Emitter):
    @staticmethod
    def plain(text: str) -> str:
        """Text that Markdown and the HTML it becomes show as written: one line (a newline
        could start a heading or a table row), Markdown punctuation backslash-escaped, raw
        HTML inert."""
        one_line = re.sub(r"\s+", " ", visible(text))
        return _MD_SPECIAL.sub(r"\\\1", one_line.replace("&", "&amp;"))

    @staticmethod
    def line_start(text: str) -> str:
        """`text` made safe to start a line (or a list item) with."""
        return _MD_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)

    WRAP = {STRONG: ("**", "**"), REASON: ("*", "*"), WARN: ("**", "**"), CHANGED: ("**", "**"),
            QUOTE: ("“", "”"), QUOTE_RU: ("“", "”")}

    def outcome(self, outcome: str) -> str:
        return f"**{self.plain(outcome)}**"

    def source(self, s: Span) -> str:
        return f"[{self.plain(s.text)}](#{s.target})"

    def code(self, text: str) -> str:
        """A code span: its content is literal in Markdown (no escapes needed, none possible),
        so the fence is longer than any run of backticks inside."""
        one_line = re.sub(r"\s+", " ", visible(text)).strip()
        if not one_line:
            return ""
        fence = "`" * (max((len(r) for r in re.findall(r"`+", one_line)), default=0) + 1)
        pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
        return f"{fence}{pad}{one_line}{pad}{fence}"

    def tree(self, items: list[Item], depth: int = 0) -> list[str]:
        lines = []
        for item in items:
            lines.append(f"{'  ' * depth}- {self.line_start(self.line(item.label))}")
            lines.extend(self.tree(item.children, depth + 1))
        return lines

    def link(self, url: str | None, label: str | None = None) -> str:
        safe = safe_url(url)
        if safe is None:
            return self.plain(url or "")
        return f"[{self.plain(label or safe)}](<{quote(safe, safe=':/?#[]@!$&()*+,;=%-._~')}>)"
