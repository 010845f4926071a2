"""Settings read from the environment, each in a fresh process as a server would start: bad values
are refused with the variable's name."""

from __future__ import annotations

import pytest
from processes import django_process


@pytest.mark.parametrize(("value", "days"), [(None, "7"), ("30", "30"), ("1", "1")])
def test_the_outbox_retries_for_the_days_the_environment_says(tmp_path, value, days):
    env = {"ORETRACE_DEBUG": "1"} | ({"ORETRACE_OUTBOX_RETRY_DAYS": value} if value else {})
    done = django_process(tmp_path, "print(settings.OUTBOX_RETRY_DAYS)", **env)
    assert done.stdout.strip() == days, done.stderr


def test_a_retry_period_of_no_days_is_refused_by_name(tmp_path):
    done = django_process(tmp_path, "pass", ORETRACE_DEBUG="1", ORETRACE_OUTBOX_RETRY_DAYS="0")
    assert done.returncode != 0
    assert "ORETRACE_OUTBOX_RETRY_DAYS='0': expected at least 1" in done.stderr


def test_the_login_lock_comes_from_the_environment(tmp_path):
    code = "print(settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCK_MINUTES)"
    assert django_process(tmp_path, code, ORETRACE_DEBUG="1").stdout.strip() == "5 15"
    done = django_process(
        tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_LOGIN_FAILURE_LIMIT="3", ORETRACE_LOGIN_LOCK_MINUTES="60"
    )
    assert done.stdout.strip() == "3 60", done.stderr
    refused = django_process(tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_LOGIN_FAILURE_LIMIT="none")
    assert "ORETRACE_LOGIN_FAILURE_LIMIT='none': expected a whole number" in refused.stderr
