"""The CJK font of the electronic certificate (CERTIFICATE_FONT_PATH; by default Noto Sans SC, SIL OFL 1.1, which
`make install` installs from the npm registry into web/node_modules with GraphiQL)."""

from __future__ import annotations

from pathlib import Path

from domain.kernel.settings import get_settings

FAMILY = "NotoSansSC"


class FontMissingError(RuntimeError):
    """The certificate cannot be rendered: its CJK font file is missing."""


def font_problem() -> str | None:
    """Why the font cannot be used (a bilingual sentence naming the fix), or None."""
    path = get_settings().certificate_font_path
    if path.is_file():
        return None
    return (
        f"电子证书的中文字体文件不存在：{path}。请运行 make install（或 cd web && npm ci）安装，或以 "
        f"CERTIFICATE_FONT_PATH 指定含中文字形的 TTF/OTF 字体 / the electronic certificate's CJK font is missing: "
        f"{path}. Run make install (or cd web && npm ci), or point CERTIFICATE_FONT_PATH at a TTF/OTF font with CJK "
        "glyphs"
    )


def font_path() -> Path:
    """The font file; FontMissingError (with the fix in its message) when it is not there."""
    problem = font_problem()
    if problem is not None:
        raise FontMissingError(problem)
    return get_settings().certificate_font_path
