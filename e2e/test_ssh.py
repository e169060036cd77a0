"""E5a/E5c in the real app: add an SSH engine by mouse (a real OpenSSH
server on 127.0.0.1 whose "remote" is this machine), see its host key's
fingerprint as `ssh-keygen -lf` prints it, trust it, save it as a docker
context, switch to it, see its containers, and switch back."""

import os
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from conftest import docker, free_port
from test_foundation import row_present, shown_text


@pytest.fixture
def sshd():
    d = Path(tempfile.mkdtemp(prefix="berth-sshd-"))
    for k in ("host_key", "user_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(d / k)], check=True)
    (d / "authorized_keys").write_text((d / "user_key.pub").read_text())
    port = free_port()
    os.makedirs("/run/sshd", exist_ok=True)
    (d / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nAuthorizedKeysFile {d}/authorized_keys\n"
        f"PidFile {d}/sshd.pid\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
    )
    proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(d / "sshd_config")], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield d, port
    subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)], check=False)
    proc.kill()
    proc.wait()


def test_add_an_ssh_engine_trust_its_key_see_its_containers_and_switch_back(launch, sshd):
    d, port = sshd
    home = Path(tempfile.mkdtemp(prefix="berth-home-"))
    (home / ".ssh").mkdir()
    key = home / ".ssh" / "id_ed25519"
    key.write_bytes((d / "user_key").read_bytes())
    key.chmod(0o600)
    cname = f"berth-e2e-ssh-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", cname, "berth-fixture/busybox:1", "sleep", "600")
    env = {"HOME": str(home), "DOCKER_CONFIG": str(home / ".docker"), "XDG_RUNTIME_DIR": str(home / "run"), "SSH_AUTH_SOCK": None}
    host = f"ssh://root@127.0.0.1:{port}"
    try:
        app = launch(env=env)
        app.find('[data-testid="nav-engine"]', timeout=20).click()
        app.find('[data-testid="context-add-open"]', timeout=15).click()
        app.find('[data-testid="context-name"]').send_keys("lab")
        app.find('[data-testid="context-host"]').send_keys(host)
        app.find('[data-testid="context-test"]').click()
        app.find('[data-testid="host-key"]', timeout=20)
        shown = shown_text(app.find('[data-testid="host-key-fingerprint"]'))
        printed = subprocess.run(["ssh-keygen", "-lf", str(d / "host_key.pub")], capture_output=True, text=True, check=True).stdout
        assert shown == printed.split()[1], (shown, printed)
        app.wd.execute_script("arguments[0].scrollIntoView()", app.find('[data-testid="host-key"]'))
        app.shot("ssh-host-key")
        app.find('[data-testid="host-key-trust"]').click()
        app.find('[data-testid="context-test-ok"]', timeout=20)
        assert f"[127.0.0.1]:{port} ssh-ed25519" in (home / ".ssh" / "known_hosts").read_text()
        app.find('[data-testid="context-save"]').click()
        row = '[data-testid="context-row"][data-name="lab"]'
        app.find(row, timeout=10)
        app.find(row + ' [data-testid="context-use"]').click()
        app.wait(
            lambda: app.all('[data-testid="engine-endpoint"]') and shown_text(app.find('[data-testid="engine-endpoint"]')) == host,
            timeout=30,
            what="connected over SSH",
        )
        app.shot("ssh-engine")
        app.find('[data-testid="nav-containers"]').click()
        app.wait(lambda: row_present(app, cname), timeout=20, what="the remote's containers")

        app.find('[data-testid="nav-engine"]').click()
        app.find('[data-testid="context-row"][data-name="default"] [data-testid="context-use"]', timeout=15).click()
        app.wait(
            lambda: app.all('[data-testid="engine-endpoint"]') and shown_text(app.find('[data-testid="engine-endpoint"]')).startswith("unix://"),
            timeout=30,
            what="back on the local engine",
        )
    finally:
        docker("rm", "-f", cname, check=False)
