import time

from huey import crontab
from huey.contrib.djhuey import HUEY, periodic_task

from .dbstats import planner_stats_refresh
from .health import HEARTBEAT_KEY


@periodic_task(crontab(minute="*"))
def consumer_heartbeat():
    """Lets /healthz tell whether a consumer is running (it writes at least once a minute)."""
    HUEY.storage.put_data(HEARTBEAT_KEY, str(time.time()).encode())


@periodic_task(crontab(hour="3", minute="17"))
def planner_stats_nightly():
    """Fresh planner statistics every night, for the day's new cases (see core.dbstats)."""
    planner_stats_refresh()
