"""B1 in the real app: build a fixture folder, see the cache column fill
with misses, build again and see every step cached, change a copied file
and see the misses start at its COPY, then a broken Dockerfile pointed at
its line."""

import uuid

from conftest import docker

DOCKERFILE = """FROM berth-fixture/busybox:1 AS builder
LABEL berth.e2e={salt}
RUN echo {salt} > /salt
COPY deps.txt /deps.txt
COPY src/ /src/
RUN cat /salt /src/* > /out.txt

FROM berth-fixture/busybox:1
LABEL berth.e2e={salt} berth.stage=final
COPY --from=builder /out.txt /out.txt
CMD ["cat", "/out.txt"]
"""


def caches(app):
    return {
        int(r.get_attribute("data-step")): r.get_attribute("data-cache")
        for r in app.all('[data-testid="build-step"]')
    }


def build_and_wait(app, what, tag, made):
    app.find('[data-testid="build-start"]').click()
    app.wait(lambda: not app.all('[data-testid="build-done"]'), what="the old result cleared")
    app.find('[data-testid="build-done"]', timeout=60)
    app.wait(lambda: "pending" not in caches(app).values(), what=what)
    # A rebuilt tag leaves the old image dangling: each one is removed at the end.
    made.append(docker("image", "inspect", "-f", "{{.Id}}", tag).stdout.strip())
    return caches(app)


def test_build_twice_and_see_the_cache(launch, tmp_path):
    salt = uuid.uuid4().hex[:8]
    tag = f"berth-e2e-build-{salt}:1"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("alpha\n")
    (tmp_path / "deps.txt").write_text("deps\n")
    (tmp_path / "Dockerfile").write_text(DOCKERFILE.format(salt=salt))
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "huge.bin").write_bytes(b"\0" * (4 << 20))
    (tmp_path / ".dockerignore").write_text("node_modules\n")
    made = []
    try:
        app = launch()
        app.find('[data-testid="nav-build"]').click()
        # The classic builder's steps (test_buildkit.py has BuildKit's).
        app.find('[data-testid="build-builder"] option[value="classic"]').click()
        app.find('[data-testid="build-folder"]').send_keys(str(tmp_path))
        app.find('[data-testid="build-tag"]').send_keys(tag)
        app.wait(lambda: "node_modules" in app.find('[data-testid="build-ignored"]').text, what="the ignored folder")
        assert "MB" not in app.find('[data-testid="build-context"]').text, "only a few bytes are sent"

        first = build_and_wait(app, "the first build's steps", tag, made)
        assert first == {1: "base", 2: "miss", 3: "miss", 4: "miss", 5: "miss", 6: "miss", 7: "base", 8: "miss", 9: "miss", 10: "miss"}
        assert app.find('[data-testid="build-order-tip"]')
        second = build_and_wait(app, "the second build's steps", tag, made)
        assert second == {1: "base", 2: "hit", 3: "hit", 4: "hit", 5: "hit", 6: "hit", 7: "base", 8: "hit", 9: "hit", 10: "hit"}
        app.shot("build-cached")

        (tmp_path / "src" / "a.txt").write_text("ALPHA\n")
        third = build_and_wait(app, "the third build's steps", tag, made)
        assert third == {1: "base", 2: "hit", 3: "hit", 4: "hit", 5: "miss", 6: "miss", 7: "base", 8: "hit", 9: "miss", 10: "miss"}
        row6 = app.find('[data-testid="build-step"][data-step="6"]')
        assert "because of step 5" in row6.text, row6.text
        app.shot("build-changed")
        assert docker("run", "--rm", tag).stdout.split() == [salt, "ALPHA"]

        (tmp_path / "Dockerfile.bad").write_text("FROM berth-fixture/busybox:1\n\nCOPY missing.txt /\n")
        app.find('[data-testid="build-dockerfile"]').send_keys("Dockerfile.bad")
        app.wait(lambda: len(app.all('[data-testid="build-step"]')) == 2, what="the other Dockerfile shown")
        app.find('[data-testid="build-start"]').click()
        error = app.find('[data-testid="build-error"]', timeout=30)
        assert "missing.txt" in error.text and "line 3" in error.text, error.text
        failed = app.find("tr.failed")
        assert failed.get_attribute("data-line") == "3"
        assert "missing.txt" in app.find('[data-testid="build-failure"]').text
        app.shot("build-failed")
    finally:
        docker("image", "rm", tag, *set(made), check=False)
        docker("image", "prune", "-f", "--filter", f"label=berth.e2e={salt}", check=False)


def test_a_step_printing_200000_lines_keeps_the_last_ones(launch, tmp_path):
    salt = uuid.uuid4().hex[:8]
    (tmp_path / "Dockerfile").write_text(
        f"FROM berth-fixture/busybox:1\nLABEL berth.e2e={salt}\nRUN seq 1 200000\n"
    )
    app = launch()
    try:
        app.find('[data-testid="nav-build"]').click()
        # Classic: BuildKit itself clips a step's log at its own limit.
        app.find('[data-testid="build-builder"] option[value="classic"]').click()
        app.find('[data-testid="build-folder"]').send_keys(str(tmp_path))
        app.wait(lambda: len(app.all('[data-testid="build-step"]')) == 3, what="the Dockerfile shown")
        app.find('[data-testid="build-start"]').click()
        app.find('[data-testid="build-done"]', timeout=60)
        out = app.find('[data-testid="build-output"]').get_attribute("textContent")
        lines = out.split("\n")
        assert lines[-1] == "200000", lines[-3:]
        assert lines[0].startswith("… "), lines[0]
        assert int(lines[0][2:]) + len(lines) - 1 == 200000
    finally:
        docker("image", "prune", "-f", "--filter", f"label=berth.e2e={salt}", check=False)
