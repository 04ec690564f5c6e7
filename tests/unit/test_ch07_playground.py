"""Chapter 7's playground: the runs it trains, what its figure draws, the live widget's buttons.

(``test_demos.py`` checks the demos' controls, slider values, live redraws and static frames.)
"""

import asyncio
import sys
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from nnbook import training, widgets
from nnbook.book import ch07_training as ch
from nnbook.regularization import Dropout

from .figures import drawn

pg = sys.modules["nnbook.book.ch07_training.playground"]   # the module (``ch.playground`` is the function)

#: Learning rate at its maximum, ReLU, many wide layers: the run diverges in its first epoch.
DIVERGING = {"hidden_layers": 6, "units": 16, "activation": "relu", "learning_rate": 10.0}
#: A large learning rate that kills ReLU units without diverging.
DYING = {"activation": "relu", "learning_rate": 3.0}


def _own_points(rng, n=60):
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def _finite_drawing(figure):
    return all(np.all(np.isfinite(values)) for _, values in drawn(figure))


# --- runs -----------------------------------------------------------------------------------------


def test_default_run_learns_circles_in_its_fifty_epochs():
    run = ch.playground_run()
    assert run.history.status == "finished" and run.epoch == ch.PLAYGROUND_DEFAULTS["epochs"] == 50
    assert run.history.metrics["val_accuracy"][-1] >= 0.95
    assert len(run.snapshots) == run.epoch + 1


def test_same_settings_give_the_same_run():
    a, b = ch.playground_run(dropout=0.2), ch.playground_run(dropout=0.2)
    assert np.array_equal(a.network.flat_params, b.network.flat_params)
    assert a.history.loss == b.history.loss


def test_training_in_chunks_equals_training_at_once():
    settings = {"optimizer": "adam", "learning_rate": 0.03, "dropout": 0.2, "l1": 0.001, "batch_size": 5,
                "epochs": 12}
    whole = ch.playground_run(**settings)
    chunked = ch.PlaygroundRun(**settings)
    for epochs in (1, 5, 6):
        chunked.train(epochs)
    assert np.array_equal(whole.network.flat_params, chunked.network.flat_params)
    assert whole.history.loss == chunked.history.loss
    assert whole.history.metrics == chunked.history.metrics


def test_runs_train_with_the_librarys_fit(monkeypatch):
    calls = []
    fit = training.fit

    def counting_fit(*args, **kwargs):
        calls.append(kwargs["epochs"])
        return fit(*args, **kwargs)

    monkeypatch.setattr(training, "fit", counting_fit)
    ch.PlaygroundRun(epochs=7).train(3).train(4)
    assert calls == [3, 4]


def test_label_noise_flips_training_labels_only():
    clean = ch.playground_data("moons", noise=0.1, label_noise=0.0)
    noisy = ch.playground_data("moons", noise=0.1, label_noise=0.2)
    (X_train, y_clean), test_clean = clean
    (X_noisy, y_noisy), test_noisy = noisy
    assert np.array_equal(X_train, X_noisy) and np.array_equal(test_clean[1], test_noisy[1])
    assert np.sum(y_clean != y_noisy) == round(0.2 * len(y_clean))


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_training_share_splits_the_points(share):
    (X_train, _), (X_test, _) = ch.playground_data("xor", train_share=share, n=200)
    assert len(X_train) + len(X_test) == 200 and abs(len(X_train) - share * 200) <= 2


def test_features_are_the_named_functions_of_the_point():
    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    F = ch.playground_features(X, "all seven")
    x1, x2 = X.T
    expected = np.column_stack([x1, x2, x1 ** 2, x2 ** 2, x1 * x2, np.sin(np.pi * x1), np.sin(np.pi * x2)])
    assert np.array_equal(F, expected)
    assert np.array_equal(ch.playground_features(X, ["x2²", "x1"]), np.column_stack([x2 ** 2, x1]))


@pytest.mark.parametrize("settings, message", [
    ({"colour": "red"}, "unknown playground setting"),
    ({"dataset": "iris"}, "dataset must be one of"),
    ({"activation": "swish"}, "activation must be one of"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of"),
    ({"features": ["x1", "x3"]}, "features must name"),
    ({"learning_rate": 0}, "learning_rate"),
    ({"dropout": 1.0}, "dropout must be in"),
    ({"train_share": 1.0}, "train_share must be in"),
    ({"units": 0}, "units must be"),
])
def test_bad_settings_are_refused_with_the_setting_named(settings, message):
    with pytest.raises(ValueError, match=message):
        ch.PlaygroundRun(**settings)


# --- the code it prints -------------------------------------------------------------------------


@pytest.mark.parametrize("settings", [
    {},
    {"optimizer": "adam", "learning_rate": 0.03, "dropout": 0.3, "l2": 0.01, "features": "all seven", "epochs": 8},
    {"hidden_layers": 0, "dataset": "xor", "label_noise": 0.2, "l1": 0.003, "optimizer": "momentum", "epochs": 8},
], ids=["default", "adam-dropout-l2", "no-hidden-layer"])
def test_printed_code_rebuilds_the_network_and_its_training(settings):
    run = ch.playground_run(**settings)
    namespace = {}
    exec(run.code(), namespace)
    assert np.array_equal(namespace["network"].flat_params, run.network.flat_params)
    assert namespace["history"].loss == run.history.loss
    assert "training.mlp([" in run.code() and "training.fit(" in run.code()


def test_printed_code_of_a_run_on_your_data_uses_your_data(rng):
    X, y = _own_points(rng)
    run = ch.playground_run(X, y, epochs=6, units=3)
    namespace = {"X": X, "y": y}
    exec(run.code(), namespace)
    assert "X=X, y=y" in run.code()
    assert np.array_equal(namespace["network"].flat_params, run.network.flat_params)


def test_printed_code_of_a_live_run_after_chunks_reproduces_it():
    run = ch.PlaygroundRun(snapshots=False, dropout=0.1)
    run.train(3).train(2)
    namespace = {}
    exec(run.code(), namespace)
    assert "epochs=5" in run.code()
    assert np.array_equal(namespace["network"].flat_params, run.network.flat_params)


# --- divergence, dead units -----------------------------------------------------------------------


def test_a_diverging_run_stops_with_finite_weights():
    run = ch.playground_run(**DIVERGING)
    assert run.diverged and run.epoch < run.settings["epochs"]
    assert np.all(np.isfinite(run.network.flat_params))
    assert "smaller learning rate" in run.history.reason


def test_the_learning_rate_slider_reaches_the_diverging_setting():
    controls = ch.playground_controls()
    for name, value in DIVERGING.items():
        assert value in controls[name].values()


def test_a_diverging_run_is_drawn_paused_with_the_message_and_no_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        live = ch.PlaygroundFigure(**DIVERGING)
    assert "Diverged" in live.status.get_text() and "smaller" in live.status.get_text()
    assert live.status.get_visible()
    assert "diverged" in live.suptitle.get_text()
    assert _finite_drawing(live.figure)
    assert "diverged" in ch.playground_caption(**DIVERGING)


def test_a_finished_run_shows_no_divergence_message():
    live = ch.PlaygroundFigure()
    assert not live.status.get_visible()


def test_dead_relu_units_are_the_units_silent_on_every_training_point():
    run = ch.playground_run(**DYING)
    dead = run.dead_units()
    assert sum(int(d.sum()) for d in dead) > 0
    x = run.F_train
    dense = [layer for layer in run.network.layers if type(layer).__name__ == "Dense"]
    for layer, gone in zip(dense[:-1], dead):   # by hand: relu(x W + b), layer by layer
        x = np.maximum(x @ layer.params["W"] + layer.params["b"], 0)
        assert np.array_equal(gone, np.all(x == 0, axis=0))


def test_dead_units_are_drawn_grey_and_counted():
    dying, healthy = ch.PlaygroundFigure(**DYING), ch.PlaygroundFigure()
    n_dead = sum(int(d.sum()) for d in ch.playground_run(**DYING).dead_units())
    grey = [np.all(live.mosaic.get_array() == pg._DEAD, axis=-1).sum() for live in (dying, healthy)]
    assert grey[0] > 0 and grey[1] == 0
    assert f"{n_dead} of 8 hidden units dead" in dying.net_note.get_text()


def test_tanh_units_are_never_called_dead():
    assert not any(d.any() for d in ch.playground_run().dead_units())


# --- the figure -----------------------------------------------------------------------------------


def test_network_drawing_has_a_line_per_weight_coloured_by_sign_and_wide_by_size():
    run = ch.playground_run(hidden_layers=3, units=5, features="all seven")
    live = ch.PlaygroundFigure(run=run)
    weights = np.concatenate([W.ravel() for W in run.weights()])
    assert len(live.weights.get_segments()) == len(weights) == 7 * 5 + 5 * 5 * 2 + 5
    colours = live.weights.get_edgecolor()[:, :3]
    orange = np.array(to_rgb(pg.CLASS_COLOURS[0]))
    assert np.array_equal(np.all(np.isclose(colours, orange), axis=1), weights > 0)
    widths = np.asarray(live.weights.get_linewidth())
    order = np.argsort(np.abs(weights))
    assert np.all(np.diff(widths[order]) >= 0)


def test_every_input_and_hidden_unit_and_the_output_get_a_map():
    run = ch.playground_run(hidden_layers=3, units=5, features="x1, x2, x1·x2")
    live = ch.PlaygroundFigure(run=run)
    image = live.mosaic.get_array()
    frame = np.all(image[..., :3] == 60, axis=-1) & (image[..., 3] == 255)   # each tile's dark frame
    corners = frame[1:, 1:] & frame[:-1, 1:] & frame[1:, :-1] & ~frame[:-1, :-1]   # top-left corners
    assert corners.sum() == 3 + 3 * 5 + 1
    labels = [t.get_text() for t in live.feature_labels if t.get_text()]
    assert labels == ["x₁", "x₂", "x₁x₂"]
    assert [t.get_text() for t in live.column_labels if t.get_text()] == [
        "inputs", "layer 1", "layer 2", "layer 3", "output"]


def test_hidden_unit_maps_are_the_units_outputs_over_the_plane():
    run = ch.playground_run()
    x0, x1, y0, y1 = run.box
    gx, gy = np.meshgrid(np.linspace(x0, x1, 5), np.linspace(y0, y1, 5))
    points = np.column_stack([gx.ravel(), gy.ravel()])
    first = run.hidden_outputs(points)[0]
    W, b = run.weights()[0], run.network.layers[0].params["b"]
    assert np.allclose(first, np.tanh(points @ W + b))


def test_test_points_appear_on_the_toggle():
    run = ch.playground_run()
    hidden, shown = ch.PlaygroundFigure(), ch.PlaygroundFigure(show_test=True)
    count = [sum(len(live.points["test", c].get_offsets()) for c in (0, 1)) for live in (hidden, shown)]
    assert count == [0, len(run.X_test)]


def test_boundary_toggle_removes_the_line():
    assert len(ch.PlaygroundFigure().boundary.get_segments()) > 0
    assert len(ch.PlaygroundFigure(boundary=False).boundary.get_segments()) == 0


def test_curves_are_the_history_per_epoch():
    run = ch.playground_run()
    live = ch.PlaygroundFigure()
    for (name, part), values in {("loss", "train"): run.history.loss, ("loss", "test"): run.history.val_loss,
                                 ("accuracy", "test"): run.history.metrics["val_accuracy"]}.items():
        x, y = live.curves[name, part, "a"].get_data()
        assert np.array_equal(x, np.arange(1, 51)) and np.allclose(y, values)
    assert live.suptitle.get_text().startswith("Epoch 50: test accuracy")


def test_scrubber_shows_the_network_after_that_epoch():
    live = ch.PlaygroundEpochsFigure(epoch=20)
    after_20 = ch.playground_run(epochs=20)
    x0, x1, y0, y1 = after_20.box
    gx, gy = np.meshgrid(np.linspace(x0, x1, pg.SURFACE_RESOLUTION), np.linspace(y0, y1, pg.SURFACE_RESOLUTION))
    expected = after_20.probability(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    assert np.allclose(live.surface.get_array(), expected)
    assert len(live.curves["loss", "train", "a"].get_data()[0]) == 20
    assert live.suptitle.get_text().startswith("Epoch 20")


def test_scrubber_at_epoch_zero_shows_the_untrained_network():
    live = ch.PlaygroundEpochsFigure(epoch=0)
    assert live.suptitle.get_text() == "Epoch 0: the untrained network"
    assert "untrained" in ch.playground_epochs_caption(0)


# --- comparison mode ------------------------------------------------------------------------------


@pytest.mark.parametrize("name, value", [("learning_rate", 0.03), ("activation", "relu"), ("hidden_layers", 1)])
def test_comparison_runs_differ_in_one_setting_only(name, value):
    a, b = ch.playground_pair(name, value, epochs=10)
    assert [k for k in a.settings if a.settings[k] != b.settings[k]] == [name]
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert a.epoch == b.epoch == 10 and a.history.loss != b.history.loss
    if name == "learning_rate":
        assert np.array_equal(a.snapshots[0], b.snapshots[0])   # the same initial weights


def test_comparison_run_equals_a_run_of_its_own_settings():
    _, b = ch.playground_pair("learning_rate", 0.03, epochs=10, chunk=3)
    alone = ch.playground_run(learning_rate=0.03, epochs=10)
    assert np.array_equal(b.network.flat_params, alone.network.flat_params)


def test_comparison_overlays_the_second_runs_curves_dashed():
    a, b = ch.playground_pair("learning_rate", 0.03, epochs=10)
    live = ch.PlaygroundFigure(run=a)
    assert len(live.curves["loss", "train", "b"].get_data()[0]) == 0
    live.show(a, compare=b)
    x, y = live.curves["loss", "test", "b"].get_data()
    assert np.allclose(y, b.history.val_loss) and live.curves["loss", "test", "b"].get_linestyle() == "--"
    assert "learning_rate = 0.03" in live.subtitle.get_text()


def test_comparison_of_an_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="compare one of the settings"):
        ch.playground_pair("seed", 1)


# --- your own data --------------------------------------------------------------------------------


def test_your_own_data_is_split_and_trained_on(rng):
    X, y = _own_points(rng)
    run = ch.playground_run(X, y, epochs=30, hidden_layers=1)
    both = np.concatenate([run.X_train, run.X_test])
    assert sorted(map(tuple, both)) == sorted(map(tuple, X))
    assert run.history.metrics["val_accuracy"][-1] > 0.8
    live = ch.PlaygroundFigure(run=run)
    assert live.subtitle.get_text().startswith("your data")


@pytest.mark.parametrize("X, y, message", [
    (np.zeros((10, 3)), np.arange(10) % 2, r"shape \(N, 2\)"),
    (np.zeros(10), np.arange(10) % 2, r"shape \(N, 2\)"),
    ([["a", "b"]] * 4, [0, 1, 0, 1], "numbers"),
    (np.full((4, 2), np.nan), [0, 1, 0, 1], "NaN"),
    (np.zeros((10, 2)), np.arange(9) % 2, r"shape \(10,\)"),
    (np.zeros((10, 2)), np.arange(10) % 3, "labels 0 and 1"),
    (np.zeros((10, 2)), np.r_[np.zeros(9), 1], "at least 2 points of each class"),
    (np.zeros((10, 2)), None, "give the labels too"),
])
def test_bad_own_data_is_refused_with_a_message(X, y, message):
    with pytest.raises(ValueError, match=message):
        ch.playground(X, y)


# --- where it runs --------------------------------------------------------------------------------


def test_playground_outside_a_kernel_is_the_static_view(monkeypatch):
    monkeypatch.setenv(widgets.VIEW_VARIABLE, "static")
    view = ch.playground()
    assert isinstance(view, widgets.Demo) and view.function is ch.PlaygroundFigure
    assert view.frames() == ch.playground_demo().frames()      # (its HTML: tests/unit/test_widgets.py)


def test_playground_in_the_committed_notebooks_is_a_picture(monkeypatch):
    monkeypatch.setenv(widgets.VIEW_VARIABLE, "light")
    assert "image/png" in ch.playground()._repr_mimebundle_()


def test_playground_of_your_data_outside_a_kernel_is_its_trained_figure(monkeypatch, rng):
    monkeypatch.setenv(widgets.VIEW_VARIABLE, "static")
    X, y = _own_points(rng)
    figure = ch.playground(X, y, epochs=5)
    assert figure.texts[1].get_text().startswith("your data")


def test_playground_in_a_kernel_is_the_live_widget(monkeypatch):
    monkeypatch.delenv(widgets.VIEW_VARIABLE, raising=False)
    assert isinstance(ch.playground(), ch.Playground)


def test_static_view_crosses_layers_units_and_learning_rate_and_moves_the_rest_alone():
    demo = ch.playground_demo()
    assert list(demo.grid) == ["hidden_layers", "units", "learning_rate"]
    assert set(demo.grid) | set(demo.vary) == set(demo.controls)
    assert len(demo.frames()) == 3 * 2 * 3 + 16 <= widgets.MAX_FRAMES


# --- the live widget ------------------------------------------------------------------------------


def _drive(widget, *steps):
    """Run the event loop as a kernel would: for each (action, until), do the action, then give
    the loop turns until ``until(widget)`` holds (at most 400); then pause and let the training
    task end. Returns (epoch, running) after each turn."""
    seen = []

    async def main():
        for action, until in steps:
            action()
            for _ in range(400):
                await asyncio.sleep(0)
                seen.append((widget.runs[0].epoch, widget.running))
                if until(widget):
                    break
        widget.pause()
        while widget._task is not None:
            await asyncio.sleep(0)

    asyncio.run(main())
    return seen


def test_start_trains_in_the_background_and_pause_stops_it():
    widget = ch.Playground()
    before = widget.image.value
    seen = _drive(widget, (widget.buttons["start"].click, lambda w: w.runs[0].epoch >= 40))
    assert seen[-1][1] and seen[-1][0] >= 40                      # it was training
    assert not widget.running and widget._task is None           # paused, the task has ended
    epochs = [epoch for epoch, _ in seen]
    assert len(set(epochs)) > 2                                   # the loop yielded between chunks
    assert widget.image.value != before
    assert f"Epoch {widget.runs[0].epoch}: paused" in widget.status.value


def test_pause_button_stops_the_training_task():
    widget = ch.Playground()
    seen = _drive(widget, (widget.start, lambda w: w.runs[0].epoch >= 1),
                  (widget.buttons["pause"].click, lambda w: w._task is None))
    assert not seen[-1][1] and widget._task is None
    stopped = widget.runs[0].epoch
    _drive(widget, (lambda: None, lambda w: False))
    assert widget.runs[0].epoch == stopped


def test_chunks_stay_short_so_the_kernel_answers():
    widget = ch.Playground()
    seen = _drive(widget, (widget.start, lambda w: w.runs[0].epoch >= 60))
    epochs = [epoch for epoch, _ in seen]
    assert max(np.diff([0] + epochs)) <= widget.MAX_CHUNK      # a turn for the kernel every few epochs
    assert 1 <= widget._chunk <= widget.MAX_CHUNK


def test_step_trains_one_epoch_and_reset_goes_back_to_zero():
    widget = ch.Playground()
    widget.buttons["step"].click()
    widget.buttons["step"].click()
    assert widget.runs[0].epoch == 2 and not widget.running
    widget.buttons["reset"].click()
    assert widget.runs[0].epoch == 0


def test_a_moved_control_starts_a_new_run_and_training_goes_on():
    widget = ch.Playground()

    tasks = []

    def move():
        widget.controls["hidden_layers"].value = 3
        tasks.append(sum(task.get_coro().__name__ == "_train_loop" for task in asyncio.all_tasks()))

    seen = _drive(widget, (widget.start, lambda w: w.runs[0].epoch >= 30),
                  (move, lambda w: w.runs[0].epoch >= 10))
    run = widget.runs[0]
    assert run.settings["hidden_layers"] == 3 and run.epoch >= 10
    assert seen[-1][1]                                           # still training after the move
    assert tasks == [1]                                          # by the same task: one at a time
    assert widget.figure.column_labels[3].get_text() == "layer 3"


def test_display_toggles_redraw_without_a_new_run():
    widget = ch.Playground()
    widget.step()
    run, image = widget.runs[0], widget.image.value
    widget.controls["show_test"].value = True
    assert widget.runs[0] is run and widget.image.value != image


def test_feature_toggles_choose_the_inputs_and_keep_one():
    widget = ch.Playground()
    widget.feature_toggles["x1²"].value = True
    assert widget.runs[0].features == ("x1", "x2", "x1²")
    for name in ("x1", "x2", "x1²"):
        widget.feature_toggles[name].value = False
    assert widget.runs[0].features == ("x1²",)     # the last one stays on


def test_a_diverging_live_run_pauses_and_says_so():
    widget = ch.Playground(**DIVERGING)
    _drive(widget, (widget.start, lambda w: not w.running))
    assert not widget.running and widget.runs[0].diverged
    assert "Diverged" in widget.status.value and "learning rate smaller than 10" in widget.status.value
    assert _finite_drawing(widget.figure.figure)
    widget.start()                                   # a diverged run does not start again
    assert not widget.running and "reset" in widget.status.value


def test_live_comparison_trains_both_runs_in_lockstep():
    widget = ch.Playground(compare=("learning_rate", 0.03))
    a, b = widget.runs
    assert [k for k in a.settings if a.settings[k] != b.settings[k]] == ["learning_rate"]
    widget.step()
    assert a.epoch == b.epoch == 1
    assert len(widget.figure.curves["loss", "train", "b"].get_data()[0]) == 1
    widget.compare_name.value = ""
    assert len(widget.runs) == 1


def test_live_code_reproduces_the_live_network():
    widget = ch.Playground(dropout=0.2, optimizer="adam", learning_rate=0.01)
    widget.train(4)
    namespace = {}
    exec(widget.runs[0].code(), namespace)
    assert np.array_equal(namespace["network"].flat_params, widget.runs[0].network.flat_params)
    assert "training.mlp" in widget.code_box.value


def test_live_widget_on_your_data_disables_the_data_set_controls(rng):
    X, y = _own_points(rng)
    widget = ch.playground(X, y)
    assert widget.controls["dataset"].disabled and widget.controls["noise"].disabled
    widget.step()
    assert widget.runs[0].own_data and widget.runs[0].epoch == 1


def test_dropout_layers_follow_each_hidden_layer():
    network = ch.playground_network(2, hidden_layers=3, units=4, dropout=0.5)
    kinds = [type(layer).__name__ for layer in network.layers]
    assert kinds == ["Dense", "Activation", "Dropout"] * 3 + ["Dense"]
    assert len({id(layer.rng) for layer in network.layers if isinstance(layer, Dropout)}) == 1


def test_live_widget_refuses_a_start_beyond_its_sliders():
    with pytest.raises(ValueError, match="units slider goes from 1 to 16"):
        ch.Playground(units=32)
