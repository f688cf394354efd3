"""A run's history stays bounded however long it trains (issue 13), and keeps what pages quote."""

from __future__ import annotations

from rnnviz.binary.run import NOTES_EVERY, BinaryConfig, BinaryRun
from rnnviz.core.training import thin_history
from rnnviz.srn.model import DEFAULT_TARGET, SEED_INPUT, SRNRun, SRNTrainConfig, SRNWeights


def test_thin_history_keeps_the_first_entry_the_newest_half_and_the_named_steps():
    h = [{"step": float(i)} for i in range(1, 1002)]
    thin_history(h, 1000, keep=lambda step: step % 7 == 0)
    steps = [int(m["step"]) for m in h]
    assert len(h) < 1000 and steps[0] == 1 and steps[-1] == 1001
    assert steps == sorted(set(steps))
    assert steps[-500:] == list(range(502, 1002))  # the newest half whole
    assert all(s in steps for s in range(7, 1002, 7))  # every named step kept
    assert 3 not in steps and 5 not in steps and 4 in steps  # every other entry of the older half dropped
    before = list(h)
    thin_history(h, 1000)
    assert h == before  # under the limit: untouched


def test_a_long_run_keeps_a_bounded_history():
    run = SRNRun(SEED_INPUT, DEFAULT_TARGET, SRNWeights(), "tanh", SRNTrainConfig(), seed=0)
    run.history_limit = 400
    run.step(3000)
    steps = [int(m["step"]) for m in run.history]
    assert len(steps) <= 400, len(steps)
    assert steps[0] == 1 and steps[-1] == run.step_count == 3000
    assert steps == sorted(set(steps))
    assert run.at_step(3000) is run.history[-1] and run.at_step(1)["step"] == 1
    missing = next(s for s in range(1, 3000) if s not in steps)
    assert run.at_step(missing) is None  # thinned away


def test_binary_addition_keeps_the_notes_printouts_in_a_thinned_history():
    run = BinaryRun(BinaryConfig(), seed=0)
    run.history_limit = 300
    run.step(2 * NOTES_EVERY + 5)
    assert len(run.history) <= 300
    printed = run.notes_printouts()
    assert [s for s, _ in printed] == [1, NOTES_EVERY + 1, 2 * NOTES_EVERY + 1]
    assert all(line.startswith("Error ") for _, line in printed)
    assert run.printout().startswith("Error ")
