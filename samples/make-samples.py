#!/usr/bin/python3
"""Writes the demo's sample documents (deterministic: the same bytes on every run).

  invoice-and-letter.pdf  two A4 pages of real text in the standard Helvetica and Courier fonts (no embedded font, a few KB):
                          an invoice, then a covering letter. Written by hand below, so no PDF library is needed.
  scanned-receipt.jpg     a receipt as a scanner would deliver it: grey paper, noise, a slight rotation, JPEG.

Run from anywhere: /usr/bin/python3 samples/make-samples.py   (needs Pillow: apt-get install python3-pil)
"""
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent

INVOICE = [
    ("H", 20, "Northwind Office Supplies Ltd."),
    ("H", 11, "14 Harbour Street, Bristol BS1 4QA  -  VAT GB 284 1193 07"),
    ("H", 11, ""),
    ("H", 18, "INVOICE"),
    ("H", 11, "Invoice number: INV-2024-0117"),
    ("H", 11, "Invoice date: 12 March 2024            Due date: 11 April 2024"),
    ("H", 11, "Bill to: Marlow & Finch Architects, 3 Canal Wharf, Leeds LS11 5PS"),
    ("H", 11, ""),
    ("C", 10, "Qty   Description                              Unit price      Amount"),
    ("C", 10, "  4   A3 drawing pads, 50 sheets                   12.50 GBP    50.00 GBP"),
    ("C", 10, " 10   Technical pens, 0.3 mm                        3.20 GBP    32.00 GBP"),
    ("C", 10, "  2   Desk lamp, LED, adjustable                   39.90 GBP    79.80 GBP"),
    ("C", 10, "  1   Paper shredder, cross-cut                   129.00 GBP   129.00 GBP"),
    ("H", 11, ""),
    ("C", 10, "                                              Subtotal      290.80 GBP"),
    ("C", 10, "                                              VAT 20%        58.16 GBP"),
    ("C", 10, "                                              Total due     348.96 GBP"),
    ("H", 11, ""),
    ("H", 11, "Payment by bank transfer to sort code 20-45-77, account 63021984."),
    ("H", 11, "Please quote the invoice number with your payment."),
]

LETTER = [
    ("H", 11, "Northwind Office Supplies Ltd., 14 Harbour Street, Bristol BS1 4QA"),
    ("H", 11, ""),
    ("H", 11, "Ms Helen Finch"),
    ("H", 11, "Marlow & Finch Architects"),
    ("H", 11, "3 Canal Wharf, Leeds LS11 5PS"),
    ("H", 11, ""),
    ("H", 11, "12 March 2024"),
    ("H", 11, ""),
    ("H", 13, "Your order of 4 March"),
    ("H", 11, ""),
    ("H", 11, "Dear Ms Finch,"),
    ("H", 11, ""),
    ("H", 11, "Thank you for your order. Everything you asked for has been dispatched today by"),
    ("H", 11, "courier and should reach your office within two working days. Our invoice"),
    ("H", 11, "INV-2024-0117 is enclosed; payment is due within thirty days."),
    ("H", 11, ""),
    ("H", 11, "The adjustable desk lamps come with a five-year guarantee. Should anything arrive"),
    ("H", 11, "damaged, please call us on 0117 496 0321 and we will replace it at once."),
    ("H", 11, ""),
    ("H", 11, "We look forward to working with you again."),
    ("H", 11, ""),
    ("H", 11, "Yours sincerely,"),
    ("H", 11, ""),
    ("H", 11, "Daniel Okafor"),
    ("H", 11, "Accounts Manager"),
]


def pdf_text(lines):
    """The content stream of one A4 page: (font, size, text) lines top to bottom, 72 pt margins; H is Helvetica,
    C Courier (for the columns of the invoice's table)."""
    out, y = ["BT"], 842 - 90
    for font, size, text in lines:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(f"/{font} {size} Tf 1 0 0 1 72 {y} Tm ({escaped}) Tj")
        y -= size + 9
    out.append("ET")
    return "\n".join(out).encode("latin-1")


def write_pdf(path, pages):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        stream = pdf_text(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /H 3 0 R /C 4 0 R >> >> /Contents %d 0 R >>" % (len(objects)))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    body, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(body))


RECEIPT = [
    ("bold", 30, "CORNER BAKERY"),
    ("regular", 18, "27 Mill Lane, York YO1 7HB"),
    ("regular", 18, "Receipt 0042   09/03/2024 08:14"),
    ("regular", 18, ""),
    ("mono", 20, "2 x Sourdough loaf      7.00"),
    ("mono", 20, "1 x Cinnamon bun        2.60"),
    ("mono", 20, "3 x Flat white          9.90"),
    ("mono", 20, "1 x Almond croissant    2.95"),
    ("mono", 20, ""),
    ("mono", 24, "TOTAL          GBP   22.45"),
    ("mono", 20, "Card payment        22.45"),
    ("regular", 18, ""),
    ("regular", 18, "Thank you - see you tomorrow!"),
]
FONTS = {"bold": "DejaVuSans-Bold.ttf", "regular": "DejaVuSans.ttf", "mono": "DejaVuSansMono.ttf"}


def write_scan(path):
    rng = random.Random(20240309)
    width, height = 640, 860
    page = Image.new("L", (width, height), 236)
    draw = ImageDraw.Draw(page)
    y = 60
    for style, size, text in RECEIPT:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/" + FONTS[style], size)
        draw.text((60, y), text, fill=40, font=font)
        y += int(size * 1.7)
    # A scanner's softness, its uneven grey and sensor noise, then a sheet fed a little askew on a darker bed.
    page = page.filter(ImageFilter.GaussianBlur(0.7))
    noise = Image.effect_noise((width, height), 18)
    page = Image.blend(page, noise, 0.12)
    page = page.point(lambda v: min(255, max(0, v + rng.randint(-3, 3))))
    page = page.rotate(1.8, resample=Image.BICUBIC, expand=True, fillcolor=170)
    page.save(path, "JPEG", quality=70, optimize=True)


if __name__ == "__main__":
    write_pdf(HERE / "invoice-and-letter.pdf", [INVOICE, LETTER])
    write_scan(HERE / "scanned-receipt.jpg")
    for name in ("invoice-and-letter.pdf", "scanned-receipt.jpg"):
        print(f"{name}: {(HERE / name).stat().st_size} bytes")
