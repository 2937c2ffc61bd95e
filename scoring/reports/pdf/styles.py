"""How the report looks: its fonts, colours and paragraph and table styles.

Korean needs a TrueType font that has its glyphs, which ReportLab embeds (subset) in the
file; the fonts are registered once per process, on the first report written. Every
section draws with these styles, so the handout looks the same from cover to briefs.
"""

import functools
import logging
import os

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

logger = logging.getLogger(__name__)

# (regular, bold) TrueType files; the first pair found wins. Nanum (Debian's fonts-nanum,
# installed by the Dockerfile and .ci/run) has the Korean glyphs; DejaVu has none, but
# covers every other script the product's languages use.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)
FONT_NAME = "QuadrantSans"

PRODUCT = "Quadrant"  # the product's name, as the site header writes it

GRID = colors.HexColor("#d1d5db")
HEADER_SHADE = colors.HexColor("#f3f4f6")
MUTED = colors.HexColor("#6b7280")
INK = colors.HexColor("#1f2937")


@functools.cache
def report_fonts():
    """(regular, bold) font names, registering the first TrueType pair found, once."""
    for regular, bold in FONT_CANDIDATES:
        if os.path.exists(regular) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont(FONT_NAME, regular))
            pdfmetrics.registerFont(TTFont(f"{FONT_NAME}-Bold", bold))
            pdfmetrics.registerFontFamily(
                FONT_NAME,
                normal=FONT_NAME,
                bold=f"{FONT_NAME}-Bold",
                italic=FONT_NAME,
                boldItalic=f"{FONT_NAME}-Bold",
            )
            return FONT_NAME, f"{FONT_NAME}-Bold"
    logger.warning("No TrueType font found for PDF reports; Korean text will not render.")
    return "Helvetica", "Helvetica-Bold"


class _Styles:
    def __init__(self):
        regular, bold = report_fonts()
        self.regular, self.bold = regular, bold
        base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, textColor=INK)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10)
        self.muted = ParagraphStyle("muted", base, fontSize=8.5, leading=11, textColor=MUTED)
        self.title = ParagraphStyle("title", base, fontName=bold, fontSize=24, leading=30)
        self.h1 = ParagraphStyle("h1", base, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
        self.h2 = ParagraphStyle(
            "h2", base, fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        )

    def table(self, size=8.5, header=True, align_numbers_from=None):
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), self.regular),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size + 2),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            commands += [
                ("FONTNAME", (0, 0), (-1, 0), self.bold),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
            ]
        if align_numbers_from is not None:
            commands.append(("ALIGN", (align_numbers_from, 0), (-1, -1), "RIGHT"))
        return TableStyle(commands)
