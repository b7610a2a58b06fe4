#!/usr/bin/python3
"""`tools/dev up` as a developer runs it, with real processes: its help; the layout it records and
`slihub --region` reading it; tokens files readable by their owner only; a second `up` on the
same state directory refused before it touches anything; supervision (Redis killed: the hubs keep
serving and Redis comes back; a service killed: named, restarted with doubling back-off, the other
hub untouched); SIGTERM stopping everything.

Run by ctest with --root <source dir> --build <build dir>; free ports, its own state directory."""

import argparse
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

import stack_generic_client_test as stack

SERVICES = ["workforce", "placement", "datacollection", "peerreview"]


def listening(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def pids_by_cmdline(fragment):
    """Pids of processes whose NUL-joined command line contains `fragment` (bytes)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                if fragment in f.read():
                    found.append(int(entry))
        except OSError:
            pass
    return found


def service_pid(port):
    pids = pids_by_cmdline(b"--listen\x00127.0.0.1:%d\x00" % port)
    # A restart's sleeping subshell carries the same command line until it execs.
    pids = [p for p in pids if os.readlink("/proc/%d/exe" % p).split("/")[-1].startswith("slihub-")]
    return pids[0] if pids else None


def redis_pid(port):
    pids = [p for p in pids_by_cmdline(b"redis-server") if
            b":%d" % port in open("/proc/%d/cmdline" % p, "rb").read()]
    return pids[0] if pids else None


def wait_for(predicate, timeout, step=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


class Checker:
    def __init__(self):
        self.failures = []

    def check(self, ok, what):
        print("%s: %s" % ("ok" if ok else "FAIL", what))
        if not ok:
            self.failures.append(what)
        return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--build", required=True)
    args = parser.parse_args()
    dev_bin = os.path.join(args.root, "tools", "dev")
    cli = os.path.join(args.build, "tools", "cli", "slihub")
    c = Checker()

    # Help: the comment block only; `up --help` lists up's options and succeeds.
    top = subprocess.run([dev_bin, "--help"], capture_output=True, text=True)
    c.check(top.returncode == 0 and "set -euo" not in top.stdout and
            top.stdout.splitlines()[-1].startswith("Settings (environment)"),
            "tools/dev --help prints its usage and nothing else:\n" + top.stdout)
    up_help = subprocess.run([dev_bin, "up", "--help"], capture_output=True, text=True)
    c.check(up_help.returncode == 0 and all(
        o in up_help.stdout for o in ("--hubs", "--redis-port", "--state-dir", "--log-max-mb",
                                       "--log-keep", "--no-build")),
        "tools/dev up --help lists up's options: rc=%d\n%s%s"
        % (up_help.returncode, up_help.stdout, up_help.stderr))

    taken = set()
    ee, se = stack.pick_base(taken), stack.pick_base(taken)
    redis_port = stack.pick_base(taken) + 1
    state = tempfile.mkdtemp(prefix="slihub-devstack-")
    env = dict(os.environ, SLIHUB_BUILD_DIR=args.build)
    env.pop("SLIHUB_TOKEN", None)
    log = open(os.path.join(state, "dev-up.log"), "w+")
    up_cmd = [dev_bin, "up", "--no-build", "--hubs", "EE:%d,SE:%d" % (ee, se),
              "--redis-port", str(redis_port), "--state-dir", state]
    dev = subprocess.Popen(up_cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                           start_new_session=True)

    def text():
        log.seek(0)
        return log.read()

    def healthy(port):
        return subprocess.run([cli, "health", "--endpoint", "127.0.0.1:%d" % port,
                               "--timeout-ms", "1000"], capture_output=True).returncode == 0

    ports = {(r, s): base + i + 1 for r, base in (("EE", ee), ("SE", se))
             for i, s in enumerate(SERVICES)}
    try:
        if not wait_for(lambda: "stack is up" in text() or dev.poll() is not None, 120):
            raise RuntimeError("tools/dev up did not come up:\n" + text())
        if dev.poll() is not None:
            raise RuntimeError("tools/dev up exited early:\n" + text())

        # The layout, read by the CLI's --region.
        conf = open(os.path.join(state, "stack.conf")).read()
        c.check("region.EE=%d" % ee in conf and "region.SE=%d" % se in conf and
                "pid=%d" % dev.pid in conf, "stack.conf records the layout:\n" + conf)
        cli_env = dict(env, SLIHUB_STATE_DIR=state)
        for region, base in (("EE", ee), ("SE", se)):
            h = subprocess.run([cli, "peer", "health", "--region", region], capture_output=True,
                               text=True, env=cli_env)
            c.check(h.returncode == 0 and h.stdout.startswith("127.0.0.1:%d " % (base + 4)),
                    "slihub peer health --region %s uses the recorded layout: %s%s"
                    % (region, h.stdout, h.stderr))
        for region in ("EE", "SE"):
            for name in ("demo-token", "service-token"):
                mode = stat.S_IMODE(os.stat(os.path.join(state, region, name)).st_mode)
                c.check(mode == 0o600, "%s/%s is mode %o, want 600" % (region, name, mode))
        first_line = open(os.path.join(state, "EE", "logs", "workforce.log")).readline()
        c.check(first_line.startswith("{"), "service logs are JSON lines: " + first_line)

        # A second `up` on the same state directory is refused, naming the running stack, and
        # leaves the running stack's files alone.
        logs = {p: os.path.getsize(os.path.join(state, "EE", "logs", p))
                for p in ("workforce.log", "workforce.stderr")}
        second = subprocess.run(up_cmd, capture_output=True, text=True, env=env, timeout=60)
        c.check(second.returncode == 1 and "already running" in second.stderr and
                "pid %d" % dev.pid in second.stderr and state in second.stderr and
                "EE %d-%d" % (ee + 1, ee + 4) in second.stderr and
                "redis %d" % redis_port in second.stderr,
                "a second up is refused naming the stack: rc=%d %s"
                % (second.returncode, second.stderr))
        for p, size in logs.items():
            now = os.path.getsize(os.path.join(state, "EE", "logs", p))
            c.check(now >= size, "the running stack's %s was not truncated (%d -> %d)"
                    % (p, size, now))
        c.check(dev.poll() is None and all(healthy(p) for p in ports.values()),
                "the running stack still serves after the refused second up")

        # Redis dies: no hub process stops; Redis is restarted.
        before = {k: service_pid(p) for k, p in ports.items()}
        c.check(all(before.values()), "found every service's pid: %s" % before)
        rpid = redis_pid(redis_port)
        c.check(rpid is not None, "found redis-server's pid")
        os.kill(rpid, signal.SIGKILL)
        c.check(wait_for(lambda: "redis (pid %d, port %d) exited: killed by signal 9"
                         % (rpid, redis_port) in text(), 10),
                "the supervisor names the dead redis-server")
        c.check(wait_for(lambda: redis_pid(redis_port) not in (None, rpid) and
                         listening(redis_port), 15), "redis-server was restarted")
        after = {k: service_pid(p) for k, p in ports.items()}
        c.check(after == before and dev.poll() is None,
                "no hub process stopped with Redis: %s -> %s" % (before, after))
        c.check(all(healthy(p) for p in ports.values()), "every service still SERVING")

        # One service dies: it is named and restarted; the other processes are untouched.
        victim = before[("EE", "placement")]
        vport = ports[("EE", "placement")]
        os.kill(victim, signal.SIGKILL)
        c.check(wait_for(lambda: "EE placement (pid %d, port %d) exited: killed by signal 9"
                         % (victim, vport) in text(), 10),
                "the supervisor names the dead service, its pid and status")
        c.check(wait_for(lambda: service_pid(vport) not in (None, victim) and healthy(vport), 30),
                "EE placement was restarted and serves")
        second_pid = service_pid(vport)
        others = {k: service_pid(p) for k, p in ports.items() if k != ("EE", "placement")}
        c.check(all(others[k] == before[k] for k in others),
                "the other seven services kept running: %s" % others)
        # Dying again soon after: the back-off doubles.
        os.kill(second_pid, signal.SIGKILL)
        c.check(wait_for(lambda: re.search(r"EE placement \(pid %d, port %d\) exited: killed by "
                                           r"signal 9 .*restarting in 1\.0s" % (second_pid, vport),
                                           text()) is not None, 10),
                "a second crash within the steady time doubles the back-off to 1 s")
        c.check(wait_for(lambda: service_pid(vport) not in (None, second_pid) and healthy(vport),
                         30), "EE placement was restarted again")
        c.check(dev.poll() is None, "tools/dev up is still running")

        # SIGTERM stops everything, cleanly.
        everything = [service_pid(p) for p in ports.values()] + [redis_pid(redis_port)]
        dev.send_signal(signal.SIGTERM)
        try:
            rc = dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            rc = None
        c.check(rc == 0, "tools/dev up exits 0 on SIGTERM (rc=%s)" % rc)
        c.check(wait_for(lambda: not any(os.path.exists("/proc/%d" % p) for p in everything
                                         if p), 10),
                "every process of the stack stopped")
        c.check(not os.path.exists(os.path.join(state, "stack.conf")),
                "stack.conf is removed when the stack stops")
    except Exception as e:  # pylint: disable=broad-except
        c.check(False, "%s" % e)
    finally:
        if dev.poll() is None:
            dev.send_signal(signal.SIGINT)
            try:
                dev.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(dev.pid, signal.SIGKILL)
                dev.wait()
    if c.failures:
        print("---- tools/dev up output ----")
        print(text())
        print("%d failed" % len(c.failures))
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
