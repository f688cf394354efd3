"""The shapes page's predict-then-reveal question, answered by running the real module (no streamlit here)."""

from __future__ import annotations

from dataclasses import replace

from rnnviz.shapes.model import ShapeConfig, fmt_shape, run_module


def h_n_question(cfg: ShapeConfig, seed: int = 0) -> tuple[list[str], str, str]:
    """"What shape is h_n with batch_first=True?" for the page's module: (options, right one, why).

    The module is built with ``batch_first=True`` and run once; the right option is ``tuple(h_n.shape)``.
    The other options are the tempting mistakes: h_n turned batch-first too, h_n confused with ``output``,
    h_n without its layers axis, and ``output`` in the default layout.
    """
    bf = replace(cfg, batch_first=True).normalised()
    if bf.is_cell:
        raise ValueError("A cell has no h_n: choose RNN, LSTM or GRU.")
    infos, _values = run_module(bf, seed)
    h_n, out, x = infos["h_n"].shape, infos["output"].shape, infos["input"].shape
    ld, b, h_out = h_n
    right = fmt_shape(h_n)
    candidates = [h_n, (b, ld, h_out), out, (b, h_out), (out[1], out[0], out[2]), (h_out, b, ld)]
    options: list[str] = []
    for shape in candidates:
        if fmt_shape(shape) not in options:
            options.append(fmt_shape(shape))
        if len(options) == 4:
            break
    layers = f"num_layers × directions = {bf.num_layers} × {bf.directions} = {ld}"
    size = "proj_size" if h_out != bf.hidden_size else "hidden_size"
    why = (f"`nn.{bf.module}` run here with `batch_first=True`: input {fmt_shape(x)}, output {fmt_shape(out)}, "
           f"h_n **{right}** = ({layers}, batch = {b}, H_out = {size} = {h_out}). `batch_first` moved the batch "
           "axis to the front of the input and the output only; h_n keeps layers × directions first, so that "
           "`h_n[-1]` is always the top layer and h_n can go straight back in as the next call's h_0."
           + (f" The LSTM's c_n is {fmt_shape(infos['c_n'].shape)}, laid out the same way." if "c_n" in infos else ""))
    return sorted(options), right, why
