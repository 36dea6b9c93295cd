"""PDF pages as `QImage`s, rendered with pypdfium2 (the preview and the printing of reports).

Qt's own PDF module is not part of the PySide6 wheels on every platform, so the report
preview renders pages with PDFium (shipped inside the pypdfium2 wheel, offline) and paints
them; printing draws the same page images at the printer's resolution (docs/DECISIONS.md).
May import: PySide6, pypdfium2, stdlib.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

POINTS_PER_INCH = 72.0


def page_images(pdf: bytes, dpi: float = 110.0) -> list[QImage]:
    """Every page of `pdf` rendered at `dpi`."""
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
            array = bitmap.to_numpy()
            height, width = array.shape[0], array.shape[1]
            channels = array.shape[2] if array.ndim == 3 else 1
            fmt = QImage.Format.Format_RGBA8888 if channels == 4 else QImage.Format.Format_RGB888
            image = QImage(array.tobytes(), width, height, width * channels, fmt)
            # Detach from the numpy buffer before it goes away.
            images.append(image.copy())
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of `pdf` on `printer`; returns the number of pages printed."""
    dpi = float(min(printer.resolution(), 300))
    images = page_images(pdf, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            target = QRectF(painter.viewport())
            ratio = min(target.width() / image.width(), target.height() / image.height())
            width, height = image.width() * ratio, image.height() * ratio
            painter.drawImage(QRectF(target.x(), target.y(), width, height), image)
    finally:
        painter.end()
    return len(images)
