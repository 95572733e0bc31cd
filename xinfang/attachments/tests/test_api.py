"""POST/GET /api/v1/cases/{case_id}/attachments and GET /api/v1/attachments/{id}/content."""

import hashlib

import pytest

from xinfang.attachments.models import Attachment
from xinfang.audit.models import AuditEvent

from .files import docx_bytes, pdf_bytes, png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


def post(client, case, name, content, **data):
    body = {"kind": "mediation_agreement", **data}
    if name is not None:
        body["file"] = upload(name, content)
    return client.post(f"/api/v1/cases/{case.pk}/attachments", body)


def test_an_upload_answers_201_with_the_stored_file(client_as, case, storage_dir):
    content = docx_bytes()
    response = post(client_as("village1"), case, "调解协议书.docx", content, note="双方签字")
    assert response.status_code == 201, response.json()
    out = response.json()
    digest = hashlib.sha256(content).hexdigest()
    assert out["kind"] == "mediation_agreement" and out["kind_label"] == "调解协议书"
    assert out["name"] == "调解协议书.docx" and out["size"] == len(content) and out["sha256"] == digest
    assert out["content_type"].endswith("wordprocessingml.document") and out["note"] == "双方签字"
    assert (storage_dir / digest[:2] / digest).read_bytes() == content


def test_a_real_30_mb_upload_is_refused_and_nothing_is_stored(client_as, case, storage_dir):
    content = pdf_bytes() + b"\x00" * (30 * 1024 * 1024 - len(pdf_bytes()))
    response = post(client_as("office"), case, "扫描件.pdf", content)
    assert response.status_code == 422
    message = "文件大小 30.0 MB，超过 20 MB 的上限，请压缩或分拆后上传。"
    assert response.json() == {
        "detail": f"输入有误：{message}",
        "errors": [{"field": "file", "message": message}],
    }
    assert not Attachment.objects.exists()
    assert stored_files(storage_dir) == []


def test_a_disguised_file_is_422_in_chinese(client_as, case):
    response = post(client_as("office"), case, "协议.pdf", png_bytes())
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "file", "message": "文件扩展名为 .pdf，但内容是PNG 图片，请核对文件。"}
    ]


def test_missing_parts_are_422_in_chinese(client_as, case):
    no_file = post(client_as("office"), case, None, b"")
    assert no_file.status_code == 422
    assert {"field": "file", "message": "此项必填，但没有填写"} in no_file.json()["errors"]
    no_kind = client_as("office").post(
        f"/api/v1/cases/{case.pk}/attachments", {"file": upload("a.pdf", pdf_bytes())}
    )
    assert no_kind.status_code == 422
    assert {"field": "kind", "message": "此项必填，但没有填写"} in no_kind.json()["errors"]
    wrong_kind = post(client_as("office"), case, "a.pdf", pdf_bytes(), kind="contract")
    assert wrong_kind.status_code == 422 and wrong_kind.json()["errors"][0]["field"] == "kind"
    empty = post(client_as("office"), case, "a.pdf", b"")
    assert empty.status_code == 422 and "是空的" in empty.json()["detail"]


@pytest.mark.parametrize("user", ["grid1", "county", "supervisor"])
def test_read_only_roles_get_403(client_as, case, storage_dir, user):
    response = post(client_as(user), case, "协议.pdf", pdf_bytes())
    assert response.status_code == 403
    assert "只能查看附件，不能上传" in response.json()["detail"]
    assert not Attachment.objects.exists() and stored_files(storage_dir) == []


def test_the_list_and_the_content(client_as, case):
    client = client_as("office")
    first = post(client, case, "协议.pdf", pdf_bytes()).json()
    post(client, case, "照片.png", png_bytes(), kind="material")
    listing = client.get(f"/api/v1/cases/{case.pk}/attachments").json()
    assert listing["count"] == 2
    assert [a["name"] for a in listing["items"]] == ["协议.pdf", "照片.png"]
    assert listing["items"][0]["uploaded_by"] == "联席办示例"
    response = client.get(f"/api/v1/attachments/{first['id']}/content")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event="export", target_type="附件", target_id=str(first["id"])).exists()


def test_an_altered_file_is_refused_by_the_api(client_as, case, storage_dir):
    out = post(client_as("office"), case, "协议.pdf", pdf_bytes()).json()
    path = storage_dir / out["sha256"][:2] / out["sha256"]
    path.chmod(0o640)
    path.write_bytes(b"%PDF-1.4 altered")
    response = client_as("office").get(f"/api/v1/attachments/{out['id']}/content")
    assert response.status_code == 500
    assert "校验值不符" in response.json()["detail"]
