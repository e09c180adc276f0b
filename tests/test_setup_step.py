"""Set-up step: session details and the people, driven by keys; the one-lead-per-team rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment_tui.sessions.models import Participant, Team
from alignment_tui.sessions.service import ChangeRefused, SessionService


def test_service_refuses_a_second_lead_and_the_file_still_opens(session_file: Path) -> None:
    service = SessionService.open(session_file)
    try:
        with pytest.raises(ChangeRefused, match="Sam Sales is already the Sales lead"):
            service.add(Participant, name="Second", team=Team.SALES, is_lead=True)
        ravi = service.session.participant(3)
        assert ravi is not None
        with pytest.raises(ChangeRefused, match="already the Sales lead"):
            service.update(ravi, is_lead=True)
        # Handing the lead over works once the first lead is unmarked.
        sam = service.session.participant(1)
        assert sam is not None
        service.update(sam, is_lead=False)
        service.update(ravi, is_lead=True)
    finally:
        service.close()
    reopened = SessionService.open(session_file)
    try:
        lead = reopened.session.lead(Team.SALES)
        assert lead is not None and lead.name == "Ravi"
        assert len(reopened.session.participants) == 4
    finally:
        reopened.close()
