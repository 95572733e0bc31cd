"""What a file is, from its bytes rather than its name.

`filetype` reads the signature at the start of the file. Word and Excel files are both ZIP archives,
and filetype tells them apart only by the order of the first entries, so for any ZIP the archive's
own table of contents decides: `word/document.xml` makes a Word file, `xl/workbook.xml` an Excel one,
and a macro project makes it a macro-enabled file, which is not accepted.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Types whose content can be verified: extension -> (content type, how a person calls it).
KNOWN_TYPES = {
    "pdf": ("application/pdf", "PDF 文档"),
    "jpg": ("image/jpeg", "JPEG 图片"),
    "png": ("image/png", "PNG 图片"),
    "docx": (DOCX, "Word 文档"),
    "xlsx": (XLSX, "Excel 表格"),
}
# Names of other contents, for the message that refuses them.
OTHER_LABELS = {
    "exe": "Windows 可执行程序",
    "elf": "Linux 可执行程序",
    "zip": "ZIP 压缩包",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "gz": "gzip 压缩包",
    "gif": "GIF 图片",
    "bmp": "BMP 图片",
    "tif": "TIFF 图片",
    "webp": "WebP 图片",
    "heic": "HEIC 图片",
    "doc": "旧版 Word 文档（.doc）",
    "xls": "旧版 Excel 表格（.xls）",
    "ppt": "旧版 PowerPoint 演示文稿（.ppt）",
    "pptx": "PowerPoint 演示文稿",
    "docm": "含宏的 Word 文档（.docm）",
    "xlsm": "含宏的 Excel 表格（.xlsm）",
    "odt": "OpenDocument 文本",
    "ods": "OpenDocument 表格",
    "html": "网页（HTML）",
    "xml": "XML 或 SVG 文件",
    "mp4": "MP4 视频",
    "mp3": "MP3 音频",
}
HEAD_BYTES = 8192
ZIP_KINDS = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "jar", "apk"}


@dataclass(frozen=True)
class Sniffed:
    extension: str | None  # canonical extension ("jpg" for JPEG), None when unrecognised
    label: str  # what the content is, in Chinese

    @property
    def content_type(self) -> str:
        return KNOWN_TYPES[self.extension][0] if self.extension in KNOWN_TYPES else "application/octet-stream"


def label_of(extension: str | None) -> str:
    if extension in KNOWN_TYPES:
        return KNOWN_TYPES[extension][1]
    if extension in OTHER_LABELS:
        return OTHER_LABELS[extension]
    return f"{extension.upper()} 文件" if extension else "无法识别的内容"


def _office_kind(path: Path) -> str:
    """A ZIP archive's kind by its table of contents (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return "zip"
    if "word/document.xml" in names:
        return "docm" if "word/vbaProject.bin" in names else "docx"
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def _markup(head: bytes) -> str | None:
    """Web pages and XML, which have no signature but are worth naming when refused."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return "html"
    if start.startswith((b"<?xml", b"<svg")):
        return "xml"
    return None


def sniff(path: Path) -> Sniffed:
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    guess = filetype.guess(head)
    extension = guess.extension if guess is not None else None
    if extension in ZIP_KINDS:
        extension = _office_kind(path)
    elif extension is None:
        extension = _markup(head)
    return Sniffed(extension=extension, label=label_of(extension))
