"""Every page's controls start from the defaults its panel declares once (``DEFAULTS``, by
widget key), and the walkthrough resets a page's controls to the same values."""

import pytest
from streamlit.testing.v1 import AppTest

from panels.walkthrough import STEPS, control_defaults
from ui.ideas import IDEAS

APP = "../app.py"
KINDS = ("slider", "select_slider", "number_input", "selectbox", "radio", "toggle",
         "text_input", "button_group")  # fmt: skip


def controls(at: AppTest) -> dict[str, object]:
    """The value of every keyed control on the page, by key."""
    return {
        widget.key: widget.value
        for kind in KINDS
        for widget in at.get(kind)
        if getattr(widget, "key", None) and not widget.key.startswith("walkthrough")
    }


@pytest.mark.parametrize("idea", IDEAS, ids=lambda idea: idea.title)
def test_every_control_starts_at_its_pages_declared_default(idea):
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page(idea.path).run()
    assert not at.exception
    shown = {key: value for key, value in controls(at).items() if key != "present"}
    defaults = control_defaults()
    assert shown, f"{idea.title} shows no control"
    for key, value in shown.items():
        assert key in defaults, f"{key} has no declared default"
        assert value == defaults[key], key


def test_a_step_resets_the_controls_a_learner_moved_to_the_declared_defaults():
    number = next(n for n, step in enumerate(STEPS, 1) if step.settings == {"ve_scale": 2.0})
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["step"] = str(number - 1)
    at.run()
    at.slider(key="ve_width").set_value(64).run()  # not a setting of either step
    assert at.slider(key="ve_width").value == 64
    next(button for button in at.button if button.label == "Next").click().run()
    assert not at.exception
    assert at.query_params["step"] == str(number)
    assert at.slider(key="ve_width").value == control_defaults()["ve_width"] != 64
    assert at.select_slider(key="ve_scale").value == 2.0
