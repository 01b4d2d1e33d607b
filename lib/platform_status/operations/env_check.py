"""The .env file checked before deploying, as DigitalOcean's deployer will read it.

project.yml gives the functions the whole .env as their environment. The deployer reads .env with Node's
`dotenv`; this project's command line reads it with python-dotenv. The two agree on plain values but not on
every quoting: Node's cuts an unquoted value at any `#` and keeps backslash escapes in quoted values as they
are, where python-dotenv decodes them. So a line is refused here whenever the two could differ, with the
quoting that works instead. Values are never echoed: any of them may be a secret.
"""

from __future__ import annotations

import io
import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv.parser import parse_stream

from platform_status.config import DEPLOY_REQUIRED, ConfigError, load_settings, require_override_token

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ASSIGNED = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)
# A webSecure secret is written unquoted into project.yml: letters, digits, - and _ keep it a YAML string.
_WEB_SECURE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}$")
_EXAMPLE_VALUES = {
    "UPTIME_KUMA_METRICS_URL": "https://uptime.example.com",
    "SPACES_BUCKET": "example-backups",
    "STATUS_BUCKET": "example-status",
}


@dataclass
class EnvCheck:
    values: dict[str, str] = field(default_factory=dict)  # as both readers see them, when no problem
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _raw_value(binding_text: str) -> str:
    """What follows `NAME=` on the binding's line(s), as written."""
    text = binding_text.strip()
    text = text.removeprefix("export").lstrip() if text.startswith("export ") else text
    return text.partition("=")[2].lstrip()


def _backslashes_outside_newlines(inner: str) -> bool:
    """In double quotes both readers turn \\n and \\r into line breaks; any other backslash they read apart."""
    index = 0
    while index < len(inner):
        if inner[index] == "\\":
            if inner[index + 1 : index + 2] not in ("n", "r"):
                return True
            index += 2
        else:
            index += 1
    return False


def _double_quoted(inner: str, value: str) -> str | None:
    if _backslashes_outside_newlines(inner):
        instead = "put the value in single quotes instead" if "'" not in value else "remove the backslashes"
        return f'a backslash or \\" inside double quotes is read differently by the deployer; {instead}'
    return None


def _single_quoted(inner: str) -> str | None:
    if "\\\\" in inner or "\\'" in inner:
        return "\\\\ or \\' inside single quotes is read differently by the deployer; write it without"
    return None


def _unquoted(raw: str, value: str) -> str | None:
    if "#" in value:
        return "the deployer cuts an unquoted value at #; put the value in quotes"
    if re.search(r"\s#", raw.split("\n", 1)[0]):
        return "a # after a space starts a comment; quote the value if the # belongs to it"
    return None


def quoting_problem(name: str, raw: str, value: str) -> str | None:
    """Why the deployer might read this value differently from the command line, or None."""
    if raw.startswith("`"):
        problem: str | None = "backquotes are read as quotes by the deployer only; use single quotes"
    elif raw.startswith('"'):
        problem = _double_quoted(raw[1:].rsplit('"', 1)[0], value)
    elif raw.startswith("'"):
        problem = _single_quoted(raw[1:].rsplit("'", 1)[0])
    else:
        problem = _unquoted(raw, value)
    return f"{name}: {problem}" if problem else None


def read_env_text(text: str) -> EnvCheck:
    """Parse .env text; every line the two readers could read differently is a problem."""
    check = EnvCheck()
    seen: dict[str, int] = {}
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        # python-dotenv counts from the blank lines before a binding: name the line the binding is on.
        line = binding.original.line + raw[: len(raw) - len(raw.lstrip())].count("\n")
        if binding.error:
            # Usually a quote left open (or closed early): name every variable the unreadable lines hold.
            names = _ASSIGNED.findall(raw) or [f"line {line}"]
            check.problems += [
                f"{name}: line {line} cannot be read (not NAME=value, or a quote not closed)" for name in names
            ]
            continue
        if binding.key is None:
            continue  # a comment or blank line
        name, value = binding.key, binding.value or ""
        if not _NAME.match(name):
            check.problems.append(f"line {line}: {name[:40]!r} is not a variable name")
            continue
        if name in seen:
            check.problems.append(f"{name}: set twice (lines {seen[name]} and {line})")
        seen[name] = line
        problem = quoting_problem(name, _raw_value(raw), value)
        if problem:
            check.problems.append(problem)
        check.values[name] = value
    return check


def check_env_text(text: str) -> EnvCheck:
    """The .env as a deployment needs it: readable alike by both readers, complete, and valid settings."""
    check = read_env_text(text)
    values = check.values
    for name in DEPLOY_REQUIRED:
        if not values.get(name, "").strip():
            check.problems.append(f"{name}: required")
        elif _EXAMPLE_VALUES.get(name) == values[name].strip().rstrip("/"):
            check.problems.append(f"{name}: still the value of .env.example")
    for name in ("UPTIME_KUMA_METRICS_URL", "SPACES_ENDPOINT"):
        host = urlsplit(values.get(name, "").strip()).hostname or ""
        if host == "localhost" or host.endswith(".localhost") or _is_loopback(host):
            check.problems.append(f"{name}: {host} is this machine; a deployed function cannot reach it")
    web_secure = values.get("OVERRIDE_WEB_SECURE", "")
    if web_secure != "false" and not _WEB_SECURE.match(web_secure):
        check.problems.append(
            "OVERRIDE_WEB_SECURE: false, or a secret of 16 or more letters, digits, - and _ (with a letter)"
        )
    try:
        require_override_token(load_settings(values))
    except ConfigError as error:
        already = {problem.split(":")[0] for problem in check.problems}
        check.problems += [problem for problem in error.problems if problem.split(":")[0] not in already]
    return check


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_env_file(path: Path) -> EnvCheck:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EnvCheck(problems=[f"{path}: no such file (cp .env.example .env, then fill it in)"])
    except (OSError, UnicodeDecodeError) as error:
        return EnvCheck(problems=[f"{path}: cannot be read ({type(error).__name__})"])
    return check_env_text(text)
