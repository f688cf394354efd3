"""rnnviz: the library behind the explorer (NumPy, PyTorch, Plotly; never Streamlit)."""

__version__ = "0.1.0"
