"""What changed between two revisions of a published paper, read from their stored HTML.

Each revision's HTML is read into blocks in reading order (headings, paragraphs with their
anchor, list items) and tables (their cells by row and column header). The blocks are compared
as a sequence: a block is added, removed or changed (a replaced block still much like the old
one, with the words that differ marked). The tables are compared cell by cell: a changed
figure is a cell whose value differs under the same table, row and column.

Paragraph numbers are left out of the text compared: a paragraph added early renumbers every
one after it, which is not a change to what they say. Nothing here builds HTML.
"""

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser

SIMILAR = 0.5  # a replaced block at least this much like the old one is "changed"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED = {"script", "style", "svg", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Text not part of what the paper says: the paragraph number, the column label shown where a
# table's rows stack (screen readers hear the header instead), the cue to scroll a wide table.
SKIPPED_CLASSES = {"paper-para__number", "portal-table__label", "portal-table-scroll__cue"}


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str
    anchor: str = ""  # the paragraph's id, such as "p12", where it has one
    section: str = ""  # the heading it falls under

    @property
    def label(self) -> str:
        if self.kind == "paragraph" and self.anchor[1:].isdigit():
            return f"Paragraph {self.anchor[1:]}"
        return {"heading": "Heading", "paragraph": "Paragraph", "item": "List item"}[self.kind]


@dataclass(frozen=True)
class Words:
    """A run of words: the same in both revisions, or only in the old ("del") or new ("ins")."""

    op: str  # "same", "del" or "ins"
    text: str


@dataclass
class BlockChange:
    change: str  # "added", "removed" or "changed"
    old: Block | None = None
    new: Block | None = None
    old_words: list[Words] = field(default_factory=list)
    new_words: list[Words] = field(default_factory=list)

    @property
    def block(self) -> Block:
        return self.new or self.old

    @property
    def section(self) -> str:
        return self.block.section


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]  # (row header, the row's cells)


@dataclass(frozen=True)
class FigureChange:
    change: str  # "changed", "added" (a row) or "removed" (a row)
    table: str
    row: str
    column: str = ""
    old: str = ""
    new: str = ""


@dataclass
class Comparison:
    changes: list[BlockChange]
    figures: list[FigureChange]

    def _count(self, change: str) -> int:
        return sum(1 for block in self.changes if block.change == change)

    @property
    def counts(self) -> dict[str, int]:
        figures = Counter(figure.change for figure in self.figures)
        return {
            "changed": self._count("changed"),
            "added": self._count("added"),
            "removed": self._count("removed"),
            "figures_changed": figures["changed"],
            "rows_added": figures["added"],
            "rows_removed": figures["removed"],
        }

    @property
    def unchanged(self) -> bool:
        return not self.changes and not self.figures

    @property
    def summary(self) -> str:
        """3 paragraphs changed, 1 added, 2 figures changed (headings and list items count as
        paragraphs here)."""
        counts = self.counts
        parts = []
        for key, noun in (("changed", "changed"), ("added", "added"), ("removed", "removed")):
            if counts[key]:
                word = "paragraph" if counts[key] == 1 else "paragraphs"
                parts.append(f"{counts[key]} {noun}" if parts else f"{counts[key]} {word} {noun}")
        for key, singular, plural in (
            ("figures_changed", "figure changed", "figures changed"),
            ("rows_added", "table row added", "table rows added"),
            ("rows_removed", "table row removed", "table rows removed"),
        ):
            if counts[key]:
                parts.append(f"{counts[key]} {singular if counts[key] == 1 else plural}")
        return ", ".join(parts) if parts else "No changes"

    @property
    def by_section(self) -> list[tuple[str, list[BlockChange]]]:
        """The changes in reading order, grouped under the heading each falls under."""
        groups: list[tuple[str, list[BlockChange]]] = []
        for change in self.changes:
            if groups and groups[-1][0] == change.section:
                groups[-1][1].append(change)
            else:
                groups.append((change.section, [change]))
        return groups


class _Reader(HTMLParser):
    """Collects the blocks and tables of a paper's HTML, in reading order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.section = ""
        self.skip = 0  # depth inside elements whose text is not read
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, whether it skips)
        self.block: dict | None = None  # the block being read: kind, words, anchor
        self.table: dict | None = None
        self.cell: list[str] | None = None
        self.names = Counter()

    # -- elements -------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "br":
                self._text(" ")
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skips = (
            tag in SKIPPED
            or attributes.get("aria-hidden") == "true"
            or bool(classes & SKIPPED_CLASSES)
        )
        self.stack.append((tag, skips))
        if skips:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            self._end_block()
            self.table = {
                "caption": [], "in_caption": False, "head": [], "rows": [], "row": None,
                "in_head": False,
            }  # fmt: skip
        elif self.table is not None:
            self._table_start(tag)
        elif tag in HEADINGS:
            self._start_block("heading", "")
        elif tag == "li":
            self._start_block("item", "")
        elif tag == "p" and not (self.block and self.block["kind"] == "item"):
            self._start_block("paragraph", attributes.get("id") or "")

    def handle_endtag(self, tag):
        if tag in VOID or not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            open_tag, skips = self.stack.pop()
            if skips:
                self.skip -= 1
            elif not self.skip:
                self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag):
        if self.table is not None:
            if tag == "table":
                self._table_end()
            else:
                self._table_close(tag)
        elif tag in HEADINGS or tag in ("p", "li"):
            if self.block and not (tag == "p" and self.block["kind"] == "item"):
                self._end_block()
        elif tag in ("ul", "ol"):
            self._end_block()

    def handle_data(self, data):
        if not self.skip:
            self._text(data)

    def _text(self, data):
        if self.cell is not None:
            self.cell.append(data)
        elif self.table is not None and self.table["in_caption"]:
            self.table["caption"].append(data)
        elif self.block is not None:
            self.block["words"].append(data)

    # -- blocks ---------------------------------------------------------------------------
    def _start_block(self, kind, anchor):
        self._end_block()
        self.block = {"kind": kind, "words": [], "anchor": anchor}

    def _end_block(self):
        block, self.block = self.block, None
        if block is None:
            return
        text = " ".join("".join(block["words"]).split())
        if not text:
            return
        if block["kind"] == "heading":
            self.section = text
        self.blocks.append(Block(block["kind"], text, block["anchor"], self.section))

    # -- tables ---------------------------------------------------------------------------
    def _table_start(self, tag):
        table = self.table
        if tag == "caption":
            table["in_caption"] = True
        elif tag == "thead":
            table["in_head"] = True
        elif tag == "tr":
            table["row"] = []
        elif tag in ("td", "th"):
            self.cell = []

    def _table_close(self, tag):
        table = self.table
        if tag == "caption":
            table["in_caption"] = False
        elif tag in ("td", "th") and self.cell is not None:
            if table["row"] is not None:
                table["row"].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and table["row"] is not None:
            row, table["row"] = table["row"], None
            if table["in_head"] and not table["head"]:
                table["head"] = row
            elif any(row):
                table["rows"].append(row)
        elif tag == "thead":
            table["in_head"] = False

    def _table_end(self):
        table, self.table = self.table, None
        caption = " ".join("".join(table["caption"]).split())
        name = caption or self.section or "Table"
        self.names[name] += 1
        if self.names[name] > 1:
            name = f"{name} (table {self.names[name]})"
        columns = table["head"]
        rows, seen = [], Counter()
        for cells in table["rows"]:
            header = cells[0]
            seen[header] += 1
            if seen[header] > 1:
                header = f"{header} ({seen[header]})"
            rows.append((header, cells))
        self.tables.append(Table(name, columns, rows))

    def close(self):
        super().close()
        self._end_block()


def paper_read(html: str) -> tuple[list[Block], list[Table]]:
    """The blocks of a paper's HTML in reading order, and its tables."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return reader.blocks, reader.tables


def words_compare(old: str, new: str) -> tuple[list[Words], list[Words]]:
    """The old text with the words taken out marked "del", the new with those put in "ins"."""
    a, b = old.split(), new.split()
    old_words: list[Words] = []
    new_words: list[Words] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            old_words.append(Words("same", " ".join(a[i1:i2])))
            new_words.append(Words("same", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_words.append(Words("del", " ".join(a[i1:i2])))
        if j2 > j1:
            new_words.append(Words("ins", " ".join(b[j1:j2])))
    return old_words, new_words


def _similar(old: Block, new: Block) -> bool:
    if old.kind != new.kind:
        return False
    matcher = SequenceMatcher(None, old.text.split(), new.text.split(), autojunk=False)
    return matcher.ratio() >= SIMILAR


def _changed(old: Block, new: Block) -> BlockChange:
    old_words, new_words = words_compare(old.text, new.text)
    return BlockChange("changed", old, new, old_words, new_words)


def _replaced(olds: list[Block], news: list[Block]) -> list[BlockChange]:
    """Pairs a run of old blocks with the run replacing it, in order: each old block with the
    next new one much like it (those passed over were added), else it was removed. A removed
    block is placed in reading order as far through the new run as it was through the old."""
    placed: list[tuple[float, int, BlockChange]] = []
    j = 0
    for i, old in enumerate(olds):
        match = next((k for k in range(j, len(news)) if _similar(old, news[k])), None)
        if match is None:
            middle = (i + 0.5) * len(news) / len(olds)  # before an added block at a tie
            placed.append((middle, 0, BlockChange("removed", old=old)))
            continue
        placed.extend((k + 0.5, 1, BlockChange("added", new=news[k])) for k in range(j, match))
        placed.append((match + 0.5, 1, _changed(old, news[match])))
        j = match + 1
    placed.extend((k + 0.5, 1, BlockChange("added", new=news[k])) for k in range(j, len(news)))
    return [change for *_, change in sorted(placed, key=lambda entry: entry[:2])]


def blocks_compare(older: list[Block], newer: list[Block]) -> list[BlockChange]:
    a = [(block.kind, block.text) for block in older]
    b = [(block.kind, block.text) for block in newer]
    changes: list[BlockChange] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "delete":
            changes.extend(BlockChange("removed", old=old) for old in older[i1:i2])
        elif op == "insert":
            changes.extend(BlockChange("added", new=new) for new in newer[j1:j2])
        elif op == "replace":
            changes.extend(_replaced(older[i1:i2], newer[j1:j2]))
    return changes


def _cells(table: Table) -> dict[str, dict[str, str]]:
    """Row header -> column header -> value (the row header's own cell left out)."""
    cells = {}
    for header, values in table.rows:
        columns = table.columns or [f"Column {n}" for n in range(1, len(values) + 1)]
        row = {}
        for n, value in enumerate(values[1:], start=1):
            column = columns[n] if n < len(columns) else f"Column {n + 1}"
            row[column] = value
        cells[header] = row
    return cells


def tables_compare(older: list[Table], newer: list[Table]) -> list[FigureChange]:
    old_tables = {table.name: _cells(table) for table in older}
    new_tables = {table.name: _cells(table) for table in newer}
    names = list(new_tables) + [name for name in old_tables if name not in new_tables]
    figures = []
    for name in names:
        old_rows, new_rows = old_tables.get(name, {}), new_tables.get(name, {})
        for row in [*new_rows, *(row for row in old_rows if row not in new_rows)]:
            if row not in new_rows:
                figures.append(FigureChange("removed", name, row, old=_row_text(old_rows[row])))
            elif row not in old_rows:
                figures.append(FigureChange("added", name, row, new=_row_text(new_rows[row])))
            else:
                old_cells, new_cells = old_rows[row], new_rows[row]
                for column in [*new_cells, *(c for c in old_cells if c not in new_cells)]:
                    before, after = old_cells.get(column, ""), new_cells.get(column, "")
                    if before != after:
                        figures.append(FigureChange("changed", name, row, column, before, after))
    return figures


def _row_text(cells: dict[str, str]) -> str:
    return "; ".join(f"{column}: {value}" for column, value in cells.items() if value)


def revisions_compare(older_html: str, newer_html: str) -> Comparison:
    """What changed from the older revision's HTML to the newer's: blocks added, removed and
    changed, in reading order, and the figures (table cells) changed and table rows added or
    removed."""
    older_blocks, older_tables = paper_read(older_html)
    newer_blocks, newer_tables = paper_read(newer_html)
    return Comparison(
        changes=blocks_compare(older_blocks, newer_blocks),
        figures=tables_compare(older_tables, newer_tables),
    )
