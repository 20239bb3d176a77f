"""Crafted links through app.py with AppTest: numbers in every odd form, keys given more
than once, Markdown in a link's values. No link raises; a value the app cannot use opens
the defaults with a notice that shows it as typed (in a code span, cut) and names what was
really refused. (That no link text becomes a link or an image on the page is checked in
Chromium, in test_browser_hostile.py.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from panels.walkthrough import STEPS, control_defaults
from ui.links import ECHO_CHARACTERS, echo

VANISHING = "pages/vanishing_exploding.py"
OVERLONG = "0" * 5_000 + "3"  # past int()'s 4,300-digit limit


def open_app(query: dict, page: str = VANISHING) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update(query)
    at.switch_page(page).run()
    assert not at.exception, at.exception[0].message
    return at


def notices(at: AppTest) -> list[str]:
    return [info.value for info in at.info]


def echoed(notice: str) -> str:
    """The text of the notice's first code span."""
    start = notice.index("` ") + 2
    return notice[start : notice.index(" `", start)]


def banner(at: AppTest) -> str:
    return " ".join(caption.value for caption in at.caption if "walkthrough" in caption.value)


@pytest.mark.parametrize(
    "text",
    [OVERLONG, "３", "+3", "-3", "3e0", "3.0", " 3", "3_0", "03 ", "٣", "[x](//evil.example)"],
    ids=["5000 digits", "full-width", "plus", "minus", "exponent", "decimal", "space",
         "underscore", "trailing space", "arabic-indic", "markdown link"],
)  # fmt: skip
def test_a_walkthrough_step_in_any_other_form_than_plain_digits_opens_no_step(text):
    at = open_app({"step": text})
    notice = next(n for n in notices(at) if "walkthrough step" in n)
    assert f"the steps run from 1 to {len(STEPS)}" in notice
    assert echo(repr(text)) in notice and len(echoed(notice)) <= ECHO_CHARACTERS
    assert not banner(at) and "step" not in at.query_params


def test_a_walkthrough_step_with_a_leading_zero_still_opens():
    at = open_app({"step": "03"})
    assert f"step 3 of {len(STEPS)}" in banner(at)


@pytest.mark.parametrize("text", [OVERLONG, "３", "٣", "+3", " 3", "3_0", "3 "])
def test_a_number_control_refuses_any_other_form_than_the_one_links_are_written_in(text):
    # float() would read each of these as 3; the app's own links never hold them.
    at = open_app({"ve_L": text})
    assert at.slider(key="ve_L").value == control_defaults()["ve_L"] != 3
    notice = next(n for n in notices(at) if "could not be used" in n)
    assert "ve_L=" in notice and len(echoed(notice)) <= ECHO_CHARACTERS


@pytest.mark.parametrize(
    ("key", "text", "value", "page"),
    [("ve_L", "3", 3, VANISHING), ("ng_theta", "-0.25", -0.25, "pages/numerical_gradients.py"),
     ("ni_tol", "1e-06", 1e-6, "pages/normalizing_inputs.py")],
)  # fmt: skip
def test_a_number_control_reads_the_forms_streamlit_writes_into_its_links(key, text, value, page):
    at = open_app({key: text}, page)
    assert at.get("slider" if key != "ni_tol" else "select_slider")  # the page drew
    widget = next(w for kind in ("slider", "select_slider") for w in at.get(kind) if w.key == key)
    assert widget.value == value
    assert not [n for n in notices(at) if "could not be used" in n]


def test_a_repeated_key_is_refused_as_a_whole_and_the_notice_names_every_value():
    at = open_app({"ve_L": ["5", "inf", "7"], "ve_a": "1.2"})
    assert at.slider(key="ve_L").value == 10  # the default
    assert at.slider(key="ve_a").value == 1.2  # the rest of the link is used
    notice = next(n for n in notices(at) if "could not be used" in n)
    assert echoed(notice) == "ve_L='5', 'inf', '7'"
    assert "given more than once is refused as a whole" in notice
    assert "ve_L" not in at.query_params


def test_a_repeated_step_or_presentation_key_is_refused_with_a_notice():
    at = open_app({"step": ["2", "3"], "present": ["true", "false"]})
    assert not banner(at) and not at.toggle(key="present").value
    notice = next(n for n in notices(at) if "could not be used" in n)
    assert "` step='2', '3' `" in notice and "` present='true', 'false' `" in notice


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("ve_L", "[Log in again](https://evil.example/login)"),
        ("ve_a", "![t](https://evil.example/p.png)"),
        ("ve_L", "`` ` [x](//evil.example)"),
        ("ve_L", "a\n\n[x](//evil.example)"),
    ],
)
def test_markdown_in_a_links_value_is_shown_in_a_code_span(key, text):
    at = open_app({key: text})
    notice = next(n for n in notices(at) if "could not be used" in n)
    assert echo(f"{key}={text!r}") in notice and "\n" not in notice


def test_markdown_in_the_presentation_key_is_shown_in_a_code_span():
    at = open_app({"present": "[x](//evil.example)"})
    assert "` present='[x](//evil.example)' ` could not be used" in " ".join(notices(at))


def test_the_demo_shows_visitors_no_error_details_and_no_help_links():
    # Streamlit takes "auto" (links to Google and ChatGPT on localhost), "true" or "false"
    # for showErrorLinks; any other value fails every session as it starts.
    config = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    client = tomllib.loads(config.read_text())["client"]
    assert client["showErrorDetails"] == "none" and client["showErrorLinks"] == "false"
