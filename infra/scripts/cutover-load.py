#!/usr/bin/env python3
"""Load for the cutover drill (infra/scripts/cutover-drill.sh), standard library only.

Decide threads send `POST /v1/decide` for a predicate whose answer is known, and one
authoring thread submits a new predicate (a unique name each) every --author-every
seconds, all against the port named in --target-file: the drill rewrites that file to move
the traffic from one generation to the next, as a load balancer would. Each thread keeps
one keep-alive connection and opens a new one when the target changes. Runs until
--stop-file exists, then writes a JSON summary to --summary: requests, failures (any
status other than the expected one, and any connection error, with the first few kept as
samples), and the ids of the accepted authoring events.
"""
import argparse
import http.client
import json
import os
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("--target-file", required=True)
parser.add_argument("--stop-file", required=True)
parser.add_argument("--summary", required=True)
parser.add_argument("--key", required=True, help="an API key with the admin scope")
parser.add_argument("--predicate", default="adult")
parser.add_argument("--threads", type=int, default=4)
parser.add_argument("--author-every", type=float, default=0.05)
args = parser.parse_args()

DECIDE = json.dumps({"predicate": args.predicate, "input": {"user": {"age": 30}}}).encode()
HEADERS = {"Content-Type": "application/json", "Authorization": f"Bearer {args.key}"}


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.failed = 0
        self.samples = []
        self.events = []

    def record(self, ok, detail=None, event=None):
        with self.lock:
            self.requests += 1
            if event is not None:
                self.events.append(event)
            if not ok:
                self.failed += 1
                if len(self.samples) < 10:
                    self.samples.append(detail)


tally = Tally()
target = {"port": None}


def watch_target():
    """Follows the target file, as a load balancer follows its configuration."""
    while not os.path.exists(args.stop_file):
        try:
            with open(args.target_file) as f:
                port = int(f.read().strip())
            target["port"] = port
        except (OSError, ValueError):
            pass
        time.sleep(0.01)


def client(send):
    """Sends requests with `send(connection)` to the current target until told to stop."""
    port, connection = None, None
    while not os.path.exists(args.stop_file):
        if target["port"] != port:
            if connection:
                connection.close()
            port, connection = target["port"], None
        if port is None:
            time.sleep(0.01)
            continue
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            send(connection, port)
        except (OSError, http.client.HTTPException) as error:
            tally.record(False, f"port {port}: {type(error).__name__}: {error}")
            connection.close()
            connection = None


def decide(connection, port):
    connection.request("POST", "/v1/decide", body=DECIDE, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    ok = response.status == 200 and json.loads(body).get("decision") is True
    tally.record(ok, f"port {port}: decide {response.status} {body[:200]!r}")


counter = {"next": 0}


def author(connection, port):
    counter["next"] += 1
    name = f"drill_{os.getpid()}_{counter['next']}"
    request = {
        "name": name, "source": f"user.age >= {counter['next'] % 100}",
        "declarations": {"user": "map(string, dyn)"},
        "tests": [{"input": {"user": {"age": 100}}, "expect": True}],
    }
    connection.request("POST", "/v1/predicates", body=json.dumps(request).encode(), headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    if response.status == 202:
        tally.record(True, event=json.loads(body)["event_id"])
    else:
        tally.record(False, f"port {port}: author {response.status} {body[:200]!r}")
    time.sleep(args.author_every)


threads = [threading.Thread(target=watch_target)]
threads += [threading.Thread(target=client, args=(decide,)) for _ in range(args.threads)]
threads.append(threading.Thread(target=client, args=(author,)))
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with open(args.summary, "w") as f:
    json.dump({"requests": tally.requests, "failed": tally.failed, "samples": tally.samples, "events": tally.events}, f)
