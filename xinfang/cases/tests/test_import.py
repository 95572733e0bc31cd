import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinfang.audit.models import AuditEvent
from xinfang.cases.imports import COLUMNS, DATA_SHEET, HELP_SHEET, petitions_import
from xinfang.cases.models import Case, Petition, Petitioner
from xinfang.cases.services import PetitionerIn, PetitionIn, petition_register

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]
ID_ZHAO = "110101199003074514"
ID_QIAN = "110101198001010010"
ID_BAD_CHECKSUM = "110101199003074515"


def row(**over):
    values = {
        "渠道": "网上信访",
        "收到时间": "2026-05-01 09:30",
        "信访人姓名": "赵某某",
        "身份证号": ID_ZHAO,
        "手机号": "13912345678",
        "住址": "青松村三组",
        "所在村（居）": "青松村",
        "人数": 1,
        "事项": "宅基地边界纠纷",
        "诉求内容": "与邻居就宅基地边界发生纠纷，请求村里调解。",
        "性质": "申诉求决类",
        "类别": "农业农村类",
        "扬言": "否",
        "涉法涉诉": "否",
    }
    values.update(over)
    return values


def xlsx(rows, headers=HEADERS) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "网上信访导出.xlsx"
    return out


def stored():
    return Case.objects.count(), Petition.objects.count(), Petitioner.objects.count()


@pytest.fixture
def existing(cast):
    return petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            petitioner=PetitionerIn(name="孙某某", village=cast["village1"].village),
            title="道路积水",
            content="村道积水，请求修缮。",
        ),
        acting_user=cast["office"],
    ).case


def test_a_good_file_registers_every_row(cast, existing):
    assert existing.number == "分信〔2026〕0001号"
    rows = [
        row(),
        # An Excel date cell has no time zone: it is Beijing time.
        row(**{"收到时间": dt.datetime(2026, 5, 2, 14, 0), "事项": "宅基地纠纷仍未解决", "渠道": "来电"}),  # noqa: DTZ001
        row(**{"信访人姓名": "钱某某", "身份证号": ID_QIAN, "所在村（居）": "红旗村", "人数": 6}),
        row(**{"信访人姓名": "李某某", "身份证号": None, "类别": None, "性质": None, "扬言": "是"}),
        row(
            **{
                "信访人姓名": "孙某某",
                "身份证号": None,
                "事项": "道路积水仍未处理",
                "重复信访所属事项编号": "分信[2026]1号",
                "渠道": "上级交转办",
                "交转办层级": "县",
            }
        ),
    ]
    result = petitions_import(xlsx(rows), cast["office"], dry_run=False)
    assert result.ok, result.report()
    assert (result.rows, result.created_cases, result.repeats) == (5, 4, 1)
    numbers = list(Case.objects.order_by("seq").values_list("number", flat=True))
    assert numbers == [f"分信〔2026〕000{i}号" for i in range(1, 6)]
    assert Petitioner.objects.filter(id_number=ID_ZHAO).count() == 1
    assert Petition.objects.filter(petitioners__id_number=ID_ZHAO).count() == 2
    existing.refresh_from_db()
    assert existing.repeat_count == 1
    repeat = existing.petitions.get(is_repeat=True)
    assert repeat.channel == "referral" and repeat.referral_level == "county"
    collective = Case.objects.get(petitions__petitioners__id_number=ID_QIAN)
    assert collective.is_collective and collective.village.name == "红旗村"
    unnamed = Case.objects.get(petitions__petitioners__name="李某某")
    assert unnamed.kind == "claim" and unnamed.category is None and unnamed.has_threat
    received = Case.objects.get(title="宅基地纠纷仍未解决").received_at
    assert received == dt.datetime(2026, 5, 2, 6, 0, tzinfo=dt.UTC)  # 14:00 Beijing time
    audit = AuditEvent.objects.get(detail__startswith="Excel 导入信访")
    assert audit.success and audit.new_values["file"] == "网上信访导出.xlsx" and audit.new_values["rows"] == 5


BAD_ROWS = [
    row(),
    row(**{"信访人姓名": "钱某某", "身份证号": ID_BAD_CHECKSUM}),
    row(**{"收到时间": "2099-01-01 09:00"}),
    row(**{"事项": None}),
    row(**{"所在村（居）": "不存在村"}),
    row(**{"渠道": "传真", "收到时间": "五月一日"}),
]
EXPECTED = {
    (3, "身份证号", "校验位不正确"),
    (4, "收到时间", "不能晚于现在"),
    (5, "事项", "请填写信访事项"),
    (6, "所在村（居）", "本镇没有名为“不存在村”的村（居）"),
    (7, "渠道", "“传真”不是可选的值"),
    (7, "收到时间", "“五月一日”不是可识别的时间"),
}


@pytest.mark.parametrize("dry_run", [True, False])
def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_stored(cast, dry_run):
    before = stored()
    result = petitions_import(xlsx(BAD_ROWS), cast["office"], dry_run=dry_run)
    assert result.rows == 6 and not result.ok
    found = {(e.row, e.column, e.message) for e in result.errors}
    for r, column, fragment in EXPECTED:
        assert any(e[:2] == (r, column) and fragment in e[2] for e in found), (r, column, result.report())
    assert {e.row for e in result.errors} == {3, 4, 5, 6, 7}  # row 2 is fine
    assert stored() == before
    assert not Petition.objects.exists()
    failed = AuditEvent.objects.filter(detail__startswith="Excel 导入信访", success=False)
    assert failed.count() == (0 if dry_run else 1)
    assert not AuditEvent.objects.filter(detail__startswith="Excel 导入信访", success=True).exists()


def test_a_dry_run_of_a_good_file_counts_but_stores_nothing(cast, existing):
    before = stored()
    rows = [row(), row(**{"重复信访所属事项编号": existing.number})]
    result = petitions_import(xlsx(rows), cast["office"], dry_run=True)
    assert result.ok and (result.created_cases, result.repeats) == (1, 1)
    assert "检查通过" in result.summary()
    assert stored() == before
    # The numbers the dry run took are given back: the real run starts where it would have.
    petitions_import(xlsx(rows), cast["office"], dry_run=False)
    assert Case.objects.order_by("-seq").first().number == "分信〔2026〕0002号"


def test_one_id_number_with_two_names_in_the_file_is_caught_by_the_dry_run(cast):
    rows = [row(), row(**{"信访人姓名": "钱某某"})]
    result = petitions_import(xlsx(rows), cast["office"], dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")]
    assert "已登记为“赵某某”" in result.errors[0].message


def test_other_towns_names_and_case_numbers_are_unknown(cast):
    other = petition_register(
        data=PetitionIn(
            channel="visit",
            received_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
            petitioner=PetitionerIn(name="周某某"),
            title="荷塘镇事项",
            content="内容",
        ),
        acting_user=cast["h_office"],
    ).case
    hetang_village = cast["h_village"].village.name
    rows = [row(**{"所在村（居）": hetang_village, "重复信访所属事项编号": other.number})]
    result = petitions_import(xlsx(rows), cast["office"], dry_run=True)
    assert {e.column for e in result.errors} == {"所在村（居）", "重复信访所属事项编号"}


def test_an_id_number_stored_as_a_number_is_explained(cast):
    result = petitions_import(xlsx([row(**{"身份证号": 110101199003074514})]), cast["office"], dry_run=True)
    assert result.errors[0].column == "身份证号" and "存成了数字" in result.errors[0].message


def test_wrong_headers_say_which_are_unknown_and_which_are_missing(cast):
    headers = [h for h in HEADERS if h not in ("事项", "收到时间")] + ["身份证", "备注"]
    result = petitions_import(xlsx([row()], headers=headers), cast["office"], dry_run=True)
    problems = {(e.row, e.column): e.message for e in result.errors}
    assert "无法识别的列名" in problems[(1, "身份证")] and "无法识别的列名" in problems[(1, "备注")]
    assert "缺少此列" in problems[(1, "事项")] and "缺少此列" in problems[(1, "收到时间")]
    assert result.rows == 0


def test_headers_may_be_in_any_order_and_optional_ones_left_out(cast):
    headers = ["事项", "诉求内容", "信访人姓名", "收到时间", "渠道"]
    result = petitions_import(xlsx([row()], headers=headers), cast["office"], dry_run=False)
    assert result.ok, result.report()
    assert Case.objects.get().title == "宅基地边界纠纷"


def test_a_file_that_is_not_xlsx_or_has_no_rows_is_refused(cast):
    fake = io.BytesIO("姓名,事项\n赵某某,纠纷\n".encode())
    result = petitions_import(fake, cast["office"], dry_run=True)
    assert result.errors[0].row is None and "不是 .xlsx 格式" in result.errors[0].message
    result = petitions_import(xlsx([]), cast["office"], dry_run=True)
    assert "没有数据" in result.errors[0].message


# --- the page ----------------------------------------------------------------------------------


def test_only_the_office_imports(client_as):
    for username in ("village1", "leader1", "dept1", "supervisor", "county", "sysadmin"):
        assert client_as(username).get("/cases/import/").status_code == 403
        assert client_as(username).get("/cases/import/template.xlsx").status_code == 403
    assert client_as("village1").post("/cases/import/", {"file": xlsx([row()])}).status_code == 403
    assert not Case.objects.exists()
    page = client_as("office").get("/cases/import/").content.decode()
    assert "检查（不导入）" in page and "/cases/import/template.xlsx" in page
    assert 'href="/cases/import/"' in client_as("office").get("/cases/").content.decode()
    assert 'href="/cases/import/"' not in client_as("village1").get("/cases/").content.decode()


def test_the_page_checks_then_imports(client_as, cast):
    office = client_as("office")
    page = office.post("/cases/import/", {"file": xlsx(BAD_ROWS), "action": "check"}).content.decode()
    assert "检查未通过" in page and "第 3 行" in page and "身份证号校验位不正确" in page
    assert "第 7 行" in page and "“传真”不是可选的值" in page
    assert not Case.objects.exists()
    page = office.post("/cases/import/", {"file": xlsx(BAD_ROWS), "action": "import"}).content.decode()
    assert "未导入，数据库未作任何修改" in page and not Case.objects.exists()

    response = office.post("/cases/import/", {"file": xlsx([row(), row()]), "action": "import"}, follow=True)
    assert response.redirect_chain[-1][0] == "/cases/import/"
    assert "导入完成：共 2 行，新建信访事项 2 件" in response.content.decode()
    assert Case.objects.count() == 2


def test_the_page_refuses_what_is_not_an_xlsx_file_and_too_big_files(client_as, monkeypatch):
    office = client_as("office")
    csv = io.BytesIO(b"a,b\n1,2\n")
    csv.name = "信访.csv"
    page = office.post("/cases/import/", {"file": csv, "action": "check"}).content.decode()
    assert "不是 .xlsx 格式的 Excel 文件" in page
    renamed = io.BytesIO(b"not a zip")
    renamed.name = "信访.xlsx"
    page = office.post("/cases/import/", {"file": renamed, "action": "check"}).content.decode()
    assert "不是 .xlsx 格式的 Excel 文件" in page
    monkeypatch.setattr("xinfang.cases.views.IMPORT_MAX_ROWS", 3)
    page = office.post("/cases/import/", {"file": xlsx([row()] * 4), "action": "check"}).content.decode()
    assert "文件有 4 行，网页一次最多导入 3 行" in page and "import_petitions" in page
    monkeypatch.setattr("xinfang.cases.forms.MAX_BYTES", 1024)
    page = office.post("/cases/import/", {"file": xlsx([row()] * 20), "action": "check"}).content.decode()
    assert "文件过大" in page
    page = office.post("/cases/import/", {"action": "check"}).content.decode()
    assert "请选择要导入的 Excel 文件" in page


def test_the_template_round_trips_through_the_importer(client_as, cast):
    response = client_as("office").get("/cases/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == [DATA_SHEET, HELP_SHEET]
    sheet = book[DATA_SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.comment is not None for c in sheet[1])
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    # Drop-downs for the words, the villages and the categories; a whole number for 人数.
    assert validated == {"A2", "B2", "H2", "I2", "L2", "M2", "N2", "O2", "P2"}
    villages = [c.value for c in book["选项"]["A"]]
    assert "青松村" in villages and cast["h_village"].village.name not in villages

    # Blank, it holds no rows; filled in, it imports as is.
    out = io.BytesIO(response.content)
    assert "没有数据" in petitions_import(out, cast["office"], dry_run=True).errors[0].message
    sheet.append([row().get(h) for h in HEADERS])
    filled = io.BytesIO()
    book.save(filled)
    result = petitions_import(filled, cast["office"], dry_run=False)
    assert result.ok, result.report()
    assert Case.objects.get().title == "宅基地边界纠纷"

    # The example on the help sheet is a valid row too.
    guide = list(book[HELP_SHEET].iter_rows(min_row=5, max_col=3, values_only=True))
    example = {header: value for header, _, value in guide if header}
    assert list(example) == HEADERS
    result = petitions_import(xlsx([example]), cast["office"], dry_run=True)
    assert result.ok, result.report()


# --- the command -------------------------------------------------------------------------------


def test_the_command_prints_the_same_report(cast, tmp_path, capsys):
    path = tmp_path / "信访.xlsx"
    path.write_bytes(xlsx(BAD_ROWS).getvalue())
    with pytest.raises(CommandError, match="检查未通过"):
        call_command("import_petitions", str(path), "--user", "office", "--dry-run")
    assert "第 3 行［身份证号］：身份证号校验位不正确" in capsys.readouterr().out
    path.write_bytes(xlsx([row()]).getvalue())
    with pytest.raises(CommandError, match="不是镇信访联席办账号"):
        call_command("import_petitions", str(path), "--user", "village1")
    call_command("import_petitions", str(path), "--user", "office")
    assert "导入完成：共 1 行" in capsys.readouterr().out
    assert Case.objects.count() == 1


def test_the_documentation_lists_every_column():
    from django.conf import settings

    text = (settings.BASE_DIR / "docs" / "import.md").read_text()
    assert all(f"| {c.header} | {'是' if c.required else '否'} |" in text for c in COLUMNS)
