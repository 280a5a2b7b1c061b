"""The electronic certificate rendered: a valid A4 PDF with the CJK font embedded and every printed fact in its text
(read back through the font's ToUnicode map), and a 150-dpi PNG of the same layout whose regions show the title,
the name, the photo, the signature and exactly the QR code of the signed payload."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from domain.certificates import fonts, qr, rendering
from domain.certificates.pdf import render_pdf
from domain.certificates.png import px, render_png
from domain.kernel.settings import get_settings
from tests.domain.certificates.pdf_text import page_text
from tests.domain.certificates.samples import NAME, PHOTO_COLOR, document

A4_POINTS = b"/MediaBox [0 0 595.28 841.89]"


def pdf_of(doc: rendering.CertificateDocument) -> bytes:
    return render_pdf(rendering.layout(doc), fonts.font_path())


def png_of(doc: rendering.CertificateDocument) -> Image.Image:
    return Image.open(io.BytesIO(render_png(rendering.layout(doc), fonts.font_path()))).convert("RGB")


def items_of(doc: rendering.CertificateDocument, kind: type) -> list[object]:
    return [item for item in rendering.layout(doc).items if isinstance(item, kind)]


def test_the_pdf_is_a4_embeds_the_cjk_font_and_says_everything_the_certificate_must() -> None:
    data = pdf_of(document())

    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    assert A4_POINTS in data and data.count(b"/Type /Page\n") == 1
    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSansSC", data)  # embedded as a subset
    assert b"/FontFile2" in data
    assert data.count(b"/Subtype /Image") == 2  # the photo and the signature
    text = page_text(data)
    for expected in [
        "中华人民共和国一级建造师注册证书",
        "（电子证书）",
        NAME,
        "男",
        "1991年01月01日",
        "京111050700001(02)",
        "北京示范建设工程有限公司",
        "建筑工程",
        "2029年11月29日",
        "市政公用工程",
        "2028年03月01日",
        "发证机关：中华人民共和国住房和城乡建设部",
        "发证日期：2026年11月30日",
        "使用有效期至：2027年05月29日",
        "本电子证书打印件经持证人本人手写签名后有效。",
    ]:
        assert expected in text, expected
    assert "\ufffd" not in "".join(text)  # every glyph maps back to its character


def test_the_png_is_150_dpi_a4_with_title_name_photo_and_signature_where_the_layout_puts_them() -> None:
    doc = document()
    image = png_of(doc)
    assert image.size == (1240, 1754)

    def dark_pixels(box_mm: tuple[float, float, float, float], below: int = 128) -> int:
        region = image.crop(tuple(px(v) for v in box_mm)).convert("L")  # type: ignore[arg-type]
        return sum(count for value, count in enumerate(region.histogram()) if value < below)

    title = image.crop((px(40), px(27), px(170), px(37)))
    pixels = title.tobytes()
    assert any(r > 120 and g < 80 and b < 80 for r, g, b in zip(*[iter(pixels)] * 3, strict=True))  # the red title
    assert dark_pixels((55, 58, 100, 66)) > 200  # the name
    other = png_of(document(name="李四")).crop((px(55), px(58), px(100), px(66)))
    assert other.tobytes() != image.crop((px(55), px(58), px(100), px(66))).tobytes()  # … is the name printed
    photo, signature = items_of(doc, rendering.Picture)
    assert isinstance(photo, rendering.Picture) and isinstance(signature, rendering.Picture)
    centre = image.getpixel((px(photo.x_mm + photo.w_mm / 2), px(photo.y_mm + photo.h_mm / 2)))
    assert all(abs(a - b) < 12 for a, b in zip(centre, PHOTO_COLOR, strict=True))  # type: ignore[arg-type]
    box = (signature.x_mm, signature.y_mm, signature.x_mm + signature.w_mm, signature.y_mm + signature.h_mm)
    assert dark_pixels(box, below=60) > 300  # the ink


def test_the_png_holds_exactly_the_qr_code_of_the_signed_verification_url() -> None:
    """No QR decoder is installed: the modules read back from the pixels equal the code of the URL, which holds
    a payload that verifies (so a phone scanning it opens that URL)."""
    doc = document()
    image = png_of(doc).convert("L")
    (code,) = items_of(doc, rendering.Modules)
    assert isinstance(code, rendering.Modules)
    size = code.module_mm
    read = [
        [
            image.getpixel((px(code.x_mm + (column + 0.5) * size), px(code.y_mm + (row + 0.5) * size))) < 128  # type: ignore[operator]
            for column in range(len(code.rows))
        ]
        for row in range(len(code.rows))
    ]
    assert read == qr.modules(doc.qr_text)
    assert doc.qr_text.startswith(f"{get_settings().certificate_verify_base_url}/c/")
    assert qr.decode(doc.qr_text).download_id == 345


def test_without_photo_or_signature_the_frames_say_not_uploaded() -> None:
    doc = document(photo=None, signature=None)
    text = page_text(pdf_of(doc))
    assert text.count("（未上传）") == 2
    assert png_of(doc).size == (1240, 1754)


def test_ten_specialties_fit_above_the_signature() -> None:
    many = [rendering.Specialty(f"专业{i}", document().issued_on) for i in range(10)]
    boxes = [item for item in items_of(document(specialties=many), rendering.Box) if isinstance(item, rendering.Box)]
    table_bottom = max(box.y_mm + box.h_mm for box in boxes if box.w_mm == 160)
    assert table_bottom < 203  # the signature's top


def test_a_missing_font_is_a_clear_error_naming_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CERTIFICATE_FONT_PATH", str(tmp_path / "missing.ttf"))
    get_settings.cache_clear()
    try:
        with pytest.raises(fonts.FontMissingError) as missing:
            fonts.font_path()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "missing.ttf" in str(missing.value) and "make install" in str(missing.value)
    assert fonts.font_problem() is None  # the installed font is back


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools is not installed (the module check above runs)")
def test_a_qr_reader_scans_the_verification_url_off_the_png(tmp_path: Path) -> None:
    doc = document()
    page = tmp_path / "certificate.png"
    page.write_bytes(render_png(rendering.layout(doc), fonts.font_path()))
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, timeout=60, check=False
    )
    assert scanned.stdout.strip() == doc.qr_text
    assert qr.decode(scanned.stdout.strip()).certificate_id == 12
