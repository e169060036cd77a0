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


def test_removing_a_volume_and_a_network_in_use_is_refused_in_korean(launch):
    # Issue 15: the refusals are said as codes, so the Korean UI says them
    # in Korean, naming what is in the way.
    tag = uuid.uuid4().hex[:8]
    vol, net, cname = f"berth-e2e-kvol-{tag}", f"berth-e2e-knet-{tag}", f"berth-e2e-kuser-{tag}"
    docker("volume", "create", vol)
    docker("network", "create", net)
    docker("run", "-d", "--name", cname, "-v", f"{vol}:/data", "--network", net, "berth-fixture/busybox:1", "sleep", "600")
    try:
        app = launch()
        app.find('[data-testid="language"] option[value="ko"]', timeout=20).click()
        app.find('[data-testid="nav-volumes"]').click()
        row = f'[data-testid="volume-row"][data-name="{vol}"]'
        app.find(row + ' [data-testid="volume-remove"]').click()
        app.find(row + ' [data-testid="volume-remove-confirm"]').click()
        app.wait(lambda: app.all('[data-testid="volumes-error"]'), what="the volume refusal")
        said = shown_text(app.find('[data-testid="volumes-error"]'))
        assert f"볼륨 `{vol}`을(를) {cname}이(가) 쓰고 있습니다" in said, said
        assert "in use" not in said, said

        app.find('[data-testid="nav-networks"]').click()
        app.find(f'[data-testid="network"][data-name="{net}"] [data-testid="network-remove"]').click()
        app.wait(lambda: app.all('[data-testid="networks-error"]'), what="the network refusal")
        said = shown_text(app.find('[data-testid="networks-error"]'))
        assert f"네트워크 `{net}`에 아직 컨테이너가 연결되어 있습니다: {cname}" in said, said
        app.shot("network-in-use-ko")
    finally:
        docker("rm", "-f", cname, check=False)
        docker("volume", "rm", "-f", vol, check=False)
        docker("network", "rm", net, check=False)
