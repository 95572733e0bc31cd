"""`make run`: gunicorn and the job consumer in the foreground; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from xinfang.demo.accounts import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "启动网页服务（gunicorn）和后台任务进程（huey），前台运行，Ctrl-C 全部停止。"

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=int(os.environ.get("XINFANG_WORKERS", "2")))

    def handle(self, *args, workers, **options):
        host = os.environ.get("HOST", "127.0.0.1")
        port = os.environ.get("PORT", "8000")
        python = sys.executable
        procs = [
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-" if os.environ.get("XINFANG_ACCESS_LOG") else "/dev/null",
                    "--graceful-timeout",
                    "5",
                ]
            ),
            subprocess.Popen([python, "manage.py", "run_huey", "--workers", "2", "--flush-locks", "--quiet"]),
        ]
        shown = "localhost" if host in ("0.0.0.0", "::") else host
        names = "、".join(a.username for a in DEMO_ACCOUNTS)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "信访工作平台已启动",
                    f"  地址：http://{shown}:{port}",
                    f"  演示账号：{names}",
                    f"  演示密码：{settings.XINFANG_DEMO_PASSWORD}",
                    f"  数据目录：{settings.DATA_DIR}",
                    "  按 Ctrl-C 停止。",
                    "",
                ]
            )
        )
        self.stdout.flush()

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.time() + 10
            for p in procs:
                try:
                    p.wait(timeout=max(deadline - time.time(), 0.1))
                except subprocess.TimeoutExpired:
                    p.kill()
            self.stdout.write("已停止。")
        failed = [p for p in procs if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise SystemExit("有进程异常退出，已全部停止。请查看上方日志。")
