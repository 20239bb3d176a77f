"""A heavy call that cannot finish in time is a clear message on the page, not a
traceback, and the rest of the app keeps working."""

from streamlit.testing.v1 import AppTest

import workers


def test_a_timed_out_call_shows_its_message_and_stops_the_page_there(monkeypatch):
    def unavailable(function, /, *args, **kwargs):
        raise workers.Unavailable("The computation took longer than 20 s and was stopped.")

    monkeypatch.setattr(workers, "run", unavailable)
    at = AppTest.from_file("../pages/weight_initialization.py", default_timeout=60)
    at.query_params["wi_seed"] = "9871"  # a setting no other test has cached
    at.run()
    assert not at.exception
    assert any("longer than 20 s" in error.value for error in at.error)
    monkeypatch.undo()
    at.run()  # the server has caught up: the same page works
    assert not at.exception and not at.error
