"""What may be uploaded: the content decides, the name must agree, and a refusal stores nothing."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from xinfang.attachments.models import EVIDENCE_KINDS, Attachment
from xinfang.attachments.selectors import evidence_exists
from xinfang.attachments.services import attachment_add
from xinfang.attachments.sniffing import sniff
from xinfang.audit.models import AuditEvent
from xinfang.cases.models import CaseEvent

from .files import docx_bytes, jpg_bytes, pdf_bytes, png_bytes, stored_files, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add(cast, case, name, content, kind="material", user="office", **kw):
    return attachment_add(
        case_id=case.pk, acting_user=cast[user], file=upload(name, content), kind=kind, **kw
    )


def refusal(cast, case, name, content, **kw) -> str:
    with pytest.raises(ValidationError) as caught:
        add(cast, case, name, content, **kw)
    (field, messages), *_ = caught.value.message_dict.items()
    return f"{field}: {messages[0]}"


@pytest.mark.parametrize(
    "name, build, content_type",
    [
        ("调解协议书.pdf", pdf_bytes, "application/pdf"),
        ("现场照片.PNG", png_bytes, "image/png"),
        ("签收件.jpeg", jpg_bytes, "image/jpeg"),
        ("签收件.jpg", jpg_bytes, "image/jpeg"),
        ("承诺书.docx", docx_bytes, DOCX),
        ("补偿明细.xlsx", xlsx_bytes, XLSX),
    ],
)
def test_each_allowed_type_is_stored_on_disk_under_its_checksum(
    cast, case, storage_dir, name, build, content_type
):
    content = build()
    attachment = add(cast, case, name, content, kind="mediation_agreement", note=" 双方签字 ")
    digest = hashlib.sha256(content).hexdigest()
    assert attachment.name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == digest
    assert attachment.path == f"{digest[:2]}/{digest}"
    assert attachment.note == "双方签字"
    on_disk = storage_dir / attachment.path
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == digest
    assert stored_files(storage_dir) == [on_disk]  # nothing left in .incoming
    event = CaseEvent.objects.get(case=case, kind="attached")
    assert event.user == cast["office"] and event.data["attachment"] == attachment.pk
    audit = AuditEvent.objects.get(event="create", target_type="附件", target_id=str(attachment.pk))
    assert audit.town == case.town
    assert name not in audit.target_repr  # the audit administrator does not learn what the file is about


def test_word_and_excel_are_told_apart_by_the_archive_not_the_name(cast, case):
    assert "内容是Excel 表格" in refusal(cast, case, "协议.docx", xlsx_bytes())
    assert "内容是Word 文档" in refusal(cast, case, "明细.xlsx", docx_bytes())


def test_a_png_named_pdf_is_refused_with_what_it_really_is(cast, case, storage_dir):
    assert refusal(cast, case, "协议.pdf", png_bytes()) == (
        "file: 文件扩展名为 .pdf，但内容是PNG 图片，请核对文件。"
    )
    assert not Attachment.objects.exists()
    assert stored_files(storage_dir) == []


@pytest.mark.parametrize(
    "content, what",
    [
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "网页（HTML）"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00" + b"\x00" * 400, "Windows 可执行程序"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "Linux 可执行程序"),
    ],
)
def test_a_page_or_a_program_named_pdf_is_refused(cast, case, storage_dir, content, what):
    message = refusal(cast, case, "协议.pdf", content)
    assert message.startswith(f"file: 文件扩展名为 .pdf，但内容是{what}，不能上传。")
    assert "只能上传 PDF、JPG、PNG、DOCX、XLSX 文件" in message
    assert not Attachment.objects.exists()
    assert stored_files(storage_dir) == []


def test_unrecognisable_content_is_refused(cast, case):
    message = refusal(cast, case, "协议.pdf", "这是一段文字，不是 PDF".encode())
    assert "内容不是PDF 文档（无法识别的格式）" in message


def test_a_macro_enabled_word_file_named_docx_is_refused(cast, case, tmp_path):
    import io
    import zipfile

    source = io.BytesIO(docx_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    assert "含宏的 Word 文档" in refusal(cast, case, "协议.docx", out.getvalue())


def test_a_type_that_is_not_allowed_is_refused_by_its_name_before_reading(cast, case):
    assert refusal(cast, case, "说明.txt", b"hello") == (
        "file: 不能上传 .txt 文件。只能上传 PDF、JPG、PNG、DOCX、XLSX 文件，请转换格式后再上传。"
    )
    assert "没有扩展名" in refusal(cast, case, "协议", pdf_bytes())


def test_an_empty_file_is_refused(cast, case, storage_dir):
    assert refusal(cast, case, "协议.pdf", b"") == "file: 文件“协议.pdf”是空的（0 字节），请检查后重新选择。"
    assert stored_files(storage_dir) == []


@override_settings(XINFANG_ATTACHMENT_MAX_MB=1)
def test_a_file_over_the_limit_is_refused_before_it_is_read(cast, case, storage_dir, monkeypatch):
    from xinfang.attachments import storage

    def must_not_read(*args, **kwargs):
        raise AssertionError("the upload was read although its size was already too large")

    monkeypatch.setattr(storage, "receive", must_not_read)
    content = pdf_bytes() + b"\x00" * (3 * 1024 * 1024 // 2)
    assert refusal(cast, case, "协议.pdf", content) == (
        "file: 文件大小 1.5 MB，超过 1 MB 的上限，请压缩或分拆后上传。"
    )
    assert stored_files(storage_dir) == []


@override_settings(XINFANG_ATTACHMENT_MAX_MB=1)
def test_an_upload_that_lies_about_its_size_is_stopped_while_streaming(cast, case, storage_dir):
    file = upload("协议.pdf", pdf_bytes() + b"\x00" * (2 * 1024 * 1024))
    file.size = 100
    with pytest.raises(ValidationError) as caught:
        attachment_add(case_id=case.pk, acting_user=cast["office"], file=file, kind="other")
    assert "超过 1 MB 的上限" in caught.value.message_dict["file"][0]
    assert stored_files(storage_dir) == []


@override_settings(XINFANG_ATTACHMENT_TYPES=["pdf"])
def test_the_allowed_types_come_from_the_settings(cast, case):
    assert "只能上传 PDF 文件" in refusal(cast, case, "照片.png", png_bytes())


def test_a_wrong_kind_is_refused_with_the_choices(cast, case):
    message = refusal(cast, case, "协议.pdf", pdf_bytes(), kind="contract")
    assert message.startswith("kind: 请选择附件类型。可选：mediation_agreement（调解协议书）")


def test_the_same_file_twice_is_stored_once(cast, case, storage_dir):
    content = pdf_bytes("same content")
    first = add(cast, case, "协议.pdf", content, kind="mediation_agreement")
    second = add(cast, case, "协议（复印件）.pdf", content, kind="other", user="village1")
    assert first.pk != second.pk and first.path == second.path
    assert stored_files(storage_dir) == [storage_dir / first.path]


def test_a_failure_after_the_file_was_placed_removes_it_and_the_row(cast, case, storage_dir, monkeypatch):
    from xinfang.attachments import services

    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        add(cast, case, "协议.pdf", pdf_bytes())
    assert not Attachment.objects.exists()
    assert not CaseEvent.objects.filter(kind="attached").exists()
    assert stored_files(storage_dir) == []


def test_a_failure_keeps_a_file_that_another_attachment_uses(cast, case, storage_dir, monkeypatch):
    from xinfang.attachments import services

    kept = add(cast, case, "协议.pdf", pdf_bytes())
    (storage_dir / kept.path).unlink()  # as if this upload were the one to write it again
    monkeypatch.setattr(services, "audit_record", lambda **kw: (_ for _ in ()).throw(RuntimeError()))
    with pytest.raises(RuntimeError):
        add(cast, case, "协议.pdf", pdf_bytes())
    assert (storage_dir / kept.path).exists()


@pytest.mark.parametrize("user", ["grid1", "supervisor", "county"])
def test_read_only_roles_cannot_upload(cast, case, storage_dir, user):
    with pytest.raises(PermissionDenied):
        add(cast, case, "协议.pdf", pdf_bytes(), user=user)
    assert stored_files(storage_dir) == []


@pytest.mark.parametrize("user", ["office", "leader1", "village1"])
def test_working_roles_that_see_the_case_can_upload(cast, case, user):
    assert add(cast, case, "协议.pdf", pdf_bytes(), user=user).uploaded_by == cast[user]


def test_evidence_is_a_mediation_agreement_or_a_commitment(cast, case):
    assert EVIDENCE_KINDS == {"mediation_agreement", "stop_commitment"}
    add(cast, case, "材料.pdf", pdf_bytes(), kind="material")
    assert not evidence_exists(case_id=case.pk)
    add(cast, case, "承诺书.pdf", pdf_bytes("commitment"), kind="stop_commitment")
    assert evidence_exists(case_id=case.pk)
    assert Attachment.objects.filter(case=case, kind__in=EVIDENCE_KINDS).count() == 1


def test_the_sniffer_reads_real_files(tmp_path):
    for name, content, expected in [
        ("a", pdf_bytes(), "pdf"),
        ("b", png_bytes(), "png"),
        ("c", jpg_bytes(), "jpg"),
        ("d", docx_bytes(), "docx"),
        ("e", xlsx_bytes(), "xlsx"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        assert sniff(path).extension == expected
