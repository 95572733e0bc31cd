from django.db import models


class AuditEventType(models.TextChoices):
    LOGIN_SUCCESS = "login_success", "登录成功"
    LOGIN_FAILURE = "login_failure", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    VIEW_PERSONAL_DATA = "view_personal_data", "查看个人信息"
    LOAD_CONFIG = "load_config", "导入镇配置"
    ISSUE_TOKEN = "issue_token", "签发访问令牌"
    EXPORT = "export", "导出"
    DENIED = "denied", "越权访问被拒绝"
