"""Chinese messages for validation errors, shared by the town loader and the API, and the edit
conflict every app's services raise."""

import re


class EditConflict(Exception):
    """Somebody else saved the object since the user loaded it: nothing is written (409); str() is
    the Chinese message."""


MESSAGES = {
    "missing": "此项必填，但没有填写",
    "extra_forbidden": "不认识的字段，请检查拼写或删除",
    "none_required": "此项应留空",
    "string_type": "应为文字",
    "string_unicode": "含有无法识别的字符（如不成对的代理字符），请重新输入",
    "string_not_ascii": "只能用英文字母、数字和符号",
    "string_too_short": "不能为空",
    "string_too_long": "太长了，最多 {max_length} 个字",
    "string_pattern_mismatch": "格式不正确，只能用英文小写字母、数字、- 和 _",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_parsing_size": "数字太大，请核对",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "multiple_of": "应为 {multiple_of} 的整数倍",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "数字太长，最多 {max_digits} 位",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "iterable_type": "应为列表",
    "dict_type": "应为键值对（映射）",
    "mapping_type": "应为键值对（映射）",
    "model_type": "应为键值对（映射）",
    "model_attributes_type": "应为键值对（映射）",
    "dataclass_type": "应为键值对（映射）",
    "literal_error": "只能是以下之一：{expected}",
    "enum": "只能是以下之一：{expected}",
    "union_tag_invalid": "只能是以下之一：{expected_tags}",
    "union_tag_not_found": "缺少区分类型的字段 {discriminator}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "datetime_parsing": "日期时间格式不正确，应为 ISO 8601，如 2026-01-31T09:30:00+08:00",
    "datetime_from_date_parsing": "日期时间格式不正确，应为 ISO 8601，如 2026-01-31T09:30:00+08:00",
    "datetime_object_invalid": "日期时间不存在，请核对",
    "datetime_type": "应为日期时间，如 2026-01-31T09:30:00+08:00",
    "datetime_past": "应为过去的时间",
    "datetime_future": "应为将来的时间",
    "timezone_naive": "不应带时区",
    "timezone_aware": "须带时区，如 2026-01-31T09:30:00+08:00",
    "timezone_offset": "时区不正确",
    "date_parsing": "日期格式不正确，应为 2026-01-31 这样的形式",
    "date_from_datetime_parsing": "日期格式不正确，应为 2026-01-31 这样的形式",
    "date_from_datetime_inexact": "应为日期，不带时间，如 2026-01-31",
    "date_type": "应为日期，如 2026-01-31",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "time_type": "应为时间，如 09:30",
    "time_parsing": "时间格式不正确，应为 09:30 这样的形式",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "时长格式不正确",
    "json_invalid": "不是合法的 JSON",
    "json_type": "应为 JSON 文字",
    "bytes_type": "应为文件或文字",
    "bytes_too_short": "内容太短",
    "bytes_too_long": "内容太长",
    "bytes_invalid_encoding": "编码不正确",
    "url_type": "应为网址",
    "url_parsing": "网址格式不正确",
    "url_syntax_violation": "网址格式不正确",
    "url_too_long": "网址太长",
    "url_scheme": "网址协议不正确",
    "uuid_type": "编号格式不正确",
    "uuid_parsing": "编号格式不正确",
    "uuid_version": "编号格式不正确",
    "value_error": "{msg}",
    "assertion_error": "{msg}",
}
GENERIC = "取值不正确，请核对"
# Messages that come from code outside this project (a library's own validator) are English; a client
# never sees them: such a message is replaced by the generic Chinese one.
_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")


def zh_message(error: dict) -> str:
    """Turn one pydantic error dict into a Chinese sentence; never a word of English from a library."""
    kind = error.get("type", "")
    template = MESSAGES.get(kind)
    if template is None:
        return GENERIC
    ctx = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        msg = str(ctx.get("error", error.get("msg", "")))
        msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if not _CJK.search(msg):
            return GENERIC
        ctx["msg"] = msg
    for key in ("expected", "expected_tags"):
        if key in ctx:
            ctx[key] = str(ctx[key]).replace("'", "").replace(" or ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return re.sub(r"[ ：]*\{\w+\}", "", template)
