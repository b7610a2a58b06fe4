#!/usr/bin/python3
"""End-to-end: `tools/dev up` serves two regional hubs, and a generic gRPC client that nobody
here wrote (Debian's python3-grpcio, with no slihub stubs) gets SERVING from
grpc.health.v1.Health/Check on all eight endpoints and lists the services through server
reflection. Then Ctrl-C (SIGINT) stops every process the stack started.

Run by ctest with --root <source dir> --build <build dir>; uses free ports and its own state
directory, so it never collides with other tests or a running stack."""

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time

import grpc

SERVICES = {
    "workforce": "slihub.workforce.v1.WorkforceService",
    "placement": "slihub.placement.v1.PlacementService",
    "datacollection": "slihub.datacollection.v1.DataCollectionService",
    "peerreview": "slihub.peerreview.v1.PeerReviewService",
}
COMMON = {"slihub.common.v1.DiagnosticsService", "slihub.common.v1.ReferenceDataService",
          "grpc.health.v1.Health"}


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def listening(port):
    """True while something accepts connections on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def pick_base(taken):
    """A base port B such that B+1..B+4 are free and not already chosen. Below Linux's
    ephemeral range (32768+), so client sockets and other tests' kernel-chosen ports never
    land on them."""
    for _ in range(200):
        base = random.randrange(12000, 32000, 10)
        ports = range(base + 1, base + 5)
        if all(p not in taken and port_free(p) for p in ports):
            taken.update(ports)
            return base
    raise RuntimeError("no free port range")


def read_varint(data, pos):
    result, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def fields(data):
    """Yields (field number, wire type, value) of a protobuf message; enough for this check."""
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(data, pos)
        elif wire == 2:
            length, pos = read_varint(data, pos)
            value = data[pos:pos + length]
            pos += length
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise ValueError("unexpected wire type %d" % wire)
        yield number, wire, value


def health_status(channel, service=""):
    check = channel.unary_unary("/grpc.health.v1.Health/Check")
    request = b"" if not service else b"\x0a" + bytes([len(service)]) + service.encode()
    response = check(request, timeout=3)
    for number, _, value in fields(response):
        if number == 1:
            return value
    return 0  # UNKNOWN (proto3 default omitted)


def reflected_services(channel):
    info = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
    # ServerReflectionRequest { list_services = 7: "" }
    responses = list(info(iter([b"\x3a\x00"]), timeout=5))
    names = set()
    for response in responses:
        for number, _, value in fields(response):
            if number == 6:  # list_services_response
                for n2, _, service in fields(value):
                    if n2 == 1:
                        for n3, _, name in fields(service):
                            if n3 == 1:
                                names.add(name.decode())
    return names


def tls_credentials(state, region=None, service=None):
    """Credentials trusting the stack's development CA (<state>/tls/ca.pem); with `region` and
    `service`, also presenting that service's certificate (mutual TLS, as a hub or service)."""
    tls = os.path.join(state, "tls")
    root = open(os.path.join(tls, "ca.pem"), "rb").read()
    if region is None:
        return grpc.ssl_channel_credentials(root_certificates=root)
    name = os.path.join(tls, "%s-%s" % (region, service))
    return grpc.ssl_channel_credentials(root_certificates=root,
                                        private_key=open(name + ".key", "rb").read(),
                                        certificate_chain=open(name + ".pem", "rb").read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--build", required=True)
    args = parser.parse_args()

    taken = set()
    ee, se = pick_base(taken), pick_base(taken)
    redis_port = pick_base(taken) + 1
    used = [base + i for base in (ee, se) for i in range(1, 5)] + [redis_port]
    state = tempfile.mkdtemp(prefix="slihub-stack-")
    env = dict(os.environ, SLIHUB_BUILD_DIR=args.build)
    env.pop("SLIHUB_TOKEN", None)
    log = open(os.path.join(state, "dev-up.log"), "w+")
    dev = subprocess.Popen(
        [os.path.join(args.root, "tools", "dev"), "up", "--no-build", "--hubs",
         "EE:%d,SE:%d" % (ee, se), "--redis-port", str(redis_port), "--state-dir", state],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    failures = []
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            log.seek(0)
            text = log.read()
            if "stack is up" in text:
                break
            if dev.poll() is not None:
                raise RuntimeError("tools/dev up exited early:\n" + text)
            time.sleep(0.2)
        else:
            log.seek(0)
            raise RuntimeError("tools/dev up did not come up:\n" + log.read())

        seen = set()
        for region, base in (("EE", ee), ("SE", se)):
            for offset, (service, full_name) in enumerate(SERVICES.items(), start=1):
                endpoint = "127.0.0.1:%d" % (base + offset)
                with grpc.secure_channel(endpoint, tls_credentials(state)) as channel:
                    for name in ("", full_name):
                        status = health_status(channel, name)
                        if status != 1:
                            failures.append("%s %s health(%r) = %d, want SERVING(1)"
                                            % (region, service, name, status))
                    # Each service reaches the hub's other three (--service-endpoint), with
                    # its certificate (mutual TLS), and says so on its dependency health names.
                    for other in SERVICES:
                        if other == service:
                            continue
                        name = "slihub.dependency.peer." + other
                        wait_until = time.time() + 15
                        status = health_status(channel, name)
                        while status != 1 and time.time() < wait_until:
                            time.sleep(0.2)
                            status = health_status(channel, name)
                        if status != 1:
                            failures.append("%s %s health(%r) = %d, want SERVING(1)"
                                            % (region, service, name, status))
                    names = reflected_services(channel)
                    missing = ({full_name} | COMMON) - names
                    if missing:
                        failures.append("%s %s reflection lacks %s (has %s)"
                                        % (region, service, sorted(missing), sorted(names)))
                    seen |= {n for n in names if n.startswith("slihub.") and
                             n.endswith("Service") and ".common." not in n}
                print("ok: %s %s %s SERVING, %d services reflected"
                      % (region, service, endpoint, len(names)))
        if seen != set(SERVICES.values()):
            failures.append("reflection listed %s, want the four service names" % sorted(seen))
    finally:
        if dev.poll() is None:
            dev.send_signal(signal.SIGINT)
            try:
                dev.wait(timeout=30)
            except subprocess.TimeoutExpired:
                failures.append("tools/dev up did not stop within 30 s of SIGINT")
                os.killpg(dev.pid, signal.SIGKILL)
                dev.wait()

    still_listening = [p for p in used if listening(p)]
    if still_listening:
        failures.append("ports still in use after Ctrl-C: %s" % still_listening)
    log.seek(0)
    if failures:
        print(log.read())
        for f in failures:
            print("FAIL:", f)
        print("0 passed, %d failed" % len(failures))
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
