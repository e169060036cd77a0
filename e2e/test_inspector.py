"""T1-T3 in the real app: the two-platform fixture drawn as a tree with two
platform nodes, then arm64 pulled from its node."""

from conftest import docker
from test_foundation import shown_text

REF = "127.0.0.1:5000/berth-fixture/multi:1"


def test_the_fixture_index_shows_two_platforms_and_arm64_pulls_from_its_node(launch):
    docker("image", "rm", REF, check=False)
    try:
        app = launch()
        app.find('[data-testid="nav-inspector"]', timeout=20).click()
        app.find('[data-testid="inspector-reference"]').send_keys(REF)
        app.find('[data-testid="inspector-go"]').click()
        app.find('[data-testid="inspector-tree"]', timeout=20)
        nodes = app.all('[data-testid="node-platform"]')
        platforms = sorted(n.get_attribute("data-platform") for n in nodes)
        assert platforms == ["linux/amd64", "linux/arm64/v8"], platforms
        assert len(app.all('[data-testid="node-index"]')) == 1
        assert "no local image" in shown_text(app.find('[data-testid="inspector-no-local"]')).lower()
        app.shot("inspector")

        # Its name, as a mouse would hit it.
        app.find('[data-testid="node-platform"][data-platform="linux/arm64/v8"] text.title').click()
        panel = app.find('[data-testid="inspector-panel"]')
        assert "--platform linux/arm64/v8" in shown_text(panel)
        app.find('[data-testid="inspector-pull-platform"]').click()
        app.find('[data-testid="inspector-pulled"]', timeout=30)
        assert docker("image", "inspect", "--format", "{{.Architecture}}", REF).stdout.strip() == "arm64"
        # The tree now marks where the local image came from.
        app.wait(lambda: app.all('[data-testid="inspector-local-from"]'), timeout=15, what="the local image placed")
        assert "linux/arm64/v8" in shown_text(app.find('[data-testid="inspector-local-from"]'))
        app.shot("inspector-local")
    finally:
        docker("image", "rm", REF, check=False)


def test_a_reference_inspected_is_offered_again_after_a_restart(launch):
    from conftest import Profile

    profile = Profile()
    app = launch(profile)
    app.find('[data-testid="nav-inspector"]', timeout=20).click()
    app.find('[data-testid="inspector-reference"]').send_keys(REF)
    app.find('[data-testid="inspector-go"]').click()
    app.find("text.title", timeout=20)
    offered = lambda: [o.get_attribute("data-value") for o in app.all('#recent-references-inspector [role="option"]')]
    app.wait(lambda: offered() == [REF], what="the reference remembered")
    app.wait(lambda: profile.settings_file.exists() and REF in profile.settings_file.read_text(), what="saved")
    app.quit()

    again = launch(profile)
    again.find('[data-testid="nav-inspector"]', timeout=20).click()
    again.wait(
        lambda: [o.get_attribute("data-value") for o in again.all('#recent-references-inspector [role="option"]')] == [REF],
        what="the reference offered after a restart",
    )
    assert again.find('[data-testid="inspector-reference"]').get_attribute("aria-controls") == "recent-references-inspector"
