"""E5b/E5c in the real app: add a TCP engine by mouse. With no certificates
the form warns that plain TCP hands the machine to anyone on the port and
will not save until that is accepted; given the CA, the client certificate
and its key, "Test connection" reaches a real second dockerd running with
--tlsverify on loopback, the context is saved (the docker CLI reads it too),
used, and its engine shown; then back to the local engine.

The second dockerd gets a bridge of its own and no iptables rules: never
--bridge=none in the host's namespace (it deletes docker0)."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import free_port
from test_foundation import shown_text
from test_korean import click


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def sign(d: Path, name: str, ext: str):
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", f"{name}-key.pem", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
    (d / f"{name}.ext").write_text(ext)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=d)


@pytest.fixture
def tls_engine():
    d = Path(tempfile.mkdtemp(prefix="berth-tls-"))
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Berth e2e CA", cwd=d)
    sign(d, "server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    sign(d, "client", "extendedKeyUsage=clientAuth\n")
    port = free_port()
    bridge = f"berthe2e{os.getpid() % 100000}"
    subprocess.run(["ip", "link", "add", bridge, "type", "bridge"], check=False)
    subprocess.run(["ip", "addr", "add", f"10.214.{os.getpid() % 200}.1/24", "dev", bridge], check=False)
    subprocess.run(["ip", "link", "set", bridge, "up"], check=False)
    (d / "daemon.json").write_text("{}")
    log = open(d / "dockerd.log", "w")
    proc = subprocess.Popen(
        ["dockerd", "--config-file", str(d / "daemon.json"), "--data-root", str(d / "data"),
         "--exec-root", str(d / "x"), "--pidfile", str(d / "dockerd.pid"),
         "-H", f"unix://{d}/docker.sock", "-H", f"tcp://127.0.0.1:{port}",
         "--tlsverify", "--tlscacert", str(d / "ca.pem"), "--tlscert", str(d / "server.pem"),
         "--tlskey", str(d / "server-key.pem"),
         "--bridge", bridge, "--iptables=false", "--ip-masq=false", "--storage-driver", "vfs"],
        stdout=subprocess.DEVNULL, stderr=log,
    )
    for _ in range(300):
        try:
            if (d / "docker.sock").exists():
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
        except OSError:
            pass
        time.sleep(0.1)
    else:
        raise AssertionError("the TLS dockerd did not start: " + (d / "dockerd.log").read_text())
    yield d, port
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    subprocess.run(["ip", "link", "del", bridge], check=False)
    shutil.rmtree(d, ignore_errors=True)


def test_add_a_tls_engine_after_the_plain_tcp_warning_and_switch_back(launch, tls_engine):
    d, port = tls_engine
    home = Path(tempfile.mkdtemp(prefix="berth-home-"))
    env = {"HOME": str(home), "DOCKER_CONFIG": str(home / ".docker"), "XDG_RUNTIME_DIR": str(home / "run")}
    host = f"tcp://127.0.0.1:{port}"
    name = f"tls-{uuid.uuid4().hex[:6]}"
    app = launch(env=env)
    app.find('[data-testid="nav-engine"]', timeout=20).click()
    click(app, '[data-testid="context-add-open"]')
    app.find('[data-testid="context-name"]').send_keys(name)
    app.find('[data-testid="context-host"]').send_keys(host)

    # No certificates: plain TCP, warned, and not saved until accepted.
    app.find('[data-testid="context-plain-warning"]', timeout=10)
    click(app, '[data-testid="context-save"]')
    err = app.find('[data-testid="context-error-plainTcp"]', timeout=10)
    assert host in shown_text(err), shown_text(err)
    assert not (home / ".docker" / "contexts").exists(), "nothing saved before the warning is accepted"

    # The CA alone: the engine asks for a client certificate, and says so.
    app.find('[data-testid="context-ca"]').send_keys(str(d / "ca.pem"))
    app.wait(lambda: not app.all('[data-testid="context-plain-warning"]'), what="the warning gone with TLS files")
    click(app, '[data-testid="context-test"]')
    failed = app.find('[data-testid="context-test-failed"]', timeout=20)
    assert "client certificate" in shown_text(failed), shown_text(failed)

    app.find('[data-testid="context-cert"]').send_keys(str(d / "client.pem"))
    app.find('[data-testid="context-key"]').send_keys(str(d / "client-key.pem"))
    click(app, '[data-testid="context-test"]')
    app.find('[data-testid="context-test-ok"]', timeout=20)
    app.wd.execute_script("arguments[0].scrollIntoView({block: 'center'})", app.find('[data-testid="context-tls"]'))
    app.shot("tls-add-engine")
    click(app, '[data-testid="context-save"]')
    row = f'[data-testid="context-row"][data-name="{name}"]'
    app.find(row, timeout=10)
    assert shown_text(app.find(row)).count("TLS") == 1

    # The docker CLI reads the same context.
    cli = subprocess.run(
        ["docker", "--context", name, "info", "--format", "{{.DockerRootDir}}"],
        env={**os.environ, "DOCKER_CONFIG": str(home / ".docker"), "DOCKER_HOST": ""},
        capture_output=True, text=True,
    )
    assert cli.stdout.strip() == str(d / "data"), cli.stderr

    # Edited by mouse: the form comes back filled (its TLS files the
    # context's own), a description added, saved as `docker context update`.
    click(app, row + ' [data-testid="context-edit"]')
    assert app.find('[data-testid="context-name"]').get_attribute("readonly") is not None
    assert app.find('[data-testid="context-ca"]').get_attribute("value").endswith("/docker/ca.pem")
    app.find('[data-testid="context-description"]').send_keys("the lab's TLS engine")
    click(app, '[data-testid="context-save"]')
    app.wait(lambda: "the lab's TLS engine" in shown_text(app.find(row)), timeout=10, what="the edit listed")
    inspected = subprocess.run(
        ["docker", "context", "inspect", name],
        env={**os.environ, "DOCKER_CONFIG": str(home / ".docker")},
        capture_output=True, text=True, check=True,
    )
    assert json.loads(inspected.stdout)[0]["Metadata"]["Description"] == "the lab's TLS engine"

    click(app, row + ' [data-testid="context-use"]')
    app.wait(
        lambda: app.all('[data-testid="engine-root-dir"]')
        and shown_text(app.find('[data-testid="engine-root-dir"]')) == str(d / "data"),
        timeout=30,
        what="connected to the TLS engine",
    )
    assert shown_text(app.find('[data-testid="engine-endpoint"]')) == host
    app.shot("tls-engine")

    click(app, '[data-testid="context-row"][data-name="default"] [data-testid="context-use"]')
    app.wait(
        lambda: app.all('[data-testid="engine-endpoint"]')
        and shown_text(app.find('[data-testid="engine-endpoint"]')).startswith("unix://"),
        timeout=30,
        what="back on the local engine",
    )
