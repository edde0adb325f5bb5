"""Reading a transcript through the page's poll route leaves an audit entry (ids, never text),
through Flask's test client."""
from __future__ import annotations

from bot.staff.handoff_work import AUDIT_TRANSCRIPT_READ


def transcript_reads(console, staff_id: int):
    return [entry for entry in console.staff.audit_entries(staff_id=staff_id) if entry.action == AUDIT_TRANSCRIPT_READ]


def test_fetching_a_transcript_without_the_page_is_audited(console):
    staff = console.add_staff()
    handoff = console.open_handoff()
    first = console.seeker_writes(handoff, "my private story")
    second = console.seeker_writes(handoff, "and my number")
    client = console.signed_in(staff)

    response = client.get(f"/handoffs/{handoff.id}/messages")  # the whole transcript, no page view
    assert response.status_code == 200 and len(response.get_json()["messages"]) == 2
    (entry,) = transcript_reads(console, staff.id)
    assert (entry.subject_type, entry.subject_id) == ("handoff", str(handoff.id))
    assert entry.details == {"after": 0, "count": 2, "last_message_id": second}
    assert "private" not in str(entry.details)

    # The page's poll finding nothing new adds nothing; new messages it hands over are audited.
    client.get(f"/handoffs/{handoff.id}/messages", query_string={"after": second})
    assert len(transcript_reads(console, staff.id)) == 1
    third = console.seeker_writes(handoff, "one more")
    client.get(f"/handoffs/{handoff.id}/messages", query_string={"after": second})
    assert [entry.details for entry in transcript_reads(console, staff.id)][0] == {
        "after": second, "count": 1, "last_message_id": third,
    }
    assert first < second < third
