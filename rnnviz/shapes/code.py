"""The page's Show-code snippet: a standalone script that prints every shape for the current settings.

Each printed line is ``name (d0, d1, ...)``, the same names the page uses, so a test
can run the snippet and compare line by line with :func:`rnnviz.shapes.model.run_module`.
"""

from __future__ import annotations

from rnnviz.shapes.model import ShapeConfig

CodeConfig = ShapeConfig  # the page's shape settings are all the script needs


def snippet(cfg: CodeConfig) -> str:
    """A runnable script (torch only) for these settings."""
    c = cfg.normalised()
    T, B, I, H = c.seq_len, c.batch_size, c.input_size, c.hidden_size
    x_shape = f"({B}, {T}, {I})" if c.batch_first else f"({T}, {B}, {I})"
    x_axes = "(batch, seq_len, input_size)" if c.batch_first else "(seq_len, batch, input_size)"
    head = (
        "import torch\n"
        "from torch import nn\n\n"
        "torch.manual_seed(0)\n"
        f"x = torch.randn{x_shape}  # {x_axes}\n"
    )
    lstm = c.family == "LSTM"
    if c.is_cell:
        step = "x[:, t]" if c.batch_first else "x[t]"
        body = (
            f"cell = nn.{c.module}(input_size={I}, hidden_size={H})\n"
            f"h = torch.zeros({B}, {H})  # (batch, hidden_size): one state per sentence\n"
            + (f"c = torch.zeros({B}, {H})  # the LSTM's cell state\n" if lstm else "")
            + "print('input', tuple(x.shape))\n"
            "print('h_0', tuple(h.shape))\n"
            + ("print('c_0', tuple(c.shape))\n" if lstm else "")
            + "outputs = []\n"
            f"for t in range({T}):\n"
            f"    x_t = {step}  # ({B}, {I}): token t of every sentence\n"
            + ("    h, c = cell(x_t, (h, c))\n" if lstm else "    h = cell(x_t, h)\n")
            + "    outputs.append(h)\n"
            "    print(f'step {t}: x_t {tuple(x_t.shape)} -> h_t {tuple(h.shape)}')\n"
            f"outputs = torch.stack(outputs, dim={1 if c.batch_first else 0})\n"
            "print('x_t', tuple(x_t.shape))\n"
            "print('h_t', tuple(h.shape))\n"
            + ("print('c_t', tuple(c.shape))\n" if lstm else "")
            + "print('outputs', tuple(outputs.shape))\n"
        )
        return head + body
    D = c.directions
    LD = c.num_layers * D
    Ho = c.h_out
    args = [f"input_size={I}", f"hidden_size={H}", f"num_layers={c.num_layers}"]
    if c.bidirectional:
        args.append("bidirectional=True")
    if c.batch_first:
        args.append("batch_first=True")
    if c.module == "LSTM" and c.proj_size:
        args.append(f"proj_size={c.proj_size}")
    last = "output[:, -1]" if c.batch_first else "output[-1]"
    body = (
        f"rnn = nn.{c.module}({', '.join(args)})\n"
        f"h0 = torch.zeros({LD}, {B}, {Ho})  # (num_layers * directions, batch, H_out): never batch-first\n"
        + (f"c0 = torch.zeros({LD}, {B}, {H})  # cell state: (num_layers * directions, batch, hidden_size)\n"
           "output, (h_n, c_n) = rnn(x, (h0, c0))\n" if lstm else "output, h_n = rnn(x, h0)\n")
        + "print('input', tuple(x.shape))\n"
        "print('h_0', tuple(h0.shape))\n"
        + ("print('c_0', tuple(c0.shape))\n" if lstm else "")
        + "print('output', tuple(output.shape))\n"
        "print('h_n', tuple(h_n.shape))\n"
        + ("print('c_n', tuple(c_n.shape))\n" if lstm else "")
        + f"# the last time step's forward half is the top layer's final forward state\n"
        f"diff = ({last}[:, :{Ho}] - h_n[{-2 if D == 2 else -1}]).abs().max().item()\n"
        "print('max |output last step - h_n top layer|', diff)\n"
    )
    return head + body
