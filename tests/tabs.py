"""The pages whose parts are tabs of which only the open one runs (``ui.links.lazy_tabs``):
by page file stem, the tabs' key and the parts (tab label → its controls' keys)."""

from pathlib import Path

from panels import grad_check_in_practice, normalizing_inputs, weight_initialization

TABBED = {
    Path(panel.__file__).stem: (panel.PART, panel.PARTS)
    for panel in (normalizing_inputs, weight_initialization, grad_check_in_practice)
}
