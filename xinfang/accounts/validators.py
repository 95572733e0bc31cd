import string

from django.core.exceptions import ValidationError

CLASSES = {
    "大写字母": lambda c: c in string.ascii_uppercase,
    "小写字母": lambda c: c in string.ascii_lowercase,
    "数字": str.isdigit,
    "符号": lambda c: not c.isalnum() and not c.isspace(),
}


class CharacterClassValidator:
    """At least `required_classes` of: upper case, lower case, digit, symbol (等保 password rules)."""

    def __init__(self, required_classes: int = 3):
        self.required_classes = required_classes

    def validate(self, password, user=None):
        present = [name for name, test in CLASSES.items() if any(test(c) for c in password)]
        if len(present) < self.required_classes:
            missing = "、".join(n for n in CLASSES if n not in present)
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.required_classes} 类，"
                f"当前只有 {len(present)} 类（缺少：{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.required_classes} 类。"


class MinimumLengthValidator:
    """Django's rule with a Chinese message (Django 5.2's new wording has no Chinese translation yet)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少 {self.min_length} 位，当前只有 {len(password)} 位。",
                code="password_too_short",
            )

    def get_help_text(self):
        return f"密码至少 {self.min_length} 位。"
