"""Loading a town's YAML configuration: validate everything first, then write it in one transaction.

Errors are reported in Chinese with the file's line number, so that the person who edits the file
can find and fix the place. Nothing is written unless the whole file is valid.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from xinfang.audit.choices import AuditEventType
from xinfang.audit.services import audit_record
from xinfang.core.errors import zh_message

from . import config_schema as schema
from .models import Cadence, Category, Department, Grid, Person, Target, TimeLimits, Town, Village


class TownConfigError(Exception):
    """A configuration file that cannot be loaded; `problems` are Chinese sentences with line numbers."""

    def __init__(self, filename: str, problems: list[str]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class LoadResult:
    town: Town
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    not_in_file: list[str] = field(default_factory=list)


# --- reading and validating -------------------------------------------------------------------


def _node_at(root: yaml.Node, path: tuple) -> yaml.Node:
    """The deepest YAML node along `path` (keys and list indexes), for its line number."""
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                # The key itself is missing or unknown: point at the key if present, else the mapping.
                key = next((k for k, _ in node.value if k.value == part), None)
                return key or node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _label(path: tuple, model=schema.TownConfig) -> str:
    """`categories 第 2 项 › lead（牵头部门）` from a path, using the schema's Chinese titles."""
    parts = []
    title = ""
    current = model
    for part in path:
        if isinstance(part, int):
            parts.append(f"第 {part + 1} 项")
            continue
        info = getattr(current, "model_fields", {}).get(part) if current else None
        title = (info.title or "") if info else ""
        parts.append(f"{part}（{title}）" if title else str(part))
        current = _inner_model(info.annotation) if info else None
    return " › ".join(parts)


def _inner_model(annotation):
    import typing

    if isinstance(annotation, type) and issubclass(annotation, schema.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _line(root, path) -> int:
    return _node_at(root, path).start_mark.line + 1


YAML_PROBLEMS = [
    ("expected <block end>", "缩进与同一层级的其他键没有对齐"),
    ("mapping values are not allowed", "此处不能出现“键: 值”，可能是缩进错误或冒号后缺少空格"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("cannot start any token", "出现了不能使用的字符（如 Tab 制表符，缩进只能用空格）"),
    ("found unexpected end of stream", "引号没有成对"),
    ("found duplicate anchor", "锚点名称重复"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("expected <document start>", "文件结构不正确"),
    ("did not find expected key", "缩进不一致，或列表项与键混用"),
    ("did not find expected '-' indicator", "列表项的缩进不一致"),
]


def _yaml_problem(problem: str) -> str:
    for english, chinese in YAML_PROBLEMS:
        if english in problem:
            return chinese
    return "无法解析"


def read_config(path: Path) -> schema.TownConfig:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TownConfigError(name, [f"找不到配置文件 {name}，请检查路径。"]) from None
    except UnicodeDecodeError:
        raise TownConfigError(name, [f"{name} 不是 UTF-8 编码，请用 UTF-8 保存后再导入。"]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        problem = _yaml_problem(getattr(exc, "problem", "") or "")
        hint = "请检查该行及上一行的缩进（同一层级的键必须对齐，只能用空格缩进）以及冒号、引号是否成对。"
        raise TownConfigError(name, [f"{name} {where}：格式错误，{problem}。{hint}"]) from None
    if not isinstance(data, dict) or root is None:
        raise TownConfigError(name, [f"{name}：文件为空或顶层不是键值对，应以 town: 开头。"])
    try:
        config = schema.TownConfig.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{name} 第 {_line(root, e['loc'])} 行，{_label(e['loc'])}：{zh_message(e)}。"
            for e in exc.errors()
        ]
        raise TownConfigError(name, problems) from None
    problems = [
        f"{name} 第 {_line(root, loc)} 行，{_label(loc)}：{message}"
        for loc, message in _cross_reference_problems(config)
    ]
    if problems:
        raise TownConfigError(name, problems)
    return config


def _duplicates(items, key=lambda x: x.code):
    seen = {}
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            yield i, k
        seen.setdefault(k, i)


def _cross_reference_problems(c: schema.TownConfig):
    dept_codes = {d.code for d in c.departments}
    leader_codes = {leader.code for leader in c.leaders}
    for section in ("departments", "leaders", "villages", "categories", "targets", "cadences"):
        for i, code in _duplicates(getattr(c, section)):
            yield (section, i, "code"), f"代码“{code}”重复出现，同一部分内的代码必须唯一。"
    for i, leader in enumerate(c.leaders):
        for j, code in enumerate(leader.lines):
            if code not in dept_codes:
                yield (
                    ("leaders", i, "lines", j),
                    f"部门代码“{code}”未在 departments 中定义，请先添加该部门或改正代码。",
                )
    grid_codes: dict[str, tuple] = {}
    for i, v in enumerate(c.villages):
        if v.contact_leader not in leader_codes:
            yield (
                ("villages", i, "contact_leader"),
                (f"镇领导代码“{v.contact_leader}”未在 leaders 中定义，请先添加该领导或改正代码。"),
            )
        for j, g in enumerate(v.grids):
            if g.code in grid_codes:
                yield (
                    ("villages", i, "grids", j, "code"),
                    f"网格代码“{g.code}”重复出现，网格代码在全镇内必须唯一。",
                )
            grid_codes[g.code] = (i, j)
    for i, cat in enumerate(c.categories):
        if cat.lead not in dept_codes:
            yield (
                ("categories", i, "lead"),
                (f"部门代码“{cat.lead}”未在 departments 中定义，牵头部门必须是本镇已配置的部门。"),
            )
        for j, code in enumerate(cat.supporting):
            if code not in dept_codes:
                yield ("categories", i, "supporting", j), f"部门代码“{code}”未在 departments 中定义。"
            elif code == cat.lead:
                yield ("categories", i, "supporting", j), f"“{code}”已是牵头部门，不应再列为配合部门。"
        for j, matter in enumerate(cat.matters_outside_village_powers):
            if matter not in cat.matters:
                yield (
                    ("categories", i, "matters_outside_village_powers", j),
                    (f"事项“{matter}”不在本类别的 matters 中，请先在 matters 中列出。"),
                )
    for i, code in _duplicates(c.stability.risk_levels):
        yield ("stability", "risk_levels", i, "code"), f"风险等级代码“{code}”重复出现，请改用不同的代码。"
    for i, t in enumerate(c.targets):
        if t.comparison in ("at_least", "at_most") and t.threshold is None:
            yield ("targets", i, "threshold"), "比较方式为 at_least 或 at_most 时必须填写目标值。"
        if t.unit == "%" and t.threshold is not None and t.threshold > 1:
            yield ("targets", i, "threshold"), "百分比目标请用小数表示，如 90% 写作 0.90。"
    route = c.ownership.accusation_route
    if route is not None:
        if route.department not in dept_codes:
            yield (
                ("ownership", "accusation_route", "department"),
                f"部门代码“{route.department}”未在 departments 中定义，"
                "检举控告类须交本镇已配置的纪检监察部门。",
            )
        if route.leader is not None and route.leader not in leader_codes:
            yield (
                ("ownership", "accusation_route", "leader"),
                f"镇领导代码“{route.leader}”未在 leaders 中定义，请先添加该领导或改正代码。",
            )


# --- writing ----------------------------------------------------------------------------------


def _person(town, spec, *, village=None, title="", is_leader=False, code="") -> Person:
    person, _ = Person.objects.update_or_create(
        town=town,
        name=spec.name,
        phone=spec.phone,
        defaults={
            "title": getattr(spec, "title", "") or title,
            "village": village,
            "is_leader": is_leader,
            "code": code,
        },
    )
    return person


@transaction.atomic
def town_load(*, path: Path, acting_user=None) -> LoadResult:
    config = read_config(path)
    t = config.town
    town, created = Town.objects.update_or_create(
        code=t.code,
        defaults={
            "name": t.name,
            "county": t.county,
            "case_number_prefix": t.case_number_prefix,
            "is_demo": t.demo,
            **config.settings.model_dump(),
            "joint_meeting_when": config.ownership.joint_meeting_when,
            "stability": config.stability.model_dump(),
            "metrics": config.metrics.model_dump(mode="json"),
            "loaded_at": timezone.now(),
        },
    )
    TimeLimits.objects.update_or_create(town=town, defaults=config.time_limits.model_dump())

    departments = {}
    for order, d in enumerate(config.departments):
        head = _person(town, d.head) if d.head else None
        departments[d.code], _ = Department.objects.update_or_create(
            town=town, code=d.code, defaults={"name": d.name, "kind": d.kind, "head": head, "order": order}
        )

    leaders = {}
    for leader in config.leaders:
        person, _ = Person.objects.update_or_create(
            town=town,
            is_leader=True,
            code=leader.code,
            defaults={"name": leader.name, "title": leader.title, "phone": leader.phone, "village": None},
        )
        person.lines.set([departments[c] for c in leader.lines])
        leaders[leader.code] = person

    grid_count = 0
    for order, v in enumerate(config.villages):
        village = Village.objects.filter(town=town, code=v.code).first() or Village(town=town, code=v.code)
        village.name, village.kind, village.order = v.name, v.kind, order
        village.contact_leader = leaders[v.contact_leader]
        village.cadre = _person(town, v.cadre, title="分工镇干")
        # The party head belongs to the village, which must exist before it can be named.
        village.party_head = _person(town, v.party_head, title="村（居）党组织负责人")
        village.save()
        if village.party_head.village_id != village.pk:
            Person.objects.filter(pk=village.party_head.pk).update(village=village)
        for g_order, g in enumerate(v.grids):
            worker = _person(town, g.worker, village=village, title="网格员")
            Grid.objects.update_or_create(
                village=village, code=g.code, defaults={"name": g.name, "worker": worker, "order": g_order}
            )
            grid_count += 1

    route = config.ownership.accusation_route
    town.accusation_department = departments[route.department] if route else None
    town.accusation_leader = leaders[route.leader] if route and route.leader else None
    town.save(update_fields=["accusation_department", "accusation_leader"])

    for order, c in enumerate(config.categories):
        category, _ = Category.objects.update_or_create(
            town=town,
            code=c.code,
            defaults={
                "name": c.name,
                "description": c.description,
                "matters": c.matters,
                "lead": departments[c.lead],
                "within_village_powers": c.within_village_powers,
                "matters_outside_village_powers": c.matters_outside_village_powers,
                "order": order,
            },
        )
        category.supporting.set([departments[code] for code in c.supporting])

    for order, tg in enumerate(config.targets):
        Target.objects.update_or_create(
            town=town, code=tg.code, defaults={**tg.model_dump(exclude={"code"}), "order": order}
        )
    for cd in config.cadences:
        Cadence.objects.update_or_create(town=town, code=cd.code, defaults=cd.model_dump(exclude={"code"}))

    not_in_file = _not_in_file(town, config)
    counts = {
        "部门": len(config.departments),
        "镇领导": len(config.leaders),
        "村（居）": len(config.villages),
        "网格": grid_count,
        "问题类别": len(config.categories),
        "工作目标": len(config.targets),
        "会议与报告频次": len(config.cadences),
    }
    audit_record(
        event=AuditEventType.LOAD_CONFIG,
        user=acting_user,
        username=acting_user.username if acting_user else "manage.py load_town",
        target=town,
        new={"file": str(path), "created": created, **counts},
        detail=("新建" if created else "更新") + f"镇配置：{path.name}",
    )
    return LoadResult(town=town, created=created, counts=counts, not_in_file=not_in_file)


def _not_in_file(town: Town, config: schema.TownConfig) -> list[str]:
    """Objects a previous load or the app created that this file no longer lists: kept, and reported."""
    checks = [
        (Department, {d.code for d in config.departments}, "部门"),
        (Village, {v.code for v in config.villages}, "村（居）"),
        (Category, {c.code for c in config.categories}, "问题类别"),
        (Target, {t.code for t in config.targets}, "工作目标"),
        (Cadence, {c.code for c in config.cadences}, "会议与报告频次"),
    ]
    found = []
    for model, codes, label in checks:
        for obj in model.objects.filter(town=town).exclude(code__in=codes):
            found.append(f"{label}“{obj.name}”（{obj.code}）")
    return found
