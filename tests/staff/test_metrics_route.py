"""The staff console's /metrics: 401 without the bearer token METRICS_TOKEN (and to everyone
when none is set, as to a request through the proxy from 127.0.0.1), counts only with it."""
from __future__ import annotations

import pytest

TOKEN = "t" * 40


@pytest.mark.parametrize(
    "configured, offered, status",
    [
        (None, None, 401),
        (None, "Bearer ", 401),
        (TOKEN, None, 401),
        (TOKEN, "Bearer wrong", 401),
        (TOKEN, f"Basic {TOKEN}", 401),
        (TOKEN, f"Bearer {TOKEN}", 200),
    ],
)
def test_metrics_need_the_token(console_factory, configured, offered, status):
    console = console_factory(metrics_token=configured)
    headers = {"Authorization": offered} if offered else {}
    answer = console.client().get("/metrics", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.status_code == status
    if status == 200:
        assert answer.content_type.startswith("text/plain")


def test_requests_are_counted_by_status_class_with_no_personal_data(console_factory):
    console = console_factory(metrics_token=TOKEN)
    handoff = console.open_handoff()
    console.seeker_writes(handoff, "my number is 312 555 0142")
    client = console.client()

    def count(status: str) -> float:
        text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
        # Names and labels only: a sample's value (a latency sum such as 46.4277255599) may hold
        # any digits.
        names_and_labels = "\n".join(line.rsplit(" ", 1)[0] for line in text.splitlines())
        assert "555" not in names_and_labels and "0142" not in names_and_labels and "my number" not in text
        line = [l for l in text.splitlines() if l.startswith(f'intake_console_requests_total{{status="{status}"}}')]
        return float(line[0].split()[-1]) if line else 0.0

    before_ok, before_missing = count("2xx"), count("4xx")
    assert client.get("/login").status_code == 200
    assert client.get("/no-such-page").status_code == 404
    # A scrape is itself a 2xx, counted once answered: the two before, and the sign-in page.
    assert count("2xx") == before_ok + 3
    assert count("4xx") == before_missing + 1
