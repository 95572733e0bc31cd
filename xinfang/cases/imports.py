"""Petitions received elsewhere (the online petition platform's export, a county's referral list),
imported from an Excel file.

One column list (COLUMNS) drives the template, the header check, the row parser and docs/import.md.
Every row goes through `petition_register`, the same rules as the registration form, inside one
transaction: the real run stores every row or none, the dry run does the same work and rolls it back,
so it finds exactly what the real run would refuse (an ID number entered twice with two names, too).
"""

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils.exceptions import InvalidFileException

from xinfang.accounts.choices import Role
from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core import excel
from xinfang.core.inputs import CONTENT_MAX, moment_problem, phone_problem
from xinfang.core.scoping import scope
from xinfang.org.models import Category, Village

from .choices import Channel, Level, PetitionKind
from .models import Case
from .numbering import case_number_normalize
from .services import PetitionerIn, PetitionIn, _validate, petition_register

# Registration is the petition office's, whether one by one or from a file.
IMPORT_ROLES = frozenset({Role.OFFICE})
MAX_BYTES = 10 * 1024 * 1024  # a 10,000-row file is about 1 MB
MAX_PERSONS = 10000
DATA_SHEET = "信访导入"
HELP_SHEET = "填写说明"
LISTS_SHEET = "选项"
TEMPLATE_ROWS = 10000  # rows of the data sheet that carry the drop-downs and formats
TIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
)
YES_NO = ("是", "否")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool
    help: str
    choices: tuple[str, ...] = ()  # the allowed words, offered as a drop-down
    width: int = 12
    max_length: int | None = None


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for label in choices.labels)


COLUMNS = [
    Column("渠道", "channel", True, "来信、来访、来电、网上信访或上级交转办。", _labels(Channel), 12),
    Column(
        "交转办层级",
        "referral_level",
        False,
        "渠道为“上级交转办”时必填：县、市、省或国家（京）；其他渠道留空。",
        _labels(Level),
        11,
    ),
    Column(
        "收到时间",
        "received_at",
        True,
        "Excel 日期时间单元格，或文字如 2026-05-01 09:30（北京时间）；只填日期的按当日 0 时计。"
        "不能晚于现在。",
        width=17,
    ),
    Column("信访人姓名", "name", True, "信访人（或代表人）的姓名，最多 40 字。", width=11, max_length=40),
    Column(
        "身份证号",
        "id_number",
        False,
        "18 位，末位可为 X。请以文字格式填写：存成数字的号码后几位会丢失。同一身份证号在本镇只登记一次，"
        "已登记的须与原姓名一致。",
        width=21,
    ),
    Column(
        "手机号",
        "phone",
        False,
        "手机号（11 位）或带区号的固定电话，如 0523-12345678。",
        width=14,
        max_length=20,
    ),
    Column("住址", "address", False, "最多 200 字。", width=24, max_length=200),
    Column("所在村（居）", "village", False, "本镇村（居）的名称，须与系统中的名称一致。", width=12),
    Column(
        "人数", "persons_count", False, "1 至 10000 的整数，留空按 1 人计；达到集体访人数下限的记为集体访。"
    ),
    Column("事项", "title", True, "一句话概括反映的问题，最多 200 字。", width=28, max_length=200),
    Column(
        "诉求内容",
        "content",
        True,
        f"信访人的具体诉求，最多 {CONTENT_MAX} 字。",
        width=40,
        max_length=CONTENT_MAX,
    ),
    Column(
        "性质",
        "kind",
        False,
        "建议意见类、检举控告类或申诉求决类，留空按申诉求决类计。",
        _labels(PetitionKind),
        12,
    ),
    Column("类别", "category", False, "本镇问题类别的名称，须与系统中的名称一致；可留空。", width=14),
    Column(
        "越级去向",
        "skip_level",
        False,
        "越级信访时填去向：县、市、省或国家（京）；否则留空。",
        _labels(Level),
    ),
    Column("扬言", "has_threat", False, "是或否，留空按否计。", YES_NO, 8),
    Column("涉法涉诉", "law_related", False, "是或否，留空按否计。", YES_NO, 10),
    Column(
        "重复信访所属事项编号",
        "case",
        False,
        "本次信访是已登记事项的重复信访时，填该事项的编号，如 分信〔2026〕0001号；新事项留空。"
        "只能填导入前已在系统中的事项。",
        width=22,
    ),
]
BY_FIELD = {c.field: c for c in COLUMNS}
# Errors of the registration service, by its field names, back to the column they are about.
SERVICE_COLUMNS = {
    "channel": "渠道",
    "referral_level": "交转办层级",
    "received_at": "收到时间",
    "petitioner.name": "信访人姓名",
    "petitioner.id_number": "身份证号",
    "petitioner.village": "所在村（居）",
    "persons_count": "人数",
    "title": "事项",
    "content": "诉求内容",
    "kind": "性质",
    "category": "类别",
    "skip_level": "越级去向",
    "case": "重复信访所属事项编号",
}

NOT_XLSX = (
    "文件不是 .xlsx 格式的 Excel 文件，无法读取。请用本页提供的模板填写；"
    "旧版 .xls 或 WPS 表格文件请先“另存为”Excel 工作簿（.xlsx）。"
)


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row number Excel shows; None for a problem of the whole file
    column: str
    message: str

    def __str__(self):
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}{f'［{self.column}］' if self.column else ''}：{self.message}"


@dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    created_cases: int = 0
    repeats: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def summary(self) -> str:
        if self.ok and self.dry_run:
            return (
                f"检查通过：共 {self.rows} 行，导入后将新建信访事项 {self.created_cases} 件、"
                f"并入重复信访 {self.repeats} 次。尚未导入任何数据。"
            )
        if self.ok:
            return (
                f"导入完成：共 {self.rows} 行，新建信访事项 {self.created_cases} 件、"
                f"并入重复信访 {self.repeats} 次。"
            )
        rows = f"{self.bad_rows} 行有问题" if self.bad_rows else "文件有问题"
        head = "检查未通过" if self.dry_run else "未导入，数据库未作任何修改"
        return f"{head}：共 {self.rows} 行，{rows}，共 {len(self.errors)} 处，请修改后重新提交。"

    def report(self) -> str:
        return "\n".join([self.summary(), *(f"  {e}" for e in self.errors)])


class _RowProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- reading cells -------------------------------------------------------------------------------


def _norm(text: str) -> str:
    """Headers and words as people type them: spaces gone, half-width brackets made full-width."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        raise _RowProblem("此处应为文字，单元格却是日期。")
    return str(value).strip()


def _phone(value) -> str:
    text = _text(value)
    if problem := phone_problem(text):
        raise _RowProblem(f"{problem}。")
    return text


def _word(value, choices, column: Column, aliases: dict | None = None) -> str:
    """One of a choice's labels (or an alias) to its stored value; "" when blank."""
    text = _norm(_text(value))
    if not text:
        return ""
    by_label = {_norm(str(label)): v for v, label in choices.choices}
    by_label.update(aliases or {})
    if text in by_label:
        return by_label[text]
    raise _RowProblem(f"“{text}”不是可选的值，应为：{'、'.join(column.choices)}。")


LEVEL_ALIASES = {
    "国家": Level.NATIONAL,
    "京": Level.NATIONAL,
    "县级": Level.COUNTY,
    "市级": Level.CITY,
    "省级": Level.PROVINCE,
}
CHANNEL_ALIASES = {"网上": Channel.ONLINE, "网信": Channel.ONLINE, "交转办": Channel.REFERRAL}


def _yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text in ("", "否"):
        return False
    if text == "是":
        return True
    raise _RowProblem(f"“{text}”不可识别，应填“是”或“否”（留空按否计）。")


def _received_at(value) -> dt.datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        text = re.sub(r"\s+", " ", value.strip())
        for fmt in TIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 -- made aware just below
                break
            except ValueError:
                continue
        else:
            raise _RowProblem(f"“{text}”不是可识别的时间，请写成 2026-05-01 09:30 的形式。")
    elif isinstance(value, dt.time):
        raise _RowProblem("只有时刻没有日期，请写成 2026-05-01 09:30 的形式。")
    else:
        raise _RowProblem(f"“{value}”不是日期时间，请写成 2026-05-01 09:30 的形式，或设为日期单元格。")
    if moment.microsecond:  # Excel keeps times as fractions of a day: 09:30 may read as 09:29:59.999
        moment = moment.replace(microsecond=0) + dt.timedelta(seconds=moment.microsecond >= 500000)
    moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if problem := moment_problem(moment):
        raise _RowProblem(f"{problem}。")
    return moment


def _id_number(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _RowProblem(
            "身份证号被存成了数字，Excel 只保留 15 位有效数字，后几位已丢失。"
            "请把该列设为“文本”格式后重新填写（模板中该列已是文本格式）。"
        )
    return _text(value).upper()


def _persons(value) -> int:
    if value is None or value == "":
        return 1
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PERSONS:
        raise _RowProblem(f"人数应为 1 至 {MAX_PERSONS} 的整数。")
    return value


def _case_number_of(raw: dict) -> str:
    try:
        return case_number_normalize(_text(raw.get("case")))
    except _RowProblem:
        return ""  # reported when the row is read


class _Lookups:
    """Names of the user's town to objects, read once for the whole file."""

    def __init__(self, user, case_numbers: set[str]):
        self.villages = self._by_name(scope(Village.objects.all(), user))
        self.categories = self._by_name(scope(Category.objects.all(), user))
        self.cases: dict[str, int] = {}
        wanted = sorted(case_numbers)
        cases = scope(Case.objects.all(), user)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            self.cases.update(cases.filter(number__in=chunk).values_list("number", "pk"))

    @staticmethod
    def _by_name(queryset) -> dict[str, list]:
        found: dict[str, list] = {}
        for obj in queryset:
            found.setdefault(_norm(obj.name), []).append(obj)
        return found

    @staticmethod
    def _one(found: dict, value, what: str):
        text = _norm(_text(value))
        if not text:
            return None
        matches = found.get(text, [])
        if not matches:
            raise _RowProblem(f"本镇没有名为“{text}”的{what}，请核对名称（可在模板的下拉列表中选择）。")
        if len(matches) > 1:
            raise _RowProblem(
                f"本镇有 {len(matches)} 个名为“{text}”的{what}，无法确定是哪一个，请联系管理员。"
            )
        return matches[0]

    def village(self, value):
        return self._one(self.villages, value, "村（居）")

    def category(self, value):
        return self._one(self.categories, value, "问题类别")

    def case(self, value) -> int | None:
        text = _text(value)
        if not text:
            return None
        pk = self.cases.get(case_number_normalize(text))
        if pk is None:
            raise _RowProblem(f"没有编号为“{text}”的信访事项，或不在您的范围内。新事项请留空。")
        return pk


def _petition_in(raw: dict, lookups: _Lookups) -> tuple[PetitionIn, dict[str, str]]:
    """A row as the service's input, and the problems found on the way, by column header."""
    problems: dict[str, str] = {}

    def take(name: str, parse, default):
        column = BY_FIELD[name]
        try:
            value = parse(raw.get(name))
        except _RowProblem as exc:
            problems[column.header] = exc.message
            return default
        if column.max_length and isinstance(value, str) and len(value) > column.max_length:
            problems[column.header] = f"最多 {column.max_length} 字，现有 {len(value)} 字。"
            return default
        return value

    data = PetitionIn(
        channel=take("channel", lambda v: _word(v, Channel, BY_FIELD["channel"], CHANNEL_ALIASES), ""),
        referral_level=take(
            "referral_level", lambda v: _word(v, Level, BY_FIELD["referral_level"], LEVEL_ALIASES), ""
        ),
        received_at=take("received_at", _received_at, None),
        petitioner=PetitionerIn(
            name=take("name", _text, ""),
            id_number=take("id_number", _id_number, ""),
            phone=take("phone", _phone, ""),
            address=take("address", _text, ""),
            village=take("village", lookups.village, None),
        ),
        persons_count=take("persons_count", _persons, 1),
        title=take("title", _text, ""),
        content=take("content", _text, ""),
        kind=take(
            "kind",
            lambda v: _word(v, PetitionKind, BY_FIELD["kind"]) or PetitionKind.CLAIM,
            PetitionKind.CLAIM,
        ),
        category=take("category", lookups.category, None),
        skip_level=take("skip_level", lambda v: _word(v, Level, BY_FIELD["skip_level"], LEVEL_ALIASES), ""),
        has_threat=take("has_threat", _yes_no, False),
        law_related=take("law_related", _yes_no, False),
        case_id=take("case", lookups.case, None),
    )
    return data, problems


# --- the file -----------------------------------------------------------------------------------


def _headers(values) -> tuple[dict[int, Column], list[RowError]]:
    """Which column of the sheet holds which field; the header problems, row 1."""
    known = {_norm(c.header): c for c in COLUMNS}
    positions: dict[int, Column] = {}
    errors: list[RowError] = []
    seen: set[str] = set()
    for index, value in enumerate(values or ()):
        text = _norm(str(value)).strip("*＊") if value is not None else ""
        if not text:
            continue
        column = known.get(text)
        if column is None:
            errors.append(RowError(1, str(value).strip(), "无法识别的列名，请使用模板中的列名。"))
        elif column.header in seen:
            errors.append(RowError(1, column.header, "列名重复出现。"))
        else:
            seen.add(column.header)
            positions[index] = column
    for column in COLUMNS:
        if column.required and column.header not in seen:
            errors.append(RowError(1, column.header, "缺少此列（必填列），请使用模板中的列名。"))
    return positions, errors


def _read(file) -> tuple[bytes, str]:
    if isinstance(file, str | Path):
        path = Path(file)
        return path.read_bytes(), path.name
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(), Path(getattr(file, "name", "") or "上传文件").name


def _rows(content: bytes, result: ImportResult) -> list[tuple[int, dict]]:
    """The non-blank rows as (Excel row number, {field: cell value}); file problems go to result."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        result.errors.append(RowError(None, "", NOT_XLSX))
        return []
    try:
        sheet = book.worksheets[0]
        # Some programs write a wrong sheet size; read what is there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        positions, problems = _headers(next(rows, None))
        if problems:
            result.errors.extend(problems)
            return []
        out = []
        for number, values in enumerate(rows, start=2):
            raw = {c.field: values[i] for i, c in positions.items() if i < len(values)}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
                continue
            out.append((number, raw))
    finally:
        book.close()
    if not out:
        result.errors.append(RowError(None, "", f"表“{sheet.title}”中没有数据：请从第 2 行起逐行填写。"))
    return out


def petitions_import(
    file, acting_user, dry_run: bool, filename: str | None = None, max_rows: int | None = None
) -> ImportResult:
    """Registers every row of the file's first sheet as a petition, all or none.

    `file` is a path or an open file. The dry run does the same and rolls back: it stores nothing and
    reports every row the real run would refuse. Either holds the database's write lock while it runs
    (about 15 seconds for 10,000 rows), hence `max_rows` for the page.
    """
    if acting_user.role not in IMPORT_ROLES:
        raise PermissionDenied("Excel 导入信访由信访联席办操作，您的角色不能导入。")
    result = ImportResult(dry_run=dry_run)
    content, name = _read(file)
    name = filename or name
    rows = _rows(content, result)
    result.rows = len(rows)
    if max_rows is not None and len(rows) > max_rows:
        result.errors.append(
            RowError(
                None,
                "",
                f"文件有 {len(rows)} 行，网页一次最多导入 {max_rows} 行。"
                "请分成几个文件导入，或请系统管理员用 import_petitions 命令导入。",
            )
        )
    if result.errors:
        return result
    lookups = _Lookups(acting_user, {n for _, raw in rows if (n := _case_number_of(raw))})
    town = acting_user.town
    with transaction.atomic():
        for number, raw in rows:
            data, problems = _petition_in(raw, lookups)
            if problems:
                # The row will not be registered: say what else the registration would refuse, too.
                problems.update(
                    (SERVICE_COLUMNS.get(f, ""), m)
                    for f, m in _validate(data, town=town).items()
                    if SERVICE_COLUMNS.get(f, "") not in problems
                )
                result.errors.extend(RowError(number, c, m) for c, m in problems.items())
                continue
            try:
                petition = petition_register(data=data, acting_user=acting_user)
            except ValidationError as exc:
                for f, messages in exc.message_dict.items():
                    result.errors.extend(RowError(number, SERVICE_COLUMNS.get(f, ""), m) for m in messages)
                continue
            if petition.is_repeat:
                result.repeats += 1
            else:
                result.created_cases += 1
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                event=AuditEventType.CREATE,
                user=acting_user,
                new=_audit_values(result, name, content),
                detail=f"Excel 导入信访“{name}”{result.rows} 行：新建事项 {result.created_cases} 件，"
                f"重复信访 {result.repeats} 次",
            )
    if result.errors and not dry_run:
        audit_record(
            event=AuditEventType.CREATE,
            user=acting_user,
            success=False,
            new=_audit_values(result, name, content),
            detail=f"Excel 导入信访“{name}”{result.rows} 行未导入：{len(result.errors)} 处问题",
        )
    return result


def _audit_values(result: ImportResult, name: str, content: bytes) -> dict:
    return {
        "file": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "rows": result.rows,
        "created_cases": result.created_cases,
        "repeats": result.repeats,
        "errors": len(result.errors),
    }


# --- the template -------------------------------------------------------------------------------


def template_build(user) -> bytes:
    """The .xlsx to fill in: the data sheet first (imported as is), then 填写说明 with an example per
    column, then the town's villages and categories that the drop-downs offer."""
    villages = [v.name for v in scope(Village.objects.all(), user).order_by("order", "id")]
    categories = [c.name for c in scope(Category.objects.all(), user).order_by("order", "id")]
    out = io.BytesIO()
    # Village and category names are the town's configuration, typed by an administrator: text only.
    book = excel.workbook(out, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter"})
    head_required = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter", "font_color": "#C00000"}
    )
    text = book.add_format({"num_format": "@"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})

    sheet = book.add_worksheet(DATA_SHEET)
    named = {}
    if villages:
        named["village"] = f"='{LISTS_SHEET}'!$A$2:$A${len(villages) + 1}"
    if categories:
        named["category"] = f"='{LISTS_SHEET}'!$B$2:$B${len(categories) + 1}"
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 22)
    for index, column in enumerate(COLUMNS):
        formats = {"received_at": moment, "persons_count": None}
        sheet.set_column(index, index, column.width, formats.get(column.field, text))
        sheet.write(0, index, column.header, head_required if column.required else head)
        note = f"{'【必填】' if column.required else '【选填】'}{column.help}"
        sheet.write_comment(0, index, note, {"x_scale": 2, "y_scale": 1.6})
        source = list(column.choices) or named.get(column.field)
        if source:
            sheet.data_validation(
                1,
                index,
                TEMPLATE_ROWS,
                index,
                {
                    "validate": "list",
                    "source": source,
                    "error_title": column.header,
                    "error_message": f"请从下拉列表中选择。{column.help}"[:255],
                },
            )
    sheet.data_validation(
        1,
        COLUMNS.index(BY_FIELD["persons_count"]),
        TEMPLATE_ROWS,
        COLUMNS.index(BY_FIELD["persons_count"]),
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1,
            "maximum": MAX_PERSONS,
            "ignore_blank": True,
            "error_message": BY_FIELD["persons_count"].help,
        },
    )
    sheet.activate()

    guide = book.add_worksheet(HELP_SHEET)
    guide.set_column(0, 0, 20)
    guide.set_column(1, 1, 6)
    guide.set_column(2, 2, 28, wrap)
    guide.set_column(3, 3, 80, wrap)
    guide.write(0, 0, "信访 Excel 导入模板填写说明", bold)
    guide.write(
        1,
        0,
        f"在第一个工作表“{DATA_SHEET}”中从第 2 行起每行填一次信访，不要改动第 1 行的列名。"
        f"导入只读第一个工作表，本页和“{LISTS_SHEET}”页不会被导入。红色列名为必填列。",
    )
    guide.write_row(3, 0, ["列名", "必填", "示例", "填写说明"], bold)
    example = example_row(villages, categories)
    for offset, column in enumerate(COLUMNS, start=4):
        values = [column.header, "是" if column.required else "否", example[column.field], column.help]
        guide.write_row(offset, 0, values)

    lists = book.add_worksheet(LISTS_SHEET)
    lists.set_column(0, 1, 20)
    lists.write_row(0, 0, [BY_FIELD["village"].header, BY_FIELD["category"].header], bold)
    lists.write_column(1, 0, villages)
    lists.write_column(1, 1, categories)
    book.close()
    return out.getvalue()


def example_row(villages: list[str], categories: list[str]) -> dict:
    return {
        "channel": "网上信访",
        "referral_level": "",
        "received_at": "2026-05-01 09:30",
        "name": "赵某某",
        "id_number": "110101199003074514",
        "phone": "13912345678",
        "address": f"{villages[0] if villages else ''}三组 12 号",
        "village": villages[0] if villages else "",
        "persons_count": 1,
        "title": "宅基地边界纠纷",
        "content": "与邻居就宅基地边界发生纠纷，请求村里调解。",
        "kind": "申诉求决类",
        "category": categories[0] if categories else "",
        "skip_level": "",
        "has_threat": "否",
        "law_related": "否",
        "case": "",
    }
