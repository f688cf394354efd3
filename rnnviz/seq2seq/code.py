"""Show code for the seq2seq page: hello -> ohlol (one variant) and the encoder-decoder, in plain PyTorch."""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.core import recurrent
from rnnviz.seq2seq.encdec import EncDecConfig
from rnnviz.seq2seq.hello import HelloConfig


@dataclass(frozen=True)
class CodeConfig:
    """What the script reproduces: Part 1 (``hello`` set) or Part 2 (``encdec`` set), with the run's seed."""

    seed: int  # the seed the page's run was built from
    hello: HelloConfig | None = None  # Part 1 settings ...
    variant: str = "a"  # ... and which variant: a / b / c
    encdec: EncDecConfig | None = None  # Part 2 settings
    steps: int = 300  # Part 2: training steps the script runs
    every: int = 50  # Part 2: print every this many steps


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    if config.hello is not None:
        return _hello_script(config.hello, config.variant, config.seed)
    if config.encdec is None:
        raise ValueError("CodeConfig needs hello or encdec settings")
    return _encdec_script(config.encdec, config.seed, config.steps, config.every)


def _hello_script(config: HelloConfig, variant: str, seed: int) -> str:
    """A standalone script that trains one variant exactly as the page does and prints each epoch."""
    c = config
    mod = recurrent.CELLS[c.cell].name
    head = (
        "import torch\n\n"
        f"source, target = {c.source!r}, {c.target!r}\n"
        "vocab = sorted(set(source) | set(target))  # the characters define the vocabulary\n"
        "x = torch.tensor([vocab.index(ch) for ch in source])  # (T,) indices\n"
        "y = torch.tensor([vocab.index(ch) for ch in target])  # (T,) class labels\n"
        "V = len(vocab)\n"
        f"torch.manual_seed({seed})\n"
    )
    if variant == "a":
        model = (
            f"model = torch.nn.{mod}Cell(V, V)  # hidden size = vocabulary size: h_t are the scores\n"
            "lookup = torch.eye(V)  # row i = one-hot vector of character i\n\n"
            "def forward():\n"
            "    inputs = lookup[x].unsqueeze(1)  # (T, batch=1, V)\n"
            "    state, scores = None, []\n"
            "    for x_t in inputs:  # one time step at a time\n"
            "        state = model(x_t, state)\n"
            "        scores.append((state[0] if isinstance(state, tuple) else state)[0])\n"
            "    scores = torch.stack(scores)  # (T, V)\n"
            "    loss = 0\n"
            "    for t in range(len(y)):  # the seed sums the loss over the steps\n"
            "        loss = loss + torch.nn.functional.cross_entropy(scores[t:t + 1], y[t:t + 1])\n"
            "    return scores, loss\n"
        )
    elif variant == "b":
        model = (
            f"model = torch.nn.{mod}(V, V)  # one call over the whole sequence\n"
            "lookup = torch.eye(V)\n\n"
            "def forward():\n"
            "    out, _ = model(lookup[x].unsqueeze(1))  # (T, batch=1, V)\n"
            "    scores = out.view(-1, V)  # (T, V)\n"
            "    return scores, torch.nn.functional.cross_entropy(scores, y)\n"
        )
    else:
        model = (
            "class Model(torch.nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            f"        self.embedding = torch.nn.Embedding(V, {c.embedding_size})\n"
            f"        self.rnn = torch.nn.{mod}({c.embedding_size}, {c.hidden_size}, {c.num_layers},\n"
            "                                batch_first=True)\n"
            f"        self.fc = torch.nn.Linear({c.hidden_size}, V)\n\n"
            "    def forward(self, ids):\n"
            "        out, _ = self.rnn(self.embedding(ids.unsqueeze(0)))  # (batch=1, T, hidden)\n"
            "        return self.fc(out[0])  # (T, V)\n\n"
            "model = Model()\n\n"
            "def forward():\n"
            "    scores = model(x)\n"
            "    return scores, torch.nn.functional.cross_entropy(scores, y)\n"
        )
    loop = (
        f"\noptimizer = torch.optim.Adam(model.parameters(), lr={c.lr!r})\n"
        f"epochs = {c.epochs}\n"
        "for epoch in range(1, epochs + 1):\n"
        "    optimizer.zero_grad()\n"
        "    scores, loss = forward()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "    predicted = ''.join(vocab[i] for i in scores.argmax(dim=1).tolist())\n"
        "    print(f'Predicted: {predicted}, Epoch {epoch}/{epochs}, loss {loss.item():.4f}')\n"
    )
    return head + model + loop


def _encdec_script(config: EncDecConfig, seed: int, steps: int, every: int = 50) -> str:
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
