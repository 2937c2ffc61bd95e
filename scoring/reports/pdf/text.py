"""Values as the report prints them: escaped for a Paragraph, numbered, wrapped to fit.

A `Paragraph` parses a subset of HTML, so every user string goes into one escaped with
`_text`; table cells that hold plain strings are drawn as they are, broken into lines by
`_wrap`, which is much faster than a `Paragraph` per cell in a table of 10,000 rows.
"""

from xml.sax.saxutils import escape

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics


def _text(value):
    """A user's string, escaped for a Paragraph, its line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def _number(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def _wrap(text, width, font, size):
    """`text` broken into lines that fit `width`, as a Table draws a plain string.

    Words are kept whole where they fit; a word longer than the line (a long Korean
    compound, a URL) is broken between characters.
    """
    lines = []
    for line in simpleSplit(str(text), font, size, width) or [""]:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def _stability(row):
    if row.stability is None:
        return "—"
    stability = row.stability
    ranks = (
        str(stability.best_rank)
        if stability.best_rank == stability.worst_rank
        else f"{stability.best_rank}–{stability.worst_rank}"
    )
    return f"{ranks} · {stability.top_k_share:.0%}"
