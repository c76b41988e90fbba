#!/usr/bin/env python3
"""The console in a real browser: headless Chromium (Debian's chromium and
chromium-driver) driven by Selenium against a real `spectral run` with API keys on, the
decision log on, and the authoring agent pointed at a scripted OpenAI-compatible server
started here (no model is reachable from CI).

It signs in with an admin key, sees the predicates, opens one, rolls it back behind the
confirmation, renders a predicate whose description and source are XSS payloads as text,
starts an authoring task and watches it publish on the live stream, finds it in the tasks
list (and its status filter), opens a decision's explanation, and shows the outbox with its
dead-letter table and the health and metrics views. Any SEVERE entry in
the browser's console fails the run. A screenshot of each view goes to SCREENSHOT_DIR.

usage: console-browser-test.py SPECTRAL_BINARY [SCREENSHOT_DIR]
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BINARY = os.path.realpath(sys.argv[1])
SHOTS = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else ".build/console-screenshots")
XSS_DESCRIPTION = "<img src=x onerror=alert(1)>"
XSS_LITERAL = "</script><img src=x onerror=alert(1)>"
# What the scripted model answers, whatever it is asked: a fenced CEL block for the task.
ANSWER = "The user is an adult when their age is at least 18.\n\n```cel\nuser.age >= 18\n```\n"


class ScriptedLLM(BaseHTTPRequestHandler):
    """An OpenAI-compatible server with one answer: streamed as chat.completion.chunk
    events when the request asks for a stream, else one chat.completion."""

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip("/").endswith("/v1/models"):
            self.send(200, json.dumps({"object": "list", "data": [{"id": "scripted-model", "object": "model"}]}))
        else:
            self.send(404, json.dumps({"error": {"message": "not found"}}))

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        if not self.path.endswith("/v1/chat/completions"):
            return self.send(404, json.dumps({"error": {"message": "not found"}}))
        usage = {"prompt_tokens": 200, "completion_tokens": 20, "total_tokens": 220}
        base = {"id": "chatcmpl-scripted", "created": int(time.time()), "model": "scripted-model"}
        if not request.get("stream"):
            return self.send(200, json.dumps({**base, "object": "chat.completion", "usage": usage, "choices": [
                {"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}]}))
        pieces = [ANSWER[i:i + 12] for i in range(0, len(ANSWER), 12)]
        frames = [{**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces]
        frames.append({**base, "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "usage": usage})
        self.send(200, "".join(f"data: {json.dumps(f)}\n\n" for f in frames) + "data: [DONE]\n\n", "text/event-stream")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class API:
    def __init__(self, base, key):
        self.base, self.key = base, key

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def publish(self, definition):
        """Submits a predicate and waits for the worker to publish it."""
        status, accepted = self.call("POST", "/v1/predicates", definition)
        assert status == 202, (status, accepted)
        for _ in range(300):
            _, state = self.call("GET", f"/v1/authoring/{accepted['event_id']}")
            if state["status"] == "published":
                return state
            assert state["status"] == "pending", state
            time.sleep(0.1)
        raise AssertionError(f"not published: {definition['name']}")


def main():
    started = time.monotonic()
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="console-test-")
    database = f"sqlite:{work}/spectral.sqlite"
    llm = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedLLM)
    threading.Thread(target=llm.serve_forever, daemon=True).start()
    server = driver = None
    try:
        subprocess.run([BINARY, "migrate", "--database-url", database], check=True, capture_output=True)
        created = subprocess.run([BINARY, "keys", "create", "--database-url", database, "--name", "console", "--scope", "admin"],
                                 check=True, capture_output=True, text=True).stdout
        key = next(word for word in created.split() if word.startswith("spk_"))
        created = subprocess.run([BINARY, "keys", "create", "--database-url", database, "--name", "decider", "--scope", "decide"],
                                 check=True, capture_output=True, text=True).stdout
        decide_key = next(word for word in created.split() if word.startswith("spk_"))
        port = free_port()
        environment = {**os.environ, "SPECTRAL_LLM_BASE_URL": f"http://127.0.0.1:{llm.server_address[1]}/v1",
                       "SPECTRAL_LLM_API_KEY": "anything", "SPECTRAL_LLM_MODEL": "scripted-model"}
        log = open(f"{work}/server.log", "w")
        server = subprocess.Popen([BINARY, "run", "--database-url", database, "--port", str(port), "--decision-log"],
                                  env=environment, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except Exception:
                assert server.poll() is None, open(f"{work}/server.log").read()
                time.sleep(0.1)
        api = API(base, key)

        # Data: `adult` with two versions (so it can roll back), a decision to explain,
        # and a predicate whose description and source carry XSS payloads.
        declarations = {"user": "map(string, dyn)"}
        api.publish({"name": "adult", "source": "user.age >= 18", "declarations": declarations, "description": "Adults only"})
        api.publish({"name": "adult", "source": 'user.age >= 21 && user.name != "admin"', "declarations": declarations, "description": "Adults, stricter"})
        api.publish({"name": "xss_probe", "source": f'name != "{XSS_LITERAL}"', "declarations": {"name": "string"},
                     "description": XSS_DESCRIPTION})
        status, decided = api.call("POST", "/v1/decide", {"predicate": "adult", "input": {"user": {"age": 19, "name": XSS_DESCRIPTION}}})
        assert status == 200, decided
        decision_id = decided["decision_id"]
        for _ in range(100):  # the log's writer runs in the background
            if api.call("GET", f"/v1/decisions/{decision_id}")[0] == 200:
                break
            time.sleep(0.1)

        options = webdriver.ChromeOptions()
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
            options.add_argument(flag)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
        wait = WebDriverWait(driver, 20)

        def shot(name):
            driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))

        def text_in(selector, text, timeout=20):
            WebDriverWait(driver, timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))

        def no_alert():
            try:
                driver.switch_to.alert
                raise AssertionError("an alert opened")
            except NoAlertPresentException:
                pass

        # Sign in: the key goes into the form, never into the URL.
        driver.get(base + "/console/")
        field = wait.until(EC.presence_of_element_located((By.NAME, "api_key")))
        shot("00-sign-in")
        field.send_keys(key)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        text_in("#who", "signed in: author, audit, admin")
        assert key not in driver.current_url

        # Predicates: all three listed, with their status.
        text_in("main table", "xss_probe")
        text_in("main table", "latest active")
        shot("01-predicates")

        # The XSS predicate: its description and source shown as text; no <img> made, no alert.
        driver.find_element(By.LINK_TEXT, "xss_probe").click()
        text_in(".description", XSS_DESCRIPTION)
        text_in("pre.source", XSS_LITERAL)
        text_in(".diagnostics", "checks pass")
        assert driver.find_elements(By.TAG_NAME, "img") == [], "an <img> element was created"
        no_alert()
        shot("02-predicate-xss")

        # `adult`: the timeline, then roll back behind the confirmation.
        driver.get(base + "/console/#/predicate/adult")
        text_in("#active-version", "active: v2")
        text_in(".timeline", "v1")
        text_in(".impact", "Compared with v1")
        shot("03-predicate-adult")
        driver.find_element(By.XPATH, "//button[normalize-space()='Roll back…']").click()
        driver.find_element(By.XPATH, "//button[normalize-space()='Confirm: roll back']").click()
        text_in("#active-version", "active: v1")
        text_in("main", "Rolled back: v1 is active.")
        shot("04-rolled-back")

        # An authoring task against the scripted model, published on the live stream.
        driver.get(base + "/console/#/tasks")
        wait.until(EC.presence_of_element_located((By.ID, "task-name"))).send_keys("adult_agent")
        driver.find_element(By.ID, "task-intent").send_keys("Decide whether the user is an adult (18 or older).")
        driver.find_element(By.ID, "task-declarations").send_keys('{"user": {"type": "object", "required": ["age"], "properties": {"age": {"type": "integer"}}}}')
        driver.find_element(By.ID, "task-examples").send_keys('[{"input": {"user": {"age": 30}}, "expect": true}, {"input": {"user": {"age": 12}}, "expect": false}]')
        driver.find_element(By.CSS_SELECTOR, "#task-form button[type=submit]").click()
        text_in("#task-events", "round 1 of", timeout=60)
        text_in("#task-events", "user.age >= 18", timeout=60)
        text_in("#task-events", "verdict: published", timeout=90)
        text_in("#task-status", "published")
        shot("05-authoring-task")
        # A follow-up message starts the next turn on the same stream (resumed after the last id).
        driver.find_element(By.ID, "task-message").send_keys("Keep it as it is.")
        driver.find_element(By.XPATH, "//button[normalize-space()='Send']").click()
        text_in("#task-events", "queued: Keep it as it is.", timeout=30)
        WebDriverWait(driver, 90).until(lambda d: d.find_element(By.ID, "task-events").text.count("verdict:") >= 2)
        shot("05b-authoring-follow-up")
        # The tasks view lists the task from the API (not from this tab's memory), and the
        # status filter keeps it under its own status and drops it from another.
        driver.get(base + "/console/#/tasks")
        text_in("#tasks", "adult_agent")
        text_in("#tasks caption", "1 task(s), newest first")
        status = driver.find_element(By.CSS_SELECTOR, "#tasks tbody tr td:nth-child(3)").text.split()[-1]
        assert status in ("published", "held", "rejected", "failed"), status
        other = "cancelled"
        driver.find_element(By.CSS_SELECTOR, f"#task-status-filter option[value='{other}']").click()
        driver.find_element(By.CSS_SELECTOR, "#task-filter button[type=submit]").click()
        text_in("#tasks", "No task matches.")
        driver.get(base + f"/console/#/tasks?status={status}")
        text_in("#tasks", "adult_agent")
        text_in("#tasks caption", f"1 task(s) {status}, newest first")
        shot("05c-authoring-task-list")
        driver.find_element(By.CSS_SELECTOR, "#tasks a[href^='#/tasks/']").click()
        text_in("#task-status", status)

        # Decisions: the log, then one decision's explanation with its deciding clause.
        driver.get(base + "/console/#/decisions")
        text_in("#decisions", "adult@2")
        shot("06-decisions")
        driver.find_element(By.CSS_SELECTOR, f"a[href='#/decision/{decision_id}']").click()
        text_in("#explanation", "★ decided")
        text_in("#explanation", "user.age >= 21")
        text_in("#explanation", "– skipped")
        text_in("main", XSS_DESCRIPTION)  # the logged input, as text
        assert driver.find_elements(By.TAG_NAME, "img") == []
        shot("07-decision-explanation")

        driver.get(base + "/console/#/outbox")
        text_in("#backlog", "Dead letters")
        text_in("#dead-letters caption", "0 dead letter(s)")
        text_in("#dead-letters", "No dead letters.")
        shot("08-outbox")

        driver.get(base + "/console/#/health")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#histogram-spectral_decide_duration_seconds svg rect")))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#histogram-spectral_decide_fuel svg rect")))
        text_in("#health-status", "ok")
        shot("09-health-metrics")
        no_alert()

        severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not severe, f"browser console errors: {severe}"

        # A key with only `decide`: read-only views (health and metrics), the rest refused
        # in words. (Its sign-in probes are answered 403, which the browser logs: not counted.)
        driver.find_element(By.XPATH, "//button[normalize-space()='Sign out']").click()
        field = wait.until(EC.presence_of_element_located((By.NAME, "api_key")))
        field.send_keys(decide_key)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        text_in("#who", "decide only (read-only views)")
        text_in("#health-status", "ok")
        driver.find_element(By.LINK_TEXT, "Predicates").click()
        text_in("main", "Your key's scopes do not allow this view.")
        shot("10-decide-only")
        driver.get_log("browser")

        # Demo mode (auth off): no sign-in at all.
        server.terminate()
        server.wait(timeout=20)
        demo_port = free_port()
        server = subprocess.Popen([BINARY, "run", "--demo", "--database-url", f"sqlite:{work}/demo.sqlite", "--port", str(demo_port)],
                                  stdout=log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{demo_port}/health", timeout=1)
                break
            except Exception:
                assert server.poll() is None, open(f"{work}/server.log").read()
                time.sleep(0.1)
        driver.get(f"http://127.0.0.1:{demo_port}/console/")
        text_in("#who", "demo mode (no API keys)")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "main table")))
        assert driver.find_elements(By.NAME, "api_key") == []
        shot("11-demo-mode")
        severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not severe, f"browser console errors (demo mode): {severe}"
        assert key not in open(f"{work}/server.log").read(), "the key was logged"
        print(f"console browser test: passed in {time.monotonic() - started:.1f} s; screenshots in {SHOTS}")
    except (AssertionError, TimeoutException):
        if driver:
            driver.save_screenshot(os.path.join(SHOTS, "failure.png"))
            print("browser log:", json.dumps(driver.get_log("browser"), indent=1), file=sys.stderr)
            print("page text:", driver.find_element(By.TAG_NAME, "body").text[:3000], file=sys.stderr)
        if os.path.exists(f"{work}/server.log"):
            print("server log (tail):", open(f"{work}/server.log").read()[-4000:], file=sys.stderr)
        raise
    finally:
        if driver:
            driver.quit()
        if server:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        llm.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
