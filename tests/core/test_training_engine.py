"""The live-training engine: falling loss, determinism, divergence guard, live learning rate."""

import math

import torch

from rnnviz.srn.model import DEFAULT_TARGET, SEED_INPUT, SRNRun, SRNTrainConfig, SRNWeights


def _run(optimizer="Adam", lr=0.05, noise=False, seed=0, clip=None):
    start = SRNWeights().perturbed(0.1, seed) if noise else SRNWeights()
    return SRNRun(SEED_INPUT, DEFAULT_TARGET, start, "tanh", SRNTrainConfig(optimizer, lr, clip), seed=seed)


def test_loss_falls_below_stated_value():
    run = _run()
    first = run.step(1)["loss"]
    run.step(299)
    assert run.step_count == 300
    assert first > 1.0
    assert run.history[-1]["loss"] < 1e-4


def test_sgd_also_learns():
    run = _run("SGD", 0.1)
    run.step(500)
    assert run.history[-1]["loss"] < 0.5 * run.history[0]["loss"]


def test_same_seed_same_curve_after_reset():
    a, b = _run(noise=True, seed=5), _run(noise=True, seed=5)
    a.step(50)
    b.step(50)
    assert a.series("loss") == b.series("loss")
    c = _run(noise=True, seed=6)
    c.step(50)
    assert c.series("loss") != a.series("loss")


def test_huge_learning_rate_pauses_with_message_and_finite_weights():
    run = _run("SGD", 1e6)
    run.step(20)
    assert run.divergence is not None
    assert "learning rate" in run.divergence.message and "clipping" in run.divergence.message
    assert run.step_count < 20  # it stopped itself
    assert all(bool(torch.isfinite(p).all()) for p in run.model.parameters())
    assert all(math.isfinite(m["loss"]) for m in run.history)
    before = run.step_count
    run.step(5)  # paused: nothing happens until the divergence is cleared
    assert run.step_count == before


def test_recovery_after_lowering_learning_rate():
    run = _run("SGD", 1e6)
    run.step(20)
    assert run.divergence is not None
    run.set_live(0.01, None)
    run.clear_divergence()
    run.step(10)
    assert run.divergence is None
    assert run.step_count >= 10


def test_live_learning_rate_changes_optimizer_without_reset():
    run = _run()
    run.step(5)
    run.set_live(0.001, 1.0)
    assert run.optimizer.param_groups[0]["lr"] == 0.001
    assert run.step_count == 5
    run.step(1)
    assert run.history[-1]["grad_norm"] >= 0


def test_run_for_respects_time_budget_and_max_steps():
    run = _run()
    done = run.run_for(10.0, max_steps=7)
    assert done == 7 and run.step_count == 7
    assert run.run_for(0.05) > 0


def test_srn_run_reports_finished_once_converged():
    run = _run()
    run.step(10)
    assert not run.finished
    run.step(1000)
    assert run.history[-1]["loss"] < 1e-12 and run.finished


def test_a_run_that_ends_by_itself_says_why_and_never_steps_past_its_end():
    from rnnviz.seq2seq.hello import HelloConfig, HelloRun

    run = HelloRun(HelloConfig(epochs=2), seed=0)
    assert run.finish_reason is None
    run.step(5)
    assert run.step_count == 2 and run.finished
    assert run.finish_reason.startswith("2 epochs done: raise Epochs")
    assert run.run_for(0.2) == 0 and run.step_count == 2


def test_one_writer_claim_stops_an_older_loop_between_steps():
    import threading
    import time as _time

    from rnnviz.seq2seq.hello import HelloConfig, HelloRun

    run = HelloRun(HelloConfig(epochs=100_000), seed=0)
    token = run.claim()
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(run.run_for(30.0, keep_going=lambda: run.holds(token))))
    worker.start()
    _time.sleep(0.3)
    run.claim()  # a newer script run takes over ...
    with run.lock:  # ... and gets the run within one step, not after the older loop's 30 s
        at = run.step_count
    worker.join(5)
    assert not worker.is_alive() and done and done[0] == at > 0
