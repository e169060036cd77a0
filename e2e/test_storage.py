"""S1, S2, N1 in the real app: create a volume, run a container with it from
the Run dialog, and see it under Storage with its kind and mode; the
networks screen shows the default bridge from the host's side."""

import uuid

from conftest import docker
from test_foundation import shown_text


def test_a_volume_made_here_and_used_by_a_run_shows_under_storage(launch):
    tag = uuid.uuid4().hex[:8]
    vol, cname = f"berth-e2e-vol-{tag}", f"berth-e2e-volrun-{tag}"
    try:
        app = launch()
        app.find('[data-testid="nav-volumes"]', timeout=20).click()
        app.find('[data-testid="volume-name"]').send_keys(vol)
        app.find('[data-testid="volume-create"]').click()
        row = f'[data-testid="volume-row"][data-name="{vol}"]'
        app.wait(lambda: app.all(row), what="the new volume")
        assert "unused" in shown_text(app.find(row + ' [data-testid="volume-users"]'))

        app.find('[data-testid="nav-containers"]').click()
        app.find('[data-testid="run-open"]').click()
        app.find('[data-testid="run-image"]').send_keys("berth-fixture/busybox:1")
        app.find('[data-testid="run-name"]').send_keys(cname)
        app.find('[data-testid="run-command"]').send_keys("sleep 600")
        app.find('[data-testid="run-add-volume"]').click()
        app.find('[data-testid="run-volume-name"]').send_keys(vol)
        app.find('[data-testid="run-volume-target"]').send_keys("/data")
        expected = f"docker run --name {cname} -v {vol}:/data -d berth-fixture/busybox:1 sleep 600"
        app.wait(
            lambda: app.all('[data-testid="run-dialog"] [data-testid="cli-command"]')
            and shown_text(app.find('[data-testid="run-dialog"] [data-testid="cli-command"]')) == expected,
            what="the docker run line",
        )
        app.find('[data-testid="run-submit"]').click()
        app.find('[data-testid="container-details"]', timeout=15)

        app.find('[data-testid="nav-volumes"]').click()
        storage = f'[data-testid="storage-row"][data-container="{cname}"]'
        app.wait(lambda: app.all(storage), timeout=15, what="the container under Storage")
        r = app.find(storage)
        assert (r.get_attribute("data-kind"), r.get_attribute("data-mode")) == ("volume", "rw")
        assert vol in shown_text(r) and "/data" in shown_text(r)
        app.wait(lambda: cname in shown_text(app.find(row + ' [data-testid="volume-users"]')), what="the volume's user")
        app.shot("storage")

        app.find('[data-testid="nav-networks"]').click()
        bridge = app.find('[data-testid="network"][data-name="bridge"]', timeout=15)
        assert "docker0" in shown_text(bridge.find_element("css selector", '[data-testid="network-host"]'))
    finally:
        docker("rm", "-f", cname, check=False)
        docker("volume", "rm", "-f", vol, check=False)
