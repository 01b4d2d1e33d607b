"""Sending notifications through Apprise: any ALERT_URLS, plus the guide's SendGrid variables."""

from __future__ import annotations

import logging
import re

from platform_status.config import Settings
from platform_status.watch.alerts import Notification

log = logging.getLogger(__name__)


def alert_urls(settings: Settings) -> list[str]:
    """ALERT_URLS (comma or space separated), and SendGrid mapped to Apprise's sendgrid:// service."""
    urls = [
        url for url in re.split(r"[\s,]+", settings.alert_urls.get_secret_value() if settings.alert_urls else "") if url
    ]
    key, sender, admin = settings.sendgrid_api_key, settings.sendgrid_from_email, settings.sendgrid_admin_email
    if key and sender and admin:
        urls.append(f"sendgrid://{key.get_secret_value()}:{sender}/{admin}")
    return urls


def unusable_alert_urls(urls: list[str]) -> list[str]:
    """Which of the URLs Apprise does not understand, by position (a URL holds a token: never shown)."""
    import apprise  # noqa: PLC0415 - slow to import: only when asked

    sender = apprise.Apprise()
    return [
        f"alert URL #{index + 1} is not one Apprise understands"
        for index, url in enumerate(urls)
        if not sender.add(url)
    ]


def send(settings: Settings, notifications: list[Notification]) -> list[str]:
    """Send each notification to every URL; returns the problems, never raises (a failed alert must not
    fail the publish), and never puts a URL (they hold tokens) in a problem."""
    urls = alert_urls(settings)
    if not urls or not notifications:
        return []
    import apprise  # noqa: PLC0415 - imported only when there is something to send: it is slow to import

    sender = apprise.Apprise()
    problems = [
        f"alert URL #{index + 1} is not one Apprise understands"
        for index, url in enumerate(urls)
        if not sender.add(url)
    ]
    types = {"alert": apprise.NotifyType.FAILURE, "reminder": apprise.NotifyType.WARNING,
             "resolved": apprise.NotifyType.SUCCESS, "info": apprise.NotifyType.INFO}  # fmt: skip
    for notification in notifications:
        prefix = {"reminder": "Reminder: ", "resolved": "Resolved: "}.get(notification.kind, "")
        delivered: bool
        try:
            delivered = bool(
                sender.notify(
                    title=f"[platform status] {prefix}{notification.title}",
                    body=notification.body,
                    notify_type=types[notification.kind],
                )
            )
        except Exception as error:
            delivered = False
            log.warning("alert not sent: %s", type(error).__name__)
        if not delivered:
            problems.append(f"alert not delivered: {notification.title}")
    return problems
