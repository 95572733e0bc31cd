"""The attachment card on the case page: upload, Chinese messages, downloads as files."""

import hashlib
from urllib.parse import quote

import pytest
from django.test import override_settings

from xinfang.attachments.models import Attachment
from xinfang.attachments.services import attachment_add
from xinfang.audit.models import AuditEvent

from .files import pdf_bytes, png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


def post(client, case, name, content, kind="mediation_agreement", note=""):
    return client.post(
        f"/cases/{case.pk}/attachments/new/",
        {"kind": kind, "note": note, "file": upload(name, content)},
        follow=True,
    )


def test_the_case_page_lists_attachments_and_offers_the_form(client_as, cast, case):
    attachment_add(
        case_id=case.pk,
        acting_user=cast["village1"],
        file=upload("调解协议书（签字版）.pdf", pdf_bytes() + b"\n" * 2048),
        kind="mediation_agreement",
        note="双方已签字",
    )
    page = client_as("office").get(f"/cases/{case.pk}/").content.decode()
    assert "附件（1 个）" in page
    for column in ("类型", "文件名", "大小", "上传人", "时间", "下载"):
        assert f"<th>{column}</th>" in page
    assert "调解协议书（签字版）.pdf" in page and "双方已签字" in page and "村干部示例一" in page
    assert f"{(len(pdf_bytes()) + 2048) / 1024:.1f} KB" in page  # 2.6 KB
    assert 'enctype="multipart/form-data"' in page and "停诉息访承诺书" in page
    assert "可上传 PDF、JPG、PNG、DOCX、XLSX 文件，每个不超过 20 MB" in page
    # Read-only roles see the list but no form.
    grid_page = client_as("grid1").get(f"/cases/{case.pk}/").content.decode()
    assert "调解协议书（签字版）.pdf" in grid_page and "multipart/form-data" not in grid_page


def test_an_upload_from_the_page_says_what_was_stored(client_as, case):
    response = post(client_as("office"), case, "调解协议书.pdf", pdf_bytes(), note="已签字")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert "已上传调解协议书“调解协议书.pdf”" in page
    assert Attachment.objects.get(case=case).note == "已签字"
    assert "上传附件" in page  # the case timeline


def test_a_disguised_file_is_explained_on_the_case_page(client_as, case, storage_dir):
    page = post(client_as("office"), case, "协议.pdf", png_bytes()).content.decode()
    assert "附件未上传：文件扩展名为 .pdf，但内容是PNG 图片，请核对文件。" in page
    assert not Attachment.objects.exists() and stored_files(storage_dir) == []


def test_an_empty_file_and_a_missing_kind_are_explained(client_as, case):
    page = post(client_as("office"), case, "协议.pdf", b"").content.decode()
    assert "附件未上传：文件“协议.pdf”是空的（0 字节）" in page
    page = post(client_as("office"), case, "协议.pdf", pdf_bytes(), kind="").content.decode()
    assert "附件未上传：请选择附件类型" in page


@override_settings(XINFANG_ATTACHMENT_MAX_MB=1)
def test_a_file_over_the_limit_is_explained_on_the_case_page(client_as, case, storage_dir):
    page = post(client_as("office"), case, "协议.pdf", pdf_bytes() + b"\x00" * (2 * 1024 * 1024))
    assert "文件大小 2.0 MB，超过 1 MB 的上限，请压缩或分拆后上传。" in page.content.decode()
    assert not Attachment.objects.exists() and stored_files(storage_dir) == []


@pytest.mark.parametrize("user", ["grid1", "county", "supervisor"])
def test_read_only_roles_get_403_from_the_upload_form(client_as, case, storage_dir, user):
    response = client_as(user).post(
        f"/cases/{case.pk}/attachments/new/", {"kind": "other", "file": upload("a.pdf", pdf_bytes())}
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists() and stored_files(storage_dir) == []


def test_an_upload_to_a_case_out_of_scope_is_404(client_as, case, storage_dir):
    for user in ("h_office", "village2"):
        response = client_as(user).post(
            f"/cases/{case.pk}/attachments/new/", {"kind": "other", "file": upload("a.pdf", pdf_bytes())}
        )
        assert response.status_code == 404, user
    assert not Attachment.objects.exists() and stored_files(storage_dir) == []


def test_the_download_is_the_file_under_its_chinese_name_and_is_audited(client_as, cast, case):
    content = pdf_bytes()
    attachment = attachment_add(
        case_id=case.pk,
        acting_user=cast["office"],
        file=upload("调解协议书 第1份.pdf", content),
        kind="mediation_agreement",
    )
    response = client_as("grid1").get(f"/cases/{case.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('调解协议书 第1份.pdf')}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    row = AuditEvent.objects.get(event="export", target_type="附件", target_id=str(attachment.pk))
    assert row.user == cast["grid1"] and row.success and row.detail == "下载附件（调解协议书）"
    assert row.town == case.town and "调解协议书 第1份" not in row.target_repr


def test_an_altered_file_is_not_handed_out(client_as, cast, case, storage_dir):
    attachment = attachment_add(
        case_id=case.pk, acting_user=cast["office"], file=upload("协议.pdf", pdf_bytes()), kind="other"
    )
    path = storage_dir / attachment.path
    path.chmod(0o640)
    path.write_bytes(pdf_bytes("forged"))
    assert hashlib.sha256(path.read_bytes()).hexdigest() != attachment.sha256
    response = client_as("office").get(f"/cases/{case.pk}/attachments/{attachment.pk}/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert "附件“协议.pdf”的存储文件已被改动或丢失（存储的文件内容与上传时的校验值不符）" in page
    assert "请联系系统管理员从备份中恢复该文件" in page
    row = AuditEvent.objects.get(event="export", target_type="附件", target_id=str(attachment.pk))
    assert not row.success
    path.unlink()
    page = client_as("office").get(f"/cases/{case.pk}/attachments/{attachment.pk}/", follow=True)
    assert "存储的文件已不存在" in page.content.decode()


def test_an_attachment_is_only_found_under_its_own_case(client_as, cast, case):
    from .files import register_case

    other = register_case(cast)
    attachment = attachment_add(
        case_id=case.pk, acting_user=cast["office"], file=upload("协议.pdf", pdf_bytes()), kind="other"
    )
    assert client_as("office").get(f"/cases/{other.pk}/attachments/{attachment.pk}/").status_code == 404
