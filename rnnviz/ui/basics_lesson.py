"""Lesson presets and hideable controls of the training-basics page (see :mod:`rnnviz.ui.lesson`).

Each preset sets the live fit's widgets (ways 1-2: lr and loss; way 3: optimizer and lr; forget
zero_grad) and opens the tab that shows what to look at.
"""

from __future__ import annotations

from rnnviz.basics.data import largest_stable_lr, make_data
from rnnviz.ui.lesson import Preset

_DATA = make_data()
_LIMIT_SUM, _LIMIT_MEAN = largest_stable_lr(_DATA, "sum"), largest_stable_lr(_DATA, "mean")
_NOTES = {"basics_lr": 1e-6, "basics_reduction": "sum", "basics_opt3": "RMSprop", "basics_lr3": 1e-4,
          "basics_forget": False}

PRESETS = [
    Preset("The notes' setup", {**_NOTES, "basics_tab": "Three ways, live"},
           "The seed's loop: summed squared error, lr 1e-6 for ways 1-2, RMSprop at 1e-4 for way 3. Press Train: "
           "ways 1 and 2 draw one curve, and all three creep towards the dotted least-squares cubic."),
    Preset("Sum vs mean", {**_NOTES, "basics_lr": 2e-3, "basics_reduction": "mean", "basics_tab": "Loss functions"},
           f"The mean's gradient is {_DATA.n:,} times smaller than the sum's, so the mean at lr 2e-3 moves like the "
           "sum at 1e-6. Train, then press *sum, lr 2e-3*: the same lr on the sum blows up (stable only below "
           f"{_LIMIT_SUM:.3g}; the mean up to {_LIMIT_MEAN:.3g})."),
    Preset("Too large a learning rate", {**_NOTES, "basics_lr": 4e-6, "basics_tab": "Learning rate"},
           f"lr 4e-6 with the summed loss is past the limit 2 / λ_max = {_LIMIT_SUM:.3g}. Press Train: the loss "
           "grows at every step until the divergence guard pauses the fit and says why."),
    Preset("Forget zero_grad", {**_NOTES, "basics_forget": True, "basics_tab": "One step, opened up"},
           "Ways 2 and 3 now never zero .grad, so every backward() adds to all the earlier gradients. Press Reset, "
           "then Train: way 2 (orange) leaves way 1 and swings back and forth."),
]

HIDEABLE = {"basics_lr": "lr, ways 1-2", "basics_reduction": "Loss, ways 1-2", "basics_opt3": "Way 3 optimizer",
            "basics_lr3": "lr, way 3", "basics_forget": "Forget zero_grad"}
