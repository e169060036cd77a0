"""B1 with BuildKit in the real app, by mouse: a folder whose Dockerfile has
today's `RUN --mount=type=cache` and a secret. The builder is BuildKit by
default; the cache column fills (ran, then cached), the CLI line is the
BuildKit one, and a failing step is marked at its line."""

import re
import subprocess
import uuid

from conftest import docker
from test_build import build_and_wait, caches
from test_foundation import shown_text

DOCKERFILE = """FROM berth-fixture/busybox:1
LABEL berth.e2e={salt}
RUN --mount=type=cache,target=/cache sh -c 'echo {salt} > /cache/seen; echo {salt} > /salt'
COPY src/ /src/
RUN --mount=type=secret,id=tok sh -c 'wc -c < /run/secrets/tok > /len'
"""


def buildkit_cli():
    """The line Berth shows for this computer's docker CLI: its own BuildKit
    client before 23.0, buildx's from then."""
    out = subprocess.run(["docker", "--version"], capture_output=True, text=True).stdout
    major = int(re.search(r"version (\d+)\.", out).group(1))
    return "docker buildx build" if major >= 23 else "DOCKER_BUILDKIT=1 docker build"


def test_a_buildkit_folder_builds_by_mouse_with_a_secret_the_cache_column_and_a_failure(launch, tmp_path):
    salt = uuid.uuid4().hex[:8]
    tag = f"berth-e2e-bk-{salt}:1"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("alpha\n")
    (tmp_path / "Dockerfile").write_text(DOCKERFILE.format(salt=salt))
    secret = tmp_path / "token"
    secret.write_text("abcdefgh")
    (tmp_path / ".dockerignore").write_text("token\n")
    made = []
    try:
        app = launch()
        app.find('[data-testid="nav-build"]').click()
        builder = app.find('[data-testid="build-builder"]')
        app.wait(lambda: builder.get_attribute("value") == "buildKit", what="BuildKit chosen")
        assert "BuildKit" in shown_text(app.find('[data-testid="build-builder-explain"]'))
        app.find('[data-testid="build-folder"]').send_keys(str(tmp_path))
        # Before a tag is typed, the placeholder as Docker reads it; once the
        # tag is read, its line takes the example's place and the form below
        # stays where it was (a click aimed at "+ secret" lands on it).
        example = app.find('[data-testid="build-reference-example"]')
        assert "docker.io/library/myapp:1" in shown_text(example), shown_text(example)
        add = app.find('[data-testid="build-add-secret"]')
        before = add.location
        app.find('[data-testid="build-tag"]').send_keys(tag)
        read = app.find('[data-testid="build-reference"]')
        app.wait(lambda: f"docker.io/library/{tag}" in shown_text(read), what="the tag read")
        assert not app.all('[data-testid="build-reference-example"]')
        assert add.location == before, (before, add.location)
        add.click()
        app.find('[data-testid="build-secret-id"]').send_keys("tok")
        app.find('[data-testid="build-secret-src"]').send_keys(str(secret))
        app.wait(lambda: len(app.all('[data-testid="build-step"]')) == 5, what="the Dockerfile shown")

        first = build_and_wait(app, "the first build's steps", tag, made)
        assert first == {1: "base", 2: "config", 3: "miss", 4: "miss", 5: "miss"}, first
        cli = [c.text for c in app.all('[data-testid="cli-command"]')]
        assert any(c.startswith(f"{buildkit_cli()} -t") and f"--secret 'id=tok,src={secret}'" in c for c in cli), cli
        assert docker("run", "--rm", tag, "cat", "/len").stdout.strip() == "8"
        second = build_and_wait(app, "the second build's steps", tag, made)
        assert second == {1: "base", 2: "config", 3: "hit", 4: "hit", 5: "hit"}, second
        app.shot("buildkit-cached")

        (tmp_path / "src" / "a.txt").write_text("ALPHA\n")
        third = build_and_wait(app, "the third build's steps", tag, made)
        assert third == {1: "base", 2: "config", 3: "hit", 4: "miss", 5: "miss"}, third
        row5 = app.find('[data-testid="build-step"][data-step="5"]')
        assert "because of step 4" in row5.text, row5.text

        (tmp_path / "Dockerfile.bad").write_text("FROM berth-fixture/busybox:1\n\nRUN echo going && exit 7\n")
        app.find('[data-testid="build-dockerfile"]').send_keys("Dockerfile.bad")
        app.wait(lambda: len(app.all('[data-testid="build-step"]')) == 2, what="the other Dockerfile shown")
        app.find('[data-testid="build-start"]').click()
        error = app.find('[data-testid="build-error"]', timeout=60)
        assert "exit code: 7" in error.text and "line 3" in error.text, error.text
        failed = app.find("tr.failed")
        assert failed.get_attribute("data-line") == "3"
        assert "exit code: 7" in app.find('[data-testid="build-failure"]').text
        app.shot("buildkit-failed")
    finally:
        docker("image", "rm", tag, *set(made), check=False)
        docker("image", "prune", "-f", "--filter", f"label=berth.e2e={salt}", check=False)
