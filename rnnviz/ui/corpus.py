"""The corpus picker of the character language model: a built-in list or an upload, checked.

An upload that cannot be used (empty, binary, not UTF-8 or UTF-16 text, too short, too large)
gets its message in the page, and the page keeps the corpus it had, and so its training run.
The size limit is the server's own (``server.maxUploadSize`` in ``.streamlit/config.toml``),
stated in the label and checked here, so the user never meets two different limits.
"""

from __future__ import annotations

import streamlit as st

from rnnviz.char_lm.data import (
    BUILTIN,
    Corpus,
    CorpusError,
    builtin_corpus,
    make_corpus,
    parse_upload,
    upload_limit_bytes,
)

UPLOAD = "Upload your own (.txt)"


def pick_corpus() -> Corpus:
    """Draw the corpus radio (and the uploader); return the corpus to train on."""
    ss = st.session_state
    upload_mb = int(st.get_option("server.maxUploadSize"))  # the one upload limit: .streamlit/config.toml
    choice = st.radio("Corpus", [*BUILTIN, UPLOAD], key="char_lm_corpus", horizontal=True,
                      help="Dinosaur genera: the course's task. Chemical elements: a tiny list of a different "
                           "flavour. Tang poems: the couplets of about a hundred classical Chinese poems (use the "
                           "PyTorch engine: 886 characters). Or upload your own list.", bind="query-params")
    corpus, problem = None, None
    if choice == UPLOAD:
        upload = st.file_uploader(f"A UTF-8 text file, one item per line (at most {upload_mb} MB)",
                                  type=["txt"], key="char_lm_upload",
                                  help="Free text works too, Chinese included: long lines are cut at spaces or "
                                       "punctuation into short pieces. UTF-16 files are read as well.")
        if upload is None:
            problem = "Choose a file to train on your own list."
        else:
            try:
                corpus = make_corpus(upload.name, parse_upload(upload.getvalue(), upload.name,
                                                               upload_limit_bytes(upload_mb)))
            except CorpusError as err:
                st.error(str(err), icon=":material/error:")
                problem = "The file cannot be used."
    else:
        corpus = builtin_corpus(choice)
    if corpus is None:
        corpus = ss.get("char_lm_last_corpus") or builtin_corpus("Dinosaur genera")
        st.info(f"{problem} Meanwhile the page keeps the current corpus (**{corpus.name}**) and its training run.",
                icon=":material/info:")
    ss["char_lm_last_corpus"] = corpus
    return corpus
