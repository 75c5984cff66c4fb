"""The service files are valid and say what docs/deploy.md says: the Dockerfile installs
the project and runs it as a non-root user with the database on a volume, the compose file
and the systemd unit restart the bot. (CI has no Docker; these parse the files.)"""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

from config import Settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {name.upper() for name in Settings.model_fields}  # the environment variables


def _instructions(text: str) -> list[tuple[str, str]]:
    """Dockerfile instructions as (KEYWORD, arguments), continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        out.append((keyword.upper(), rest.strip()))
    return out


def test_dockerfile_installs_the_project_and_runs_it_as_non_root_on_a_volume():
    steps = _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    keywords = [k for k, _ in steps]
    assert set(keywords) <= {
        "FROM", "RUN", "COPY", "ENV", "WORKDIR", "VOLUME", "USER", "EXPOSE", "HEALTHCHECK",
        "STOPSIGNAL", "ENTRYPOINT", "CMD", "ARG", "LABEL",
    }  # fmt: skip
    assert keywords[0] == "FROM" and all("python:3.11" in a for k, a in steps if k == "FROM")
    final = max(i for i, k in enumerate(keywords) if k == "FROM")
    runtime = steps[final:]
    users = [a for k, a in runtime if k == "USER"]
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    # The project is copied and installed (pyproject.toml and every package).
    copied = " ".join(a for k, a in steps if k == "COPY")
    for part in ("pyproject.toml", "bot", "handlers", "storage", "config"):
        assert re.search(rf"\b{part}\b", copied), part
    assert any(k == "RUN" and re.search(r"pip install [^&]*\s\.(\s|$)", a) for k, a in steps)
    # The database lives on the volume.
    env = " ".join(a for k, a in runtime if k == "ENV")
    database = re.search(r"DATABASE_PATH=(\S+)", env)
    assert database
    volumes = [v for k, a in runtime if k == "VOLUME" for v in re.findall(r'"([^"]+)"', a)]
    assert any(database.group(1).startswith(v.rstrip("/") + "/") for v in volumes)
    assert ("ENTRYPOINT", '["grannvakt"]') in runtime and ("CMD", '["run"]') in runtime
    # The project's package list in pyproject.toml is what the image copies.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    packages = re.search(r"include = \[([^\]]*)\]", pyproject).group(1)
    for name in re.findall(r'"(\w+)\*"', packages):
        assert re.search(rf"COPY {name} ", (ROOT / "Dockerfile").read_text()), name


def _compose() -> dict:
    """docker-compose.yml as a dict; PyYAML if installed, else a parser for its subset
    (block mappings and lists of scalars, comments)."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "\t" not in text
    try:
        import yaml
    except ImportError:
        return _tiny_yaml(text)
    return yaml.safe_load(text)


def _tiny_yaml(text: str) -> dict:
    root: dict = {}
    stack: list[tuple[int, object]] = [(-1, root)]
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith("- "):
            assert isinstance(parent, list), line
            parent.append(shlex.split(body[2:])[0])
            continue
        key, sep, value = body.partition(":")
        assert sep and isinstance(parent, dict), line
        value = value.strip()
        if value:
            parent[key] = shlex.split(value)[0]
            continue
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        child: object = [] if nxt.startswith("- ") else {}
        parent[key] = child
        stack.append((indent, child))
    return root


def test_compose_file_restarts_the_bot_and_keeps_the_database_on_a_volume():
    compose = _compose()
    service = compose["services"]["grannvakt"]
    assert service["build"] == "."
    assert service["restart"] in ("unless-stopped", "always", "on-failure")
    assert service["env_file"] == ".env"
    database = service["environment"]["DATABASE_PATH"]
    volume, _, mount = service["volumes"][0].partition(":")
    assert database.startswith(mount + "/")
    assert volume in compose["volumes"]  # a named volume, declared
    for name in service["environment"]:
        assert name in SETTINGS, name
    for port in service.get("ports", []):
        assert port.startswith("127.0.0.1:"), "the webhook port is for the local proxy only"


def test_systemd_unit_restarts_and_runs_unprivileged():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(ROOT / "deploy" / "grannvakt.service", encoding="utf-8")
    service = unit["Service"]
    assert service["Restart"] in ("on-failure", "always")
    assert service["ExecStart"].endswith("grannvakt run")
    assert service["User"] not in ("root", "0")
    assert service["KillSignal"] == "SIGTERM"
    assert "2" in service["RestartPreventExitStatus"].split()  # settings mistakes
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert "network-online.target" in unit["Unit"]["After"]


def test_deploy_doc_covers_docker_systemd_proxies_and_one_instance():
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for needle in (
        "docker compose up",
        "deploy/grannvakt.service",
        "Caddy",
        "nginx",
        "reverse_proxy 127.0.0.1:8443",
        "proxy_pass http://127.0.0.1:8443",
        "Only one instance per bot token",
        "409 Conflict",
        "grannvakt backup --out",
        "grannvakt restore",
        "grannvakt status",
        "/healthz",
    ):
        assert needle in doc, needle
    # Every setting the page names exists.
    for name in set(re.findall(r"\b([A-Z][A-Z_]{5,})=", doc)) - {"END"}:
        assert name in SETTINGS, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Upgrading" in readme and "docs/deploy.md" in readme
    assert "/id" in readme and "ADMIN_USER_IDS" in readme
