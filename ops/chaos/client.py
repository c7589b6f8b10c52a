"""A logged-in browser, reduced to what a chaos scenario needs: cookies, CSRF and timing."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int  # 0 when the request itself failed (refused, timed out)
    seconds: float
    location: str = ""
    body: str = ""


@dataclass
class Client:
    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        # The proxy header stands in for the TLS terminator production sits behind.
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.csrf_cookie(), **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            return Answer(0, time.monotonic() - started)
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(
            response.status, time.monotonic() - started, response.getheader("Location", ""), text
        )

    def csrf_cookie(self) -> str:
        # Production names it __Host-csrftoken, development csrftoken.
        for name, value in self.cookies.items():
            if name.endswith("csrftoken"):
                return value
        return ""

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        return self.request("POST", path, form)

    def log_in(self, email: str, password: str) -> None:
        self.get("/login/")
        answer = self.post("/login/", {"username": email, "password": password})
        if answer.status != 302:
            raise RuntimeError(f"could not log in as {email}: {answer.status}")

    def csrf_from(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""
