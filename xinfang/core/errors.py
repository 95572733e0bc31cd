"""Chinese messages for validation errors, shared by the town loader and the API, and the edit
conflict every app's services raise."""


class EditConflict(Exception):
    """Somebody else saved the object since the user loaded it: nothing is written (409); str() is
    the Chinese message."""


MESSAGES = {
    "missing": "此项必填，但没有填写",
    "extra_forbidden": "不认识的字段，请检查拼写或删除",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "太长了，最多 {max_length} 个字",
    "string_pattern_mismatch": "格式不正确，只能用英文小写字母、数字、- 和 _",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值对（映射）",
    "model_type": "应为键值对（映射）",
    "model_attributes_type": "应为键值对（映射）",
    "literal_error": "只能是以下之一：{expected}",
    "enum": "只能是以下之一：{expected}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "datetime_parsing": "日期时间格式不正确，应为 ISO 8601，如 2026-01-31T09:30:00+08:00",
    "datetime_type": "应为日期时间，如 2026-01-31T09:30:00+08:00",
    "date_parsing": "日期格式不正确，应为 2026-01-31 这样的形式",
    "date_type": "应为日期，如 2026-01-31",
    "json_invalid": "不是合法的 JSON",
    "uuid_parsing": "编号格式不正确",
    "value_error": "{msg}",
}


def zh_message(error: dict) -> str:
    """Turn one pydantic error dict into a Chinese sentence."""
    template = MESSAGES.get(error.get("type", ""))
    if template is None:
        return f"取值不正确（{error.get('msg', '')}）"
    ctx = dict(error.get("ctx") or {})
    if error.get("type") == "value_error":
        msg = str(ctx.get("error", error.get("msg", "")))
        ctx["msg"] = msg.removeprefix("Value error, ")
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template
