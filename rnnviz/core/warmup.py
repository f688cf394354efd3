"""The slow first uses of PyTorch and Plotly, paid once per process in the background.

The first ``torch.optim`` optimizer a process builds imports ``torch._dynamo`` (about 1.4 s: sympy,
torch.distributed, ...), and the first figure of a kind loads Plotly's validators. Paid inside a
student's first page run, that made a direct link to a training page usable only ~6.5 s after the
server answered. :func:`warm_up` (called by the router on its first run) pays them in a daemon
thread while the first page is drawn and read. It holds no session's data: nothing to share.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_thread: threading.Thread | None = None


def warm_up() -> threading.Thread:
    """Start the warm-up once per process (later calls return the same thread)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_work, name="rnnviz-warmup", daemon=True)
            _thread.start()
        return _thread


def _work() -> None:
    # pandas first: a page may be importing it in the script thread right now, and Plotly only looks it up
    # in sys.modules, where it found the half-initialised module ("partially initialized module 'pandas'
    # has no attribute 'Series'"); an import statement waits for the other thread's import to finish.
    import pandas  # noqa: F401
    import plotly.graph_objects as go
    import torch

    from rnnviz.core.charts import style

    model = torch.nn.RNN(2, 3, batch_first=True)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)  # imports torch._dynamo
    out, _ = model(torch.zeros(1, 2, 2))
    out.sum().backward()
    optimizer.step()
    style(go.Figure([go.Scatter(y=[0.0, 1.0]), go.Heatmap(z=[[0.0, 1.0]]), go.Bar(y=[1.0])]))
