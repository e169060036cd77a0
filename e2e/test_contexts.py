"""E5 in the real app: the contexts the docker CLI made are listed; using a
broken one takes the app to the engine-down screen naming it, where the
same list leads back to the default engine; the CLI agrees at each step."""

import subprocess


def cli(config, *args):
    return subprocess.run(["docker", "--config", str(config), *args], check=True, capture_output=True, text=True).stdout.strip()


def test_switch_to_a_broken_context_and_back(launch, tmp_path):
    config = tmp_path / "docker-config"
    config.mkdir()
    cli(config, "context", "create", "broken", "--description", "nothing listens here", "--docker", "host=unix:///nonexistent/berth.sock")
    cli(config, "context", "create", "remote", "--docker", "host=ssh://user@example.invalid")
    app = launch(env={"DOCKER_CONFIG": str(config), "DOCKER_HOST": None, "DOCKER_CONTEXT": None})
    app.find('[data-testid="nav-engine"]', timeout=20).click()
    app.find('[data-testid="context-row"][data-name="default"][data-current="true"]')
    remote = app.find('[data-testid="context-row"][data-name="remote"]')
    # An SSH context is an engine like any other (E5a): it can be used.
    assert "ssh://user@example.invalid" in remote.text and remote.find_elements("css selector", '[data-testid="context-use"]')
    broken = app.find('[data-testid="context-row"][data-name="broken"]')
    assert "nothing listens here" in broken.text
    broken.find_element("css selector", '[data-testid="context-use"]').click()

    app.find('[data-testid="engine-down"]', timeout=15)
    app.wait(lambda: "broken" in app.find('[data-testid="engine-down"]').text, what="the context named")
    assert cli(config, "context", "show") == "broken"
    app.shot("context-broken")
    app.find('[data-testid="context-row"][data-name="default"] [data-testid="context-use"]').click()
    app.find('[data-testid="nav-containers"]', timeout=15).click()
    app.find('[data-testid="screen-containers"]', timeout=15)
    assert cli(config, "context", "show") == "default"
