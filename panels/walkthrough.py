"""The lecture walkthrough: the week's key moments in order, one click apart.

Each step names a page, the settings of its controls (by widget key) and what to
notice. The step is in the URL (``?step=7``), so a lecturer can open any step
directly; Previous and Next move through them. Entering a step sets the page's
controls through session state, the same way the pages' own preset buttons do,
and switches page when the step lives elsewhere.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import streamlit as st

from core.network import PLANTED_BUGS
from ui.ideas import IDEAS
from ui.links import echo, url_integer
from ui.presentation import KEY as PRESENT
from ui.presentation import presenting
from ui.step_keys import follow_step

KEY = "step"  # the query parameter
_APPLIED = "walkthrough_applied"  # the step whose settings were last put in place


class Step(NamedTuple):
    page: str  # a path from ui.ideas
    moment: str  # the step's title, as on a lecture slide
    settings: dict[str, Any]  # widget key → value, as the widget returns it
    notice: str  # what to look at, in a sentence or two
    section: str = ""  # the anchor of the page's header to look under, when not the top


_NI, _VE, _WI, _NG, _GC, _GP = (idea.path for idea in IDEAS)

STEPS: tuple[Step, ...] = (
    Step(
        _NI,
        "Features on different scales",
        {
            "ni_src": "Built-in house prices",
            "ni_wrong": False,
            "ni_lr": 0.5,
            "ni_part": "A long valley",
        },
        "Size runs in thousands of square feet, rooms in units. Read κ after each stage: "
        "centring and scaling each lower it, and only both together bring it near 1 (not to "
        "1: size and rooms correlate). Then compare the two panels at one α: the step "
        "normalized inputs take diverges on raw inputs, which even at their own best α "
        "need millions of steps.",
    ),
    Step(
        _NI,
        "Normalize the test set with the training μ and σ",
        {"ni_wrong": True, "ni_part": "The test set"},
        "The test houses are larger. Scaled with their own μ and σ they are pulled back onto "
        "the training cloud, so the model is fed different numbers than it should see: read "
        "the test error each way.",
        "test-set",
    ),
    Step(
        _VE,
        "W[l] = 1.5·I at 10 layers",
        {"ve_a": 1.5, "ve_L": 10},
        "Every layer multiplies the signal by 1.5, so ŷ grows like 1.5^(L−1): exponentially "
        "in depth.",
    ),
    Step(
        _VE,
        "W[l] = 0.5·I at 10 layers",
        {"ve_a": 0.5, "ve_L": 10},
        "The same network with 0.5 on the diagonal: the signal halves at every layer and "
        "vanishes just as fast.",
    ),
    Step(
        _VE,
        "W[l] = 1.5·I at 2000 layers",
        {"ve_a": 1.5, "ve_L": 2000},
        "Deep enough that the numbers leave the floating-point range: the marks show the "
        "layer where float32 and then float64 overflow to inf.",
    ),
    Step(
        _VE,
        "A random ReLU network with He initialization",
        {"ve_g": "relu", "ve_init": "he", "ve_scale": 1.0, "ve_depth": 50},
        "With Var(w) = 2/n[l−1] the spread of the activations neither explodes nor vanishes "
        "over 50 layers: the theory's dashed line is flat, and the measured one wanders "
        "around it within a small factor, as a finite layer's random weights make it do.",
        "random-networks",
    ),
    Step(
        _VE,
        "The same network with weights twice as large",
        {"ve_scale": 2.0},
        "A σ multiplier of 2 multiplies the variance by 4 per layer: activations and "
        "gradients explode across depth.",
        "random-networks",
    ),
    Step(
        _WI,
        "Zeros: every gradient is 0",
        {"wi_init": "zeros", "wi_part": "Its training"},
        "With W = 0 every hidden unit outputs 0, so every gradient but db[L]'s is exactly 0: "
        "nothing moves, J stays at log 2 and the boundary is useless. Units that are copies "
        "yet learn are under Symmetry in isolation.",
        "training",
    ),
    Step(
        _WI,
        "Random × 10: too large",
        {"wi_init": "random × 10", "wi_part": "Its training"},
        "Huge weights make the sigmoid output confidently wrong: the first cost is in the "
        "hundreds, against log 2 ≈ 0.69 for a coin toss, and after all the training the "
        "accuracy still trails He's.",
        "training",
    ),
    Step(
        _WI,
        "He initialization",
        {"wi_init": "He", "wi_v": 1.0, "wi_part": "Its training"},
        "Scaled by √(2/n[l−1]) the ReLU network trains quickly and the boundary wraps the circles.",
        "training",
    ),
    Step(
        _NG,
        "θ³ at ε = 0.01",
        {"ng_f": "θ³", "ng_theta": 1.0, "ng_eps": "0.01", "ng_dtype": "float64"},
        "The lecture's numbers: the one-sided quotient is off by about ε, the two-sided one "
        "by about ε², both in large type above the charts. The picture beside them measures "
        "heights from the tangent, so each secant's tilt is its error; the lecture's own "
        "picture, further down, draws the triangles at a larger ε, and its caption says how "
        "much each error grew with the step.",
    ),
    Step(
        _NG,
        "A step that is too small",
        {"ng_eps": "1e-12"},
        "Far left of the curves' bottom, round-off dominates: f(θ+ε) and f(θ−ε) agree in "
        "almost all their digits and the difference keeps only noise.",
    ),
    Step(
        _NG,
        "The same curves in float32",
        {"ng_dtype": "float32", "ng_eps": "0.001"},
        "With about 7 digits the best step is much larger and the best error far worse: "
        "why gradient checks belong in float64.",
    ),
    Step(
        _GC,
        "Grad check on a correct backward pass",
        {
            "gc_bug": "none",
            "gc_dtype": "float64",
            "gc_eps": "1e-5",
            "gc_mode": "full",
            "gc_lambda": 0.0,
            "gc_keep": 1.0,
        },
        "Every parameter nudged by ±ε, two costs each: the relative difference between the "
        "numerical and the backprop gradient lands in the lowest band.",
    ),
    Step(
        _GC,
        "Grad check with the dW2 bug",
        {"gc_bug": PLANTED_BUGS["dW2_doubled"].label},
        "The verdict turns to bug in W[2], and the per-block dots point at it: the "
        "components tell you where to look.",
    ),
    Step(
        _GC,
        "The course notebook's own case",
        # The page's "Load the course notebook's case", less what the step resets anyway
        # (tests/test_walkthrough.py holds the two together); the panel is not imported
        # here, so the home page opens without the charts' libraries.
        {
            "gc_case": "course notebook",
            "gc_bug": PLANTED_BUGS["notebook_bugs"].label,
            "gc_eps": "1e-7",
            "gc_cost": "notebook",
        },
        "Its two planted bugs give the notebook's published difference. Without them what "
        "is left is round-off of the notebook's way of computing J: switch How J is "
        "computed to stable and it falls by two decades.",
    ),
    Step(
        _GC,
        "The course's ε = 1e-7 in float32",
        {"gc_bug": "none", "gc_dtype": "float32", "gc_eps": "1e-7"},
        "Correct code, yet the difference is near 1: round-off in J, divided by 2ε, is as "
        "large as the gradient itself, so the verdict is inconclusive, not bug. The ε sweep "
        "shows where each precision has its best step; check in float64.",
        "choosing-epsilon",
    ),
    Step(
        _GP,
        "Don't use it in training",
        {"gp_rule": "Only to debug", "gp_width": "64"},
        "One check is 2·P forward passes: on this small network already many training "
        "steps, and at a realistic P of a million, hours. Move n down to see the cost shrink.",
        "cost",
    ),
    Step(
        _GP,
        "Remember regularization",
        {"gp_rule": "Remember regularization", "gp_lambda": "3"},
        "With the L2 term missing from dW the check fails, and more so as λ grows; the "
        "correct code stays in the lowest band at every λ.",
        "regularization",
    ),
    Step(
        _GP,
        "Grad check does not work with dropout",
        {"gp_rule": "Not with dropout", "gp_keep": "0.50"},
        "A fresh dropout mask at every cost evaluation makes J a different function each time "
        "and the check fails; the same mask throughout, or keep_prob = 1, passes.",
        "dropout",
    ),
    Step(
        _GP,
        "At random initialization and after training",
        {"gp_rule": "Again after training", "gp_iters": "1000"},
        "A bug whose error is small beside a large gradient can hide at the start and show "
        "once training has shrunk the gradient: read how ‖W‖ and ‖dθ‖ change along the run. "
        "Check at the start, and again after some iterations.",
        "after-training",
    ),
)


def current_step() -> int | None:
    """The step number in the URL, or None; a step that does not exist gets a notice."""
    text = st.query_params.get(KEY)
    if text is None:
        return None
    number = url_integer(text, 1, len(STEPS))  # not "²", "٣", "+3", "3e0" or 5,000 digits
    if number is not None:
        return number
    del st.query_params[KEY]
    st.info(
        f"The link asks for walkthrough step {echo(repr(text))}, but the steps run from 1 to "
        f"{len(STEPS)}. Start the walkthrough from the sidebar.",
        icon=":material/link_off:",
    )
    return None


def walkthrough(current: str) -> None:
    """The walkthrough's banner above the page, or the sidebar button that starts it.

    ``current`` is the path of the page app.py's navigation is about to run.
    """
    number = current_step()
    if number is None:
        st.session_state.pop(_APPLIED, None)
        st.sidebar.button(
            "Start the lecture walkthrough",
            icon=":material/slideshow:",
            on_click=_go,
            args=(1,),
            width="stretch",
        )
        return
    step = STEPS[number - 1]
    if st.session_state.get(_APPLIED) != number:
        st.session_state[_APPLIED] = number
        _reset_page_controls(step)
        st.session_state.update(step.settings)
        if current != step.page:
            kept = {PRESENT: "true"} if presenting() else {}
            st.switch_page(step.page, query_params={KEY: str(number), **kept})
    _banner(number, step)


def _reset_page_controls(step: Step) -> None:
    # A step opens its page at the defaults plus its own settings, whichever step came
    # before, so Previous shows what Next showed. The URL's values of those controls go
    # too: they belong to the step before and are not a link to be refused.
    prefixes = tuple({key.split("_")[0] + "_" for key in step.settings})
    defaults = control_defaults()
    set_back = set()
    for key in [key for key in st.session_state if str(key).startswith(prefixes)]:
        if key in defaults:  # set, not deleted: the browser shows a widget's value only
            st.session_state[key] = defaults[key]  # when it is set; its URL value follows
            set_back.add(key)
        else:  # not a control with a value (a button, an upload, a page's own note)
            del st.session_state[key]
    for key in [key for key in st.query_params if key.startswith(prefixes)]:
        if key not in set_back:
            del st.query_params[key]


def numeric_controls() -> frozenset[str]:
    """The keys of every page's controls that take a number (their defaults are numbers)."""
    return frozenset(
        key
        for key, value in control_defaults().items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    )


def control_defaults() -> dict[str, Any]:
    """Every page's controls at their defaults, by widget key: the panels' DEFAULTS, which
    their widgets start from too."""
    # Imported when a step is entered, not with the app: the home page needs no panel.
    from panels import (
        grad_check_in_practice,
        gradient_checking,
        normalizing_inputs,
        numerical_gradients,
        vanishing_exploding,
        weight_initialization,
    )

    panels = (normalizing_inputs, vanishing_exploding, weight_initialization,
              numerical_gradients, gradient_checking, grad_check_in_practice)  # fmt: skip
    return {key: value for panel in panels for key, value in panel.DEFAULTS.items()}


def _banner(number: int, step: Step) -> None:
    idea = next(idea for idea in IDEAS if idea.path == step.page)
    # Keyed, so the page's CSS keeps it in sight (sticky) while the step's section is shown.
    with st.container(border=True, key="walkthrough"):
        st.caption(f"Lecture walkthrough · step {number} of {len(STEPS)} · {idea.title}")
        st.markdown(f"**{step.moment}**  \n{step.notice}")
        follow_step(number, step.section, _go)
        back, forward, everything, end = st.columns([1, 1, 1, 1], vertical_alignment="center")
        # ← and → move between steps, as on a slide deck (Streamlit's own shortcuts).
        back.button(
            "Previous", icon=":material/arrow_back:", on_click=_go, args=(number - 1,),
            disabled=number == 1, width="stretch", shortcut="Left",
        )  # fmt: skip
        forward.button(
            "Next", icon=":material/arrow_forward:", on_click=_go, args=(number + 1,),
            disabled=number == len(STEPS), type="primary", width="stretch", shortcut="Right",
        )  # fmt: skip
        with everything.popover("All steps", icon=":material/list:", width="stretch"):
            for other, each in enumerate(STEPS, start=1):
                st.button(
                    f"{other}. {each.moment}", key=f"walkthrough_{other}", on_click=_go,
                    args=(other,), disabled=other == number, type="tertiary",
                )  # fmt: skip
        end.button("End walkthrough", icon=":material/close:", on_click=_end, width="stretch")


def _go(number: int) -> None:
    st.query_params[KEY] = str(min(max(number, 1), len(STEPS)))


def _end() -> None:
    del st.query_params[KEY]
