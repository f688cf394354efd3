"""Figures, curve archive and the plain-PyTorch snippet of Part 2 (encoder-decoder)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.core.charts import PALETTE, Look, empty_state, heatmap, legend_below, line_chart, style, subplot_titles
from rnnviz.seq2seq.encdec import DecodeTrace, EncDecConfig, EncDecRun

CURVE_KEYS = ("step", "loss", "free_loss", "pairs_right")


def curve_label(config: EncDecConfig, seed: int) -> str:
    """A short name for a run's curves: what differs between runs someone compares."""
    return f"teacher forcing {config.teacher_forcing:g}, hidden {config.hidden_size}, seed {seed}"


def curve_record(run: EncDecRun) -> dict[str, list[float]]:
    """A run's curves as plain lists (kept for comparison after the run is replaced)."""
    return {k: run.series(k) for k in CURVE_KEYS}


def comparison_figure(current: dict[str, list[float]], current_label: str, kept: dict[str, dict[str, list[float]]],
                      metric: str, projector: bool = False, n_pairs: int | None = None) -> go.Figure:
    """One metric of the current run (thick) against kept runs (dashed); ``n_pairs`` fixes the pairs axis."""
    titles = {
        "loss": ("Training loss", "cross entropy", True),
        "free_loss": ("Free-running loss", "cross entropy", True),
        "pairs_right": ("Pairs translated right", "pairs right (greedy)", False),
    }
    title, ylabel, log_y = titles[metric]
    series = {f"{label} (kept)": c[metric] for label, c in kept.items() if c[metric]}
    xs = {f"{label} (kept)": c["step"] for label, c in kept.items() if c[metric]}
    name = f"{current_label} (now)"
    series[name] = current[metric]
    xs[name] = current["step"]
    fig = line_chart(series, xs, title=title, xlabel="step", ylabel=ylabel, projector=projector, height=420,
                     log_y=log_y and all(v > 0 for ys in series.values() for v in ys),
                     dashed=tuple(k for k in series if k != name))
    look = Look.of(projector)
    fig.update_traces(line={"width": look.line_width + 1}, selector={"name": name})  # the current run: thicker
    if not current["step"]:
        empty_state(fig, look)
    if fig.layout.yaxis.type == "log":
        fig.update_yaxes(dtick="D2")  # label 1, 2, 5 per decade only
    if metric == "pairs_right" and n_pairs:
        fig.update_yaxes(range=[-0.3, n_pairs + 0.3], dtick=1 if n_pairs <= 10 else 2)
    return legend_below(fig, look)


def _grid(v: np.ndarray, width: int = 16) -> np.ndarray:
    """A long vector folded into rows of ``width`` (NaN-padded) so a heatmap stays readable."""
    rows = math.ceil(len(v) / width)
    out = np.full(rows * width, np.nan)
    out[:len(v)] = v
    return out.reshape(rows, width)  # (rows, width)


def context_figure(trace: DecodeTrace, projector: bool = False) -> go.Figure:
    """The context vector (encoder's final hidden state) folded into rows of 16 units."""
    H = len(trace.context)
    width = min(H, 16)
    z = _grid(trace.context, width)
    ys = [f"units {r * width + 1}-{min((r + 1) * width, H)}" for r in range(z.shape[0])]
    fig = heatmap(z, x=[str(j + 1) for j in range(width)], y=ys, zrange=(-1.0, 1.0), annotate=H <= 32,
                  title=f"Context for '{trace.word}': the encoder's final hidden state ({H} units)",
                  xlabel="unit (within the row)", ylabel="", projector=projector, height=140 + 34 * z.shape[0])
    return fig


def decoder_hidden_figure(trace: DecodeTrace, title: str, projector: bool = False) -> go.Figure:
    """Decoder hidden state after each step (rows), the context as the row above step 1."""
    z = np.vstack([trace.context[None, :], trace.hidden])  # (1 + L, H)
    rows = ["h₀ = context"] + [f"step {t + 1}: in {i} → out {o}"
                               for t, (i, o) in enumerate(zip(trace.inputs, trace.outputs))]
    return heatmap(z, x=[str(j + 1) for j in range(z.shape[1])], y=rows, zrange=(-1.0, 1.0), title=title,
                   xlabel="hidden unit", ylabel="", projector=projector, height=160 + 40 * len(rows))


def top5_figure(trace: DecodeTrace, vocab: tuple[str, ...], projector: bool = False, k: int = 5) -> go.Figure:
    """Each decoder step's five most likely output symbols, as horizontal bars."""
    L = len(trace.inputs)
    ncols = min(L, 4)
    nrows = math.ceil(L / ncols)
    titles = [f"step {t + 1}: in {trace.inputs[t]} → {trace.outputs[t]}" for t in range(L)]
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=titles, horizontal_spacing=0.08,
                        vertical_spacing=0.5 / nrows if nrows > 1 else 0.1)
    for t in range(L):
        order = np.argsort(-trace.probs[t])[:k]
        labels = [vocab[i] for i in order][::-1]
        values = trace.probs[t][order][::-1]
        colours = [PALETTE[5] if lab == trace.outputs[t] else PALETTE[0] for lab in labels]
        fig.add_trace(go.Bar(x=values, y=labels, orientation="h", marker={"color": colours}, showlegend=False,
                             text=[f"{v:.2f}" for v in values], textposition="auto",
                             hovertemplate="%{y}: %{x:.4f}<extra></extra>"),
                      row=t // ncols + 1, col=t % ncols + 1)
        fig.update_xaxes(range=[0, 1], row=t // ncols + 1, col=t % ncols + 1)
    fig.update_layout(title="Top-5 probabilities per decoder step (chosen symbol in vermillion)")
    style(fig, projector, height=60 + 230 * nrows)
    return subplot_titles(fig, Look.of(projector), room=False)


def code_snippet(config: EncDecConfig, seed: int, steps: int, every: int = 50) -> str:
    """A standalone script that trains the encoder-decoder exactly as the page does."""
    c = config
    return (
        "import string\n\nimport torch\nimport torch.nn.functional as F\n\n"
        f"pairs = {list(c.pairs)!r}\n"
        "letters = sorted(set(string.ascii_lowercase) | {ch for pair in pairs for w in pair for ch in w})\n"
        "vocab = ['S', 'E', '?'] + letters  # S: start, E: end, ?: padding\n"
        "V = len(vocab)\n"
        "n_step = max(len(w) for pair in pairs for w in pair)\n\n"
        "def ids(symbols):\n"
        "    return [vocab.index(ch) for ch in symbols]\n\n"
        "enc = torch.tensor([ids(a + '?' * (n_step - len(a)) + 'E') for a, _ in pairs]).T  # (n_step+1, B)\n"
        "dec_in = torch.tensor([ids('S' + b + '?' * (n_step - len(b))) for _, b in pairs]).T  # (n_step+1, B)\n"
        "dec_out = torch.tensor([ids(b + '?' * (n_step - len(b)) + 'E') for _, b in pairs]).T  # (n_step+1, B)\n"
        "one_hot = torch.eye(V)\n\n"
        f"torch.manual_seed({seed})\n"
        f"encoder = torch.nn.RNN(V, {c.hidden_size})\n"
        f"decoder = torch.nn.RNN(V, {c.hidden_size})\n"
        f"fc = torch.nn.Linear({c.hidden_size}, V)\n"
        "params = [*encoder.parameters(), *decoder.parameters(), *fc.parameters()]\n"
        f"optimizer = torch.optim.Adam(params, lr={c.lr!r})\n"
        f"coins = torch.Generator().manual_seed({seed})\n"
        f"teacher_forcing = {c.teacher_forcing!r}\n\n"
        "def run_decoder(enc_ids, first, true_inputs, steps, ratio):\n"
        "    _, h = encoder(one_hot[enc_ids])  # context: (1, B, hidden)\n"
        "    x, logits = first, []\n"
        "    for t in range(steps):\n"
        "        out, h = decoder(one_hot[x].unsqueeze(0), h)  # (1, B, hidden)\n"
        "        logits.append(fc(out[0]))  # (B, V)\n"
        "        if t + 1 == steps:\n"
        "            break\n"
        "        guess = logits[-1].detach().argmax(-1)\n"
        "        if ratio >= 1.0:\n"
        "            x = true_inputs[t + 1]\n"
        "        elif ratio <= 0.0:\n"
        "            x = guess\n"
        "        else:\n"
        "            x = torch.where(torch.rand(x.shape[0], generator=coins) < ratio, true_inputs[t + 1], guess)\n"
        "    return torch.stack(logits)  # (steps, B, V)\n\n"
        f"for step in range(1, {int(steps)} + 1):\n"
        "    optimizer.zero_grad()\n"
        "    logits = run_decoder(enc, dec_in[0], dec_in, n_step + 1, teacher_forcing)\n"
        "    loss = F.cross_entropy(logits.reshape(-1, V), dec_out.reshape(-1))\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        f"    if step % {int(every)} == 0:\n"
        "        print(f'step {step} loss {loss.item():.6f}')\n\n"
        "def translate(word):  # greedy: feed back each prediction, stop at E\n"
        "    with torch.no_grad():\n"
        "        enc_ids = torch.tensor(ids(word + '?' * (n_step - len(word)) + 'E')).unsqueeze(1)\n"
        "        logits = run_decoder(enc_ids, torch.tensor(ids('S')), None, n_step + 1, 0.0)\n"
        "    out = ''.join(vocab[i] for i in logits[:, 0].argmax(-1).tolist())\n"
        "    return out.split('E')[0].replace('?', '')\n\n"
        "for a, b in pairs:\n"
        "    print(f'{a} -> {translate(a)}')\n"
    )

