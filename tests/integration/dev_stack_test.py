#!/usr/bin/python3
"""`tools/dev up` as a developer runs it, with real processes: its help; the layout it records and
`slihub --region` reading it; tokens files readable by their owner only; a second `up` on the
same state directory refused before it touches anything; supervision (Redis killed: the hubs keep
serving and Redis comes back; a service killed: named, restarted with doubling back-off, the other
hub untouched); SIGTERM stopping everything. Federation: EE and SE are each other's peers (every
service reports the dependency hub.<other region> UP, i.e. its change feed is in sync; peers files
as documented), and a peer hub's certificate is refused for writes but admitted to
FederationService.WatchChanges. TLS: the development CA and one certificate per service naming it;
plaintext refused; the CLI trusts the CA through SLIHUB_CA_CERT.

Run by ctest with --root <source dir> --build <build dir>; free ports, its own state directory."""

import argparse
import csv
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

import grpc

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


def metadata(token):
    return [("authorization", "Bearer " + token)] if token else []


def call_code(endpoint, method, token, credentials):
    """The status code of a unary call of `method` with an empty request and `token` (may be
    empty) over TLS with `credentials` (None: plaintext)."""
    channel = (grpc.insecure_channel(endpoint) if credentials is None
               else grpc.secure_channel(endpoint, credentials))
    with channel:
        call = channel.unary_unary(method)
        try:
            call(b"", metadata=metadata(token), timeout=5)
            return grpc.StatusCode.OK
        except grpc.RpcError as e:
            return e.code()


def first_change_message(endpoint, token, credentials):
    """The first WatchChanges message (bytes) from the hub at `endpoint` presenting `token` (may be
    empty) over TLS with `credentials`, or the status code that ended the stream first."""
    with grpc.secure_channel(endpoint, credentials) as channel:
        watch = channel.unary_stream("/slihub.common.v1.FederationService/WatchChanges")
        stream = watch(b"", metadata=metadata(token), timeout=5)
        try:
            for message in stream:
                return message
            return grpc.StatusCode.OK
        except grpc.RpcError as e:
            return e.code()
        finally:
            stream.cancel()


def dependency_states(cli, endpoint, token):
    """{dependency: state} from `slihub status` (its DEPENDENCY KIND STATE table)."""
    out = subprocess.run([cli, "status", "--endpoint", endpoint, "--token", token],
                         capture_output=True, text=True).stdout
    states = {}
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 3:
            states[parts[0]] = parts[2]
    return states


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# --regions all puts the nine hubs on their usual ports (EE 7100, SE 7200, EM 7300, ... YH 7900,
# services on base+1..base+4) and Redis on 7190.
ALL_REGIONS = {"EE": 7100, "EM": 7300, "LDN": 7400, "NE": 7500, "NW": 7600, "SE": 7200,
               "SW": 7700, "WM": 7800, "YH": 7900}


def check_all_regions(c, dev_bin, cli, env):
    """`tools/dev up --regions all`: the nine regions' hubs (36 services) up within 60 s on this
    machine, each a peer of the other eight, each region with demo data of its own; prints the
    start time and the stack's memory. Skipped (and said so) when its fixed ports are taken."""
    ports = [base + i for base in ALL_REGIONS.values() for i in range(1, 5)] + [7190]
    if any(listening(p) for p in ports):
        print("skipped: --regions all needs ports 7101-7904 and 7190, and something listens on one")
        return
    state = tempfile.mkdtemp(prefix="slihub-devstack-all-")
    os.environ["SLIHUB_CA_CERT"] = os.path.join(state, "tls", "ca.pem")  # the CLI's calls below
    log = open(os.path.join(state, "dev-up.log"), "w+")
    start = time.time()
    dev = subprocess.Popen([dev_bin, "up", "--no-build", "--regions", "all", "--state-dir",
                            state], stdout=log, stderr=subprocess.STDOUT, env=env,
                           start_new_session=True)

    def text():
        log.seek(0)
        return log.read()
    try:
        up = wait_for(lambda: "stack is up" in text() or dev.poll() is not None, 60)
        elapsed = time.time() - start
        if not c.check(up and dev.poll() is None,
                       "--regions all is up within 60 s (%.1f s)" % elapsed):
            print(text())
            return
        print("measured: --regions all up in %.1f s from an empty state directory" % elapsed)
        conf = open(os.path.join(state, "stack.conf")).read()
        c.check(all("region.%s=%d" % rb in conf for rb in ALL_REGIONS.items()),
                "stack.conf records the nine regions:\n" + conf)
        services = [p for p in pids_by_cmdline(("--data-dir\x00%s/" % state).encode())
                    if os.readlink("/proc/%d/exe" % p).split("/")[-1].startswith("slihub-")]
        c.check(len(services) == 36, "36 service processes run (%d)" % len(services))
        total = sum(rss_kb(p) for p in services)
        print("measured: 36 services hold %.0f MB RSS (%.0f MB each on average)"
              % (total / 1024.0, total / 1024.0 / max(1, len(services))))
        c.check(all("--workers\x002\x00".encode() in open("/proc/%d/cmdline" % p, "rb").read()
                    for p in services), "--regions all runs each service with 2 workers")
        for region, base in sorted(ALL_REGIONS.items()):
            with open(os.path.join(state, region, "peers.csv")) as f:
                rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
            c.check(sorted({r[0] for r in rows}) == sorted(set(ALL_REGIONS) - {region}) and
                    len(rows) == 32, "%s/peers.csv names the other eight hubs' four services"
                    % region)
            token = open(os.path.join(state, region, "demo-token")).read().strip()
            states = {}

            def all_peers_up():
                states.update(dependency_states(cli, "127.0.0.1:%d" % (base + 2), token))
                return all(states.get("hub." + r) == "UP" for r in ALL_REGIONS if r != region)
            c.check(wait_for(all_peers_up, 20),
                    "%s placement shows its eight peer hubs UP: %s" % (region, states))
        # A region without hand-written demo data has generated homes and referrals of its own.
        ldn_token = open(os.path.join(state, "LDN", "demo-token")).read().strip()
        match = subprocess.run([cli, "placement", "match", "--referral", "LDN-r-1",
                                "--endpoint", "127.0.0.1:7402", "--token", ldn_token],
                               capture_output=True, text=True)
        found = re.search(r"(\d+) matches of (\d+) candidates", match.stdout)
        c.check(match.returncode == 0 and found is not None and int(found.group(2)) == 33,
                "LDN's demo referral is matched against one demo home per London borough: %s%s"
                % (match.stdout[:300], match.stderr))
    finally:
        if dev.poll() is None:
            dev.send_signal(signal.SIGTERM)
            try:
                dev.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(dev.pid, signal.SIGKILL)
                dev.wait()
        c.check(dev.returncode == 0, "--regions all stops on SIGTERM (rc=%s)" % dev.returncode)


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
        o in up_help.stdout for o in ("--hubs", "--regions", "--workers", "--redis-port",
                                       "--state-dir", "--log-max-mb", "--log-keep", "--no-build")),
        "tools/dev up --help lists up's options: rc=%d\n%s%s"
        % (up_help.returncode, up_help.stdout, up_help.stderr))

    for bad, why in ((["--regions", "EE,XX"], "'XX' is not a region (EE EM LDN NE NW SE SW WM YH)"),
                     (["--regions", "all", "--hubs", "EE:9100"], "give one of them"),
                     (["--hubs", "EE:9100,EE:9200"], "region EE is named twice"),
                     (["--workers", "0"], "--workers must be 1..256")):
        nowhere = os.path.join(tempfile.mkdtemp(prefix="slihub-devstack-bad-"), "state")
        refused = subprocess.run([dev_bin, "up", "--no-build", "--state-dir", nowhere] + bad,
                                 capture_output=True, text=True)
        c.check(refused.returncode != 0 and why in refused.stderr and not os.path.exists(nowhere),
                "up %s is refused before touching anything: rc=%d %s"
                % (" ".join(bad), refused.returncode, refused.stderr))

    taken = set()
    ee, se = stack.pick_base(taken), stack.pick_base(taken)
    redis_port = stack.pick_base(taken) + 1
    state = tempfile.mkdtemp(prefix="slihub-devstack-")
    # The stack runs TLS with its development CA (<state>/tls/ca.pem): the CLI trusts it.
    os.environ["SLIHUB_CA_CERT"] = os.path.join(state, "tls", "ca.pem")
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
            for name in (["demo-token", "../tls/ca.key", "../tls/%s-workforce.key" % region] +
                         ["service-tokens/" + s for s in SERVICES]):
                mode = stat.S_IMODE(os.stat(os.path.join(state, region, name)).st_mode)
                c.check(mode == 0o600, "%s/%s is mode %o, want 600" % (region, name, mode))
        # TLS: the development CA signed one certificate per service, naming it.
        for (region, svc) in sorted(ports):
            pem = os.path.join(state, "tls", "%s-%s.pem" % (region, svc))
            text_out = subprocess.run(["openssl", "x509", "-in", pem, "-noout", "-text"],
                                      capture_output=True, text=True).stdout
            c.check("URI:spiffe://slihub/region/%s/service/%s" % (region, svc) in text_out and
                    "DNS:localhost" in text_out and "IP Address:127.0.0.1" in text_out,
                    "%s names its slihub identity, localhost and 127.0.0.1" % pem)
        # Plaintext is refused by the TLS listeners.
        c.check(call_code("127.0.0.1:%d" % ports[("EE", "workforce")],
                          "/grpc.health.v1.Health/Check", "", None) == grpc.StatusCode.UNAVAILABLE,
                "a plaintext client is refused by EE workforce")
        # Federation: each hub is the other's peer.
        peer_of = {"EE": "SE", "SE": "EE"}
        for region, peer in peer_of.items():
            with open(os.path.join(state, region, "peers.csv")) as f:
                rows = sorted(tuple(r) for r in csv.reader(f) if r and not r[0].startswith("#"))
            want = sorted((peer, svc, "127.0.0.1:%d" % ports[(peer, svc)]) for svc in SERVICES)
            c.check(rows == want, "%s/peers.csv names every service of %s: %s" % (region, peer, rows))
        demo_tokens = {r: open(os.path.join(state, r, "demo-token")).read().strip()
                       for r in ("EE", "SE")}
        for (region, svc), port in sorted(ports.items()):
            dependency = "hub." + peer_of[region]
            states = {}

            def peer_up():
                states.update(dependency_states(cli, "127.0.0.1:%d" % port, demo_tokens[region]))
                return states.get(dependency) == "UP"
            c.check(wait_for(peer_up, 15), "%s %s shows %s UP: %s"
                    % (region, svc, dependency, states))
        # SE's hub certificate at EE (and EE's at SE): refused for writes, admitted to the
        # change feed.
        writes = {"workforce": "/slihub.workforce.v1.WorkforceService/RecordEmploymentPeriod",
                  "placement": "/slihub.placement.v1.PlacementService/PublishVacancy"}
        server_auth = stack.tls_credentials(state)
        for region, peer in peer_of.items():
            for svc, method in sorted(writes.items()):
                code = call_code("127.0.0.1:%d" % ports[(region, svc)], method, "",
                                 stack.tls_credentials(state, peer, svc))
                c.check(code == grpc.StatusCode.PERMISSION_DENIED,
                        "%s's hub certificate calling %s %s: %s, want PERMISSION_DENIED"
                        % (peer, region, method, code))
            for svc in SERVICES:
                got = first_change_message("127.0.0.1:%d" % ports[(region, svc)], "",
                                           stack.tls_credentials(state, peer, svc))
                c.check(isinstance(got, bytes),
                        "%s's hub certificate follows %s %s's WatchChanges: %s"
                        % (peer, region, svc, got))
            # A token of the peer's region that is not a hub token (issued here, as a hub token
            # is): no change feed for it.
            admin = subprocess.run(
                [cli, "token", "create", "--identity-db", os.path.join(state, region, "identity.db"),
                 "--subject", "%s-admin-at-%s" % (peer, region), "--region", peer,
                 "--role", "regional_admin"], capture_output=True, text=True).stdout.strip()

            def refused():
                got = first_change_message("127.0.0.1:%d" % ports[(region, "workforce")], admin,
                                           server_auth)
                return got == grpc.StatusCode.PERMISSION_DENIED
            # (the server reloads tokens every 100 ms: UNAUTHENTICATED until it has)
            c.check(admin.startswith("slh_") and wait_for(refused, 5),
                    "a regional_admin token of %s is refused %s's WatchChanges" % (peer, region))

        # Service tokens: one per service, role service, scoped to its calls, 24 h; rotated by
        # tools/dev rotate-tokens while the stack runs, peer calls going on without a restart.
        ee_db = os.path.join(state, "EE", "identity.db")

        def token_rows():
            out = subprocess.run([cli, "token", "list", "--identity-db", ee_db],
                                 capture_output=True, text=True).stdout
            return {l.split()[1]: l.split() for l in out.splitlines()[1:] if len(l.split()) >= 6}
        subjects = {svc: open(os.path.join(state, "EE", "service-tokens", svc + ".subject"))
                    .read().strip() for svc in SERVICES}
        rows = token_rows()
        pr = rows.get(subjects["peerreview"], [])
        c.check(pr[-1:] == ["DiagnosticsService/WhoAmI,DataCollectionService/ListCollections,"
                            "DataCollectionService/ListCollectionPeriods,"
                            "DataCollectionService/GetBenchmark"] and "service" in pr,
                "peerreview's token has role service, scoped to its calls: %s" % pr)
        pr_port = ports[("EE", "peerreview")]
        pids = {svc: service_pid(ports[("EE", svc)]) for svc in SERVICES}
        rotated = subprocess.run([dev_bin, "rotate-tokens", "--state-dir", state, "--grace", "2"],
                                 capture_output=True, text=True, env=env, timeout=120)
        c.check(rotated.returncode == 0 and "old service tokens revoked" in rotated.stderr,
                "tools/dev rotate-tokens: rc=%d %s" % (rotated.returncode, rotated.stderr))
        rows = token_rows()
        for svc in SERVICES:
            new = open(os.path.join(state, "EE", "service-tokens", svc + ".subject")).read().strip()
            c.check(new != subjects[svc] and rows.get(new, [""])[-2:-1] == ["active"] and
                    "revoked" in rows.get(subjects[svc], []),
                    "%s's token was replaced and the old one revoked: %s -> %s"
                    % (svc, rows.get(subjects[svc]), rows.get(new)))
        time.sleep(1.5)  # the revocation reaches data collection (token refresh), probes run
        states = dependency_states(cli, "127.0.0.1:%d" % pr_port, demo_tokens["EE"])
        c.check(states.get("peer.datacollection") == "UP",
                "peerreview still reaches data collection after the rotation: %s" % states)
        c.check({svc: service_pid(ports[("EE", svc)]) for svc in SERVICES} == pids,
                "no service restarted for the rotation")

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
    check_all_regions(c, dev_bin, cli, env)
    if c.failures:
        print("---- tools/dev up output ----")
        print(text())
        print("%d failed" % len(c.failures))
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
