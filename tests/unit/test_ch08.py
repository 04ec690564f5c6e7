"""Chapter 8 (convolutional networks): its computations against oracles, its figures on what
they draw, its demos, the trained network, and its checkers."""

import html

import numpy as np
import pytest
from scipy import signal

from nnbook import activations, conv, gradcheck, layers
from nnbook.book import ch08_convolution as ch08
from nnbook.book.ch00_introduction import IMAGENET_TOP5_ERROR
from nnbook.book.ch08_convolution import checkers

from .figures import drawn, full_render, pixels, texts_outside_canvas

# --- convolution of two functions ------------------------------------------------------------------


@pytest.mark.parametrize("pair", list(ch08.PAIRS))
@pytest.mark.parametrize("operation", ch08.OPERATIONS)
def test_the_output_curve_is_the_overlap_at_every_shift(pair, operation):
    f, g, *_ = ch08.PAIRS[pair]
    ts = np.array([-3.0, -1.25, 0.0, 0.5, 2.75])
    _, values = ch08.output_curve(f, g, operation, ts)
    np.testing.assert_allclose(values, [ch08.overlap(f, g, t, operation) for t in ts], atol=1e-12)


def test_two_unit_boxes_convolve_to_a_triangle_of_height_two():
    ts, values = ch08.output_curve(ch08.box, ch08.box, "convolution", np.array([-2.0, -1.0, 0.0, 1.0, 2.0]))
    np.testing.assert_allclose(values, [0.0, 1.0, 2.0, 1.0, 0.0], atol=0.02)   # the grid's step


def test_the_convolution_is_np_convolve_on_the_grid():
    f, g = ch08.box(ch08.TAU), ch08.ramp(ch08.TAU)
    full = np.convolve(f, g) * ch08.STEP             # index k is the shift TAU[0] * 2 + k * STEP
    t = 0.5
    index = int(round((t - 2 * ch08.TAU[0]) / ch08.STEP))
    assert ch08.overlap(ch08.box, ch08.ramp, t, "convolution") == pytest.approx(full[index], abs=1e-9)


def test_cross_correlation_is_convolution_with_the_kernel_mirrored():
    mirrored = lambda u: ch08.ramp(-u)
    for t in (-1.0, 0.25, 1.5):
        assert ch08.overlap(ch08.box, ch08.ramp, t, "cross-correlation") == pytest.approx(
            ch08.overlap(ch08.box, mirrored, t, "convolution"))


def test_the_echo_smears_a_convolution_later_and_a_cross_correlation_earlier():
    ts, conv_values = ch08.output_curve(ch08.box, ch08.decay, "convolution")
    _, corr_values = ch08.output_curve(ch08.box, ch08.decay, "cross-correlation")
    assert ts[np.argmax(conv_values)] == pytest.approx(1.0, abs=0.05)       # the echo comes after
    assert ts[np.argmax(corr_values)] == pytest.approx(-1.0, abs=0.05)


def test_slid_refuses_an_unknown_operation():
    with pytest.raises(ValueError, match="operation must be one of"):
        ch08.slid(ch08.box, 0.0, "correlation")


# --- kernels ------------------------------------------------------------------------------------------


def test_the_photograph_is_grey_four_times_smaller_and_in_the_unit_range():
    photo = ch08.photograph()
    assert photo.shape == (106, 160)
    assert 0.0 <= photo.min() < photo.max() <= 1.0


def test_the_kernel_demos_digit_has_paper_at_zero_and_ink_up_to_one():
    image = ch08.digit(0)
    assert image.shape == (8, 8) and image.min() == pytest.approx(0.0, abs=1e-12) and image.max() <= 1.0


@pytest.mark.parametrize("name", list(ch08.KERNELS))
def test_filtered_is_scipys_cross_correlation_without_padding(name, rng):
    picture = rng.normal(size=(9, 11))
    np.testing.assert_allclose(ch08.filtered(picture, ch08.KERNELS[name]),
                               signal.correlate2d(picture, ch08.KERNELS[name], mode="valid"), atol=1e-12)


@pytest.mark.parametrize("name", list(ch08.KERNELS))
def test_averaging_kernels_add_up_to_one_and_detectors_to_zero(name):
    total = ch08.KERNELS[name].sum()
    assert total == pytest.approx(1.0 if name in ("identity", "blur (box)", "blur (Gaussian)", "sharpen") else 0.0)
    assert name in ch08.KERNEL_NOTES


def test_the_corner_kernel_ignores_straight_edges_and_answers_a_corner():
    step = np.zeros((8, 8))
    step[:, 4:] = 1.0
    corner = np.zeros((8, 8))
    corner[4:, 4:] = 1.0
    corners = ch08.KERNELS["corners"]
    assert np.abs(ch08.filtered(step, corners)).max() == 0
    assert np.abs(ch08.filtered(step.T, corners)).max() == 0
    assert np.abs(ch08.filtered(corner, corners)).max() == 1.0


def test_filtered_refuses_an_even_or_non_square_kernel():
    with pytest.raises(ValueError, match="square array of odd size"):
        ch08.filtered(np.zeros((5, 5)), np.ones((2, 2)))


def test_the_kernel_figure_shows_the_output_under_the_window_centres():
    figure = ch08.KernelFigure.plot(image="digit", kernel="vertical edges (Sobel)")
    images = [data for kind, data in drawn(figure) if kind == "image"]
    shown = [image for image in images if np.isnan(image).any()]     # the visible output, padded
    expected = ch08.filtered(ch08.digit(0), ch08.KERNELS["vertical edges (Sobel)"])
    assert any(np.allclose(image[1:-1, 1:-1], expected) and np.isnan(image[0]).all() for image in shown)


def test_a_typed_kernel_of_another_size_draws():
    figure = ch08.KernelFigure.plot(image="photograph", kernel=np.ones((5, 5)) / 25)
    assert "your kernel" in figure.get_suptitle() and "102 x 156" in figure.get_suptitle()


# --- shapes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, k, p, s", [(8, 3, 1, 2), (7, 3, 0, 3), (12, 2, 3, 4), (5, 5, 0, 1), (3, 1, 0, 4),
                                        (10, 7, 2, 3)])
def test_window_geometry_counts_windows_coverage_and_the_dropped_rows_as_the_library(n, k, p, s):
    g = ch08.window_geometry(n, k, p, s)
    assert g["out"] == conv.output_size(n, k, p, s) and g["dropped"] == conv.dropped(n, k, p, s)
    assert g["coverage"].sum() == (g["out"] * k) ** 2
    if g["dropped"]:
        assert g["coverage"][-g["dropped"]:].sum() == 0 and g["coverage"][:, -g["dropped"]:].sum() == 0
    ones = conv.col2im(np.ones((g["out"] ** 2, k * k)), (1, 1, n + 2 * p, n + 2 * p), k, s)[0, 0]
    np.testing.assert_array_equal(g["coverage"], ones)   # col2im of ones counts each pixel's windows


def test_window_geometry_has_no_window_when_the_kernel_is_too_large():
    g = ch08.window_geometry(5, 7, 0, 1)
    assert not g["fits"] and g["out"] == 0 and g["coverage"].sum() == 0
    assert "none" in ch08.shapes_title(5, 7, 0, 1)


def test_shapes_title_puts_the_numbers_into_the_formula():
    assert ch08.shapes_title(8, 3, 1, 2) == ("output size ⌊(8 + 2·1 − 3) / 2⌋ + 1 = ⌊7 / 2⌋ + 1 = 4;\n"
                                            "floor mode drops the last 1 row and column")


def test_shapes_captions_say_what_is_dropped_and_unseen():
    assert ch08.shapes_caption(7, 3, 0, 3) == (
        "A 3 x 3 kernel with stride 3 on a 7 x 7 input padded by 0: 2 x 2 windows, so the output is 2 x 2; "
        "floor mode drops 1 row(s) and column(s) at the end; 13 input pixel(s) are never inside a window.")


def test_the_shapes_figure_draws_a_dot_per_window_and_the_output_grid():
    figure = ch08.ShapesFigure.plot(size=9, kernel=3, padding=1, stride=2)
    offsets = [data for kind, data in drawn(figure) if kind == "offsets" and len(data) > 1]
    assert len(offsets[0]) == conv.output_size(9, 3, 1, 2) ** 2


# --- im2col -------------------------------------------------------------------------------------------


def test_the_patch_matrix_times_the_kernel_is_the_sliding_window_and_scipy():
    product = ch08.patch_matrix() @ ch08.PATCH_KERNEL.ravel()
    np.testing.assert_array_equal(product.reshape(3, 3), ch08.sliding_output())
    np.testing.assert_allclose(ch08.sliding_output(), signal.correlate2d(ch08.PATCH_INPUT, ch08.PATCH_KERNEL, "valid"))


def test_the_patches_figure_hides_exactly_the_rows_not_reached():
    figure = ch08.PatchesFigure.plot(window=4)
    title = figure.get_suptitle()
    assert "window 4 of 9" in title and title.endswith(f"= {ch08.sliding_output().ravel()[3]:g}".replace("-", "−"))


# --- the digits CNN -------------------------------------------------------------------------------------


def test_the_split_keeps_a_quarter_of_each_class_for_testing():
    data = ch08.digit_images()
    assert data.x_train.shape == (1347, 1, 8, 8) and data.x_test.shape == (450, 1, 8, 8)
    for label in range(10):
        in_test, in_all = np.sum(data.y_test == label), np.sum(data.y_test == label) + np.sum(data.y_train == label)
        assert abs(in_test - 0.25 * in_all) <= 1
    assert data.x_train.mean() == pytest.approx(0.0, abs=1e-12) and data.x_train.std() == pytest.approx(1.0)
    assert data.standardise(data.mean) == pytest.approx(0.0)


def test_the_network_has_the_chapters_shapes_and_parameters():
    network = ch08.digits_cnn(0)
    assert network.output_shape((1, 8, 8)) == (10,)
    assert network.n_params == 16 * 9 + 16 + 256 * 10 + 10 == 2730
    assert ch08.digits_mlp(0).n_params == layers.mlp_param_count(ch08.MLP_SIZES) == 4810


def test_flops_count_each_layers_multiply_adds():
    assert ch08.flops_per_image(ch08.digits_cnn(0)) == 16 * 8 * 8 * 9 + 256 * 10


def test_training_saves_the_filters_of_every_epoch_and_ends_with_the_networks():
    run = ch08.train_cnn(0)
    assert run.snapshots.shape == (ch08.TRAINING["epochs"] + 1, 16, 1, 3, 3)
    np.testing.assert_array_equal(run.snapshots[-1], run.network[0].params["W"])
    assert run.test_accuracy == run.history.metrics["val_accuracy"][-1]


def test_the_cnn_reaches_98_percent_on_average_over_five_seeds():
    accuracies = [ch08.train_cnn(seed).test_accuracy for seed in range(5)]
    assert np.mean(accuracies) >= 0.98 and min(accuracies) >= 0.97


def test_training_is_reproducible():
    again = ch08.train_cnn.__wrapped__(0)
    np.testing.assert_array_equal(again.network.flat_params, ch08.train_cnn(0).network.flat_params)


def test_shift_images_moves_and_fills():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    right = ch08.shift_images(x, 0, 1, fill=-1.0)[0, 0]
    np.testing.assert_array_equal(right[:, 1:], x[0, 0, :, :-1])
    assert (right[:, 0] == -1).all()
    up = ch08.shift_images(x, -1, 0, fill=0.0)[0, 0]
    np.testing.assert_array_equal(up[:-1], x[0, 0, 1:])


def test_the_cnn_keeps_more_of_its_accuracy_on_moved_digits_than_the_mlp():
    for seed in (0, 1, 2):
        cnn = np.mean(list(ch08.shifted_accuracy(ch08.train_cnn(seed).network).values()))
        mlp = np.mean(list(ch08.shifted_accuracy(ch08.train_mlp(seed).network, flat=True).values()))
        assert cnn > mlp + 0.05


def test_unit_gradient_is_the_numerical_gradient(rng):
    network = ch08.digits_cnn(3)
    x = rng.normal(size=(1, 1, 8, 8))
    unit = (4, 2, 1)
    analytic = ch08.unit_gradient(network.layers[:3], x, unit)

    def value():
        out = x
        for layer in network.layers[:3]:
            out = layer.forward(out)
        return out[(0, *unit)]

    assert gradcheck.rel_error(analytic, gradcheck.numerical_gradient(value, x)) < 1e-6


def test_the_effective_field_of_a_pooled_unit_lies_inside_its_theoretical_field():
    run = ch08.train_cnn(0)
    for unit in [(0, 0), (1, 1), (3, 2)]:
        field, theory = ch08.effective_field(run, unit, 3), ch08.theoretical_field(unit)
        assert field.sum() == pytest.approx(1.0) and field[~theory].sum() == 0 and (field[theory] > 0).any()
    assert ch08.theoretical_field((1, 1)).sum() == 16 and ch08.theoretical_field((0, 0)).sum() == 9


def test_pooling_takes_about_a_third_off_a_one_pixel_moves_change_over_seeds():
    # the page: "about a third of the change goes, two thirds stay" (summary: "a third less")
    data = ch08.digit_images()
    moved = ch08.shift_images(data.x_test, 0, 1, fill=data.standardise(0.0))
    for seed in (0, 1, 2, 3):
        before, after = (ch08.train_cnn(seed).network.trace(x) for x in (data.x_test, moved))
        removed = 1 - ch08.relative_change(before[2][1], after[2][1]) / ch08.relative_change(before[1][1], after[1][1])
        assert 0.25 < removed < 0.4


def test_the_cross_is_named_a_digit_and_the_seeds_disagree_on_how_sure():
    # the page: every network names a digit; seeds 0, 1, 2 "do not even agree on how sure to be"
    cross = ch08.network_input("a cross (no digit)")
    sure = [activations.softmax(ch08.train_cnn(seed).network.forward(cross))[0].max() for seed in (0, 1, 2)]
    assert max(sure) > 0.99 and max(sure) - min(sure) > 0.2


def test_the_effective_field_of_the_class_scores_covers_the_image():
    field = ch08.effective_field(ch08.train_cnn(0), "label", 5)
    assert field.sum() == pytest.approx(1.0) and (field > 0).all()


# --- receptive fields ------------------------------------------------------------------------------


@pytest.mark.parametrize("layers_, expected", [([(3, 1)] * 3, [3, 5, 7]), ([(3, 1), (2, 2)], [3, 4]),
                                               ([(3, 1), (3, 2), (3, 1)], [3, 5, 9]), ([(7, 2), (3, 2)], [7, 11])])
def test_receptive_field_widths(layers_, expected):
    assert ch08.receptive_field(layers_) == expected


@pytest.mark.parametrize("depth", [1, 2, 4])
def test_the_averaging_stacks_field_is_a_binomial_bump(depth):
    row = np.array([1.0])
    for _ in range(depth):
        row = np.convolve(row, np.ones(3) / 3)
    expected = np.zeros((21, 21))
    start = 10 - depth
    expected[start:start + 2 * depth + 1, start:start + 2 * depth + 1] = np.outer(row, row)
    np.testing.assert_allclose(ch08.stacked_field(depth), expected, atol=1e-15)


@pytest.mark.parametrize("depth", [2, 3, 4])
def test_a_corner_of_the_field_is_reached_by_one_path_a_border_pixel_by_more(depth):
    # averaging layers: the gradient at a pixel is (number of paths) / 9**depth, summing to 1
    field, start = ch08.stacked_field(depth), 10 - depth
    assert field[start, start] * 9 ** depth == pytest.approx(1.0)
    assert field[start, 10] * 9 ** depth > 1.5


def test_square_holding_finds_the_smallest_centred_square():
    field = np.zeros((5, 5))
    field[2, 2], field[1, 2] = 0.8, 0.2
    assert ch08.square_holding(field, 0.8) == 1 and ch08.square_holding(field, 0.9) == 3


def test_stacks_and_bottlenecks_count_as_conv_param_count():
    assert ch08.stack_versus_one(64) == (3 * (64 * 64 * 9 + 64), 64 * 64 * 49 + 64)
    costs = ch08.bottleneck_costs()
    assert costs["direct"] == (192 * 128 * 9 + 128, 28 * 28 * 192 * 128 * 9)
    assert costs["reduced"] == (192 * 96 + 96 + 96 * 128 * 9 + 128, 28 * 28 * (192 * 96 + 96 * 128 * 9))


# --- architectures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ch08.TABLE, ids=[row[0] for row in ch08.TABLE])
def test_the_depth_counted_from_the_layers_is_the_papers(row):
    label, key, _, depth, _ = row
    assert ch08.longest_path(key) == depth


def test_the_table_takes_counts_from_the_counter_and_errors_from_chapter_0():
    rows = {row[0]: row for row in ch08.architecture_rows()}
    assert rows["VGG16"][3] == 138_357_544 and rows["ResNet-50"][3] == 25_557_032
    assert rows["AlexNet"][5] == IMAGENET_TOP5_ERROR["AlexNet (2012)"] and rows["LeNet-5"][5] is None
    assert rows["AlexNet"][4] < 0.05 < 0.9 < rows["ResNet-18"][4]
    assert "(no ImageNet)" in ch08.architecture_table()
    # the top-5 errors are the teams' ensembles: the table says so, and that ResNet-18/50 were not the entry
    table = " ".join(ch08.architecture_table().split())
    assert "ensemble" in table and "152 layers" in table and "ResNet-18 and ResNet-50 rows repeat" in table


# --- figures -----------------------------------------------------------------------------------------


def test_the_backward_figure_is_the_full_convolution():
    e = ch08.BACKWARD
    np.testing.assert_allclose(ch08.full_convolution(e["delta"], e["W"]), signal.convolve2d(e["delta"], e["W"]))
    dx = conv.conv2d_backward(e["delta"][None, None], e["x"][None, None], e["W"][None, None])[0][0, 0]
    np.testing.assert_allclose(ch08.full_convolution(e["delta"], e["W"]), dx)
    texts = [t.get_text() for t in ch08.plot_backward().axes[0].texts]
    assert sum(text == f"{value:g}" for value in dx.ravel() for text in texts) >= dx.size


def test_the_max_pool_figure_writes_the_gradient_at_the_winners_only():
    figure = ch08.plot_max_pool_routing()
    bold = [t.get_text() for t in figure.axes[0].texts if t.get_weight() == "bold"]
    assert sorted(bold) == sorted(["4", "5", "3", "6", "0.5", "-1", "0.25", "2"])


def test_pipeline_rows_walk_the_networks_shapes():
    rows = ch08.pipeline_rows(ch08.digits_cnn(0))
    assert [row[2] for row in rows] == [(1, 8, 8), (16, 8, 8), (16, 8, 8), (16, 4, 4), (256,), (10,), ()]
    assert sum(row[3] for row in rows) == 2730


def test_relative_change_is_zero_for_equal_and_one_for_zeroed():
    a = np.arange(1.0, 7.0).reshape(2, 3)
    assert ch08.relative_change(a, a) == 0 and ch08.relative_change(a, np.zeros_like(a)) == 1


def _figures():
    run = ch08.train_cnn(0)
    maps = run.network.trace(ch08.digit_images().x_test[:1])[1][1][0]
    stacked = {d: ch08.stacked_field(d) for d in (1, 2)}
    return {
        "backward": ch08.plot_backward,
        "max-pool": ch08.plot_max_pool_routing,
        "pooling": lambda: ch08.plot_pooling(maps[0], maps[1], 1),
        "pipeline": lambda: ch08.plot_pipeline(run.network),
        "receptive": ch08.plot_receptive_fields,
        "effective": lambda: ch08.plot_effective_fields(
            stacked, {"pooled": (ch08.effective_field(run, (1, 1), 3), ch08.theoretical_field((1, 1))),
                      "class": ch08.effective_field(run, "label", 5)}, np.zeros((8, 8))),
        "training": lambda: ch08.plot_training({0: run}, {0: ch08.train_mlp(0)}),
        "convolution": lambda: ch08.ConvolutionFigure.plot(pair="two pulses and an echo", t=-4.0),
        "kernels": lambda: ch08.KernelFigure.plot(image="photograph", kernel="diagonal lines (\\)"),
        "shapes": lambda: ch08.ShapesFigure.plot(size=12, kernel=7, padding=3, stride=4),
        "patches": lambda: ch08.PatchesFigure.plot(window=9),
        "filters": lambda: ch08.FiltersFigure.plot(epoch=0),
        "explainer": lambda: ch08.ExplainerFigure.plot(digit="a cross (no digit)"),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_no_text_of_a_chapter_figure_falls_outside_its_canvas(name):
    assert texts_outside_canvas(_figures()[name]()) == []


# --- demos ---------------------------------------------------------------------------------------------


def test_demo_controls_are_labelled_and_previews_are_small():
    for make in ch08.DEMOS.values():
        demo = make()
        assert all(control.description for control in demo.controls.values())
        assert len(demo.frames()) <= 25


def test_convolution_caption():
    assert ch08.convolution_caption("box and box", "convolution", 0.0) == (
        "Box and box, convolution: g flipped and slid to t = 0; the shaded overlap has area 2.000.")


def test_kernel_caption():
    assert ch08.kernel_caption("digit", "identity").startswith(
        "The identity kernel on a test digit (8 x 8 pixels) copies the input; its output is 6 x 6")


def test_filters_caption_and_title_follow_the_run():
    run = ch08.train_cnn(0)
    assert ch08.filters_title(15).endswith(f"{run.history.metrics['val_accuracy'][-1]:.1%}")
    assert ch08.filters_caption(0).startswith("Before training")


# --- see what each layer sees ----------------------------------------------------------------------


def test_a_drawing_round_trips_and_bad_drawings_are_refused():
    for drawing in ch08.DRAWINGS.values():
        assert ch08.as_drawing(ch08.parse_drawing(drawing)) == drawing
    with pytest.raises(ValueError, match="8 rows of 8 characters"):
        ch08.parse_drawing("##/..")
    with pytest.raises(ValueError, match="digit must be one of"):
        ch08.network_input("test digit 11")


def test_the_presets_are_the_first_test_image_of_each_class_and_the_drawings():
    data = ch08.digit_images()
    presets = ch08.presets()
    assert len(presets) == 10 + len(ch08.DRAWINGS)
    for label in range(10):
        name = next(name for name in presets if name.startswith(f"test digit {label} "))
        index = presets[name][0]
        assert data.y_test[index] == label and not (data.y_test[:index] == label).any()


def test_layer_outputs_are_the_networks_own():
    x = ch08.network_input(ch08.default_digit())
    out = ch08.layer_outputs(x)
    network = ch08.train_cnn(0).network
    assert out["conv"].shape == (16, 8, 8) and out["pool"].shape == (16, 4, 4)
    assert out["probabilities"].sum() == pytest.approx(1.0)
    assert np.argmax(out["probabilities"]) == np.argmax(network.forward(x)[0])


def test_percent_bounds_what_rounding_would_hide():
    assert ch08.percent(0.99995) == "> 99.9%" and ch08.percent(0.00001) == "< 0.1%"
    assert ch08.percent(0.87) == "87%" and ch08.percent(0.995) == "99.5%"


def test_the_live_view_draws_on_the_grid_and_the_menu_puts_a_digit_back():
    widget = ch08.explainer_demo().widget()
    assert len(widget.toggles) == 64 and widget.panel in widget.children
    first = widget.output.value
    widget.toggles[0].value = not widget.toggles[0].value            # draw one pixel
    assert widget.drawing is not None and "drawing=" in html.unescape(widget.code_line.value)
    drawn_png = widget.output.value
    assert drawn_png != first
    fresh = ch08.ExplainerFigure.plot(drawing=widget.drawing)
    assert np.array_equal(pixels(drawn_png), full_render(fresh))
    widget.controls["digit"].value = "drawn 7"                        # the menu replaces the drawing
    assert widget.drawing is None and "digit='drawn 7'" in html.unescape(widget.code_line.value)
    on = [t.value for t in widget.toggles]
    assert "/".join("".join("#" if on[8 * r + c] else "." for c in range(8)) for r in range(8)) == ch08.DRAWINGS["drawn 7"]
    widget._clear(None)
    assert widget.drawing == "/".join(["." * 8] * 8) and not any(t.value for t in widget.toggles)


# --- checkers --------------------------------------------------------------------------------------------


def _shape(size):
    return lambda xs, f, k, p, s: (xs[0], f, size(xs[2], k, p, s), size(xs[3], k, p, s))


RIGHT_ANSWERS = {
    "output-shape": lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: (n + 2 * p - k) // s + 1)),
    "output-shape-library": lambda: ch08.check_output_shape(
        lambda xs, f, k, p, s: (xs[0], *conv.Conv2D(xs[1], f, k, stride=s, padding=p).output_shape(xs[1:]))),
    "conv-params": lambda: ch08.check_conv_params(73_856),
    "conv-backward": lambda: ch08.check_conv_backward([[3, 2], [7, 5]], [[1, 1, -2], [1, 6, -1], [-2, 2, 0]]),
    "edge-kernel-sobel": lambda: ch08.check_vertical_edge_kernel([[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
    "edge-kernel-other-sign": lambda: ch08.check_vertical_edge_kernel([[-1, 1, 0], [-1, 1, 0], [-1, 1, 0]]),
}

_B = checkers.BACKWARD_CASE
_DW, _DX = checkers.backward_answer()

WRONG_ANSWERS = {
    "shape-no-padding": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: (n - k) // s + 1)),
                         "left the padding out"),
    "shape-padding-once": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: (n + p - k) // s + 1)),
                           "both sides"),
    "shape-off-by-one": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: (n + 2 * p - k) // s)),
                         "off by one"),
    "shape-ceil": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1)),
                   "rounds up"),
    "shape-no-stride": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: n + 2 * p - k + 1)),
                        "left the stride out"),
    "shape-plus-one-inside": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: (n + 2 * p - k + 1) // s)),
                              "add 1 after dividing"),
    "shape-input-channels": (lambda: ch08.check_output_shape(
        lambda xs, f, k, p, s: (xs[0], xs[1], *checkers.right_shape(xs, f, k, p, s)[2:])), "one channel per filter"),
    "shape-no-batch": (lambda: ch08.check_output_shape(lambda xs, f, k, p, s: checkers.right_shape(xs, f, k, p, s)[1:]),
                       "four numbers"),
    "shape-swapped": (lambda: ch08.check_output_shape(
        lambda xs, f, k, p, s: (xs[0], f, *checkers.right_shape(xs, f, k, p, s)[:1:-1])), "swapped"),
    "shape-None": (lambda: ch08.check_output_shape(lambda xs, f, k, p, s: None), "return"),
    "shape-true-division": (lambda: ch08.check_output_shape(_shape(lambda n, k, p, s: (n + 2 * p - k) / s + 1)),
                            "floor"),
    "params-no-bias": (lambda: ch08.check_conv_params(73_728), "biases out"),
    "params-bias-per-input-channel": (lambda: ch08.check_conv_params(73_792), "not per input channel"),
    "params-kernel-not-squared": (lambda: ch08.check_conv_params(24_704), "k² = 9"),
    "params-no-input-channels": (lambda: ch08.check_conv_params(1_280), "ALL input channels"),
    "params-one-filter": (lambda: ch08.check_conv_params(640), "F filters"),
    "params-times-image": (lambda: ch08.check_conv_params(73_856 * 32 * 32), "image size"),
    "params-skeleton": (lambda: ch08.check_conv_params(...), "one number"),
    "backward-dW-flipped": (lambda: ch08.check_conv_backward(signal.convolve2d(_B["x"], _B["delta"], "valid"), _DX),
                            "WITHOUT flipping"),
    "backward-dW-transposed": (lambda: ch08.check_conv_backward(_DW.T, _DX), "dW[u, v] pairs"),
    "backward-dW-forward": (lambda: ch08.check_conv_backward(signal.correlate2d(_B["x"], _B["W"], "valid"), _DX),
                            "forward output"),
    "backward-dx-not-flipped": (lambda: ch08.check_conv_backward(
        _DW, signal.correlate2d(np.pad(_B["delta"], 1), _B["W"], "valid")), "turned 180°"),
    "backward-dx-transposed": (lambda: ch08.check_conv_backward(_DW, _DX.T), "window (i, j) covers"),
    "backward-dx-shape": (lambda: ch08.check_conv_backward(_DW, _DX[:2, :2]), "x's shape (3, 3)"),
    "backward-skeleton": (lambda: ch08.check_conv_backward(..., ...), "W's shape (2, 2)"),
    "backward-other": (lambda: ch08.check_conv_backward(_DW, _DX + 1), "the weights W for dx"),
    "kernel-flat": (lambda: ch08.check_vertical_edge_kernel(np.ones((3, 3))), "add up to 0"),
    "kernel-horizontal": (lambda: ch08.check_vertical_edge_kernel([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]),
                          "turn it a quarter"),
    "kernel-diagonal": (lambda: ch08.check_vertical_edge_kernel([[0, 1, 1], [-1, 0, 1], [-1, -1, 0]]),
                        "every ROW"),
    "kernel-horizontal-line": (lambda: ch08.check_vertical_edge_kernel([[1, 1, 1], [-2, -2, -2], [1, 1, 1]]),
                               "turn it a quarter"),
    "kernel-blind": (lambda: ch08.check_vertical_edge_kernel([[1, -2, 1], [-2, 4, -2], [1, -2, 1]]),
                     "left column and the right column"),
    "kernel-zero": (lambda: ch08.check_vertical_edge_kernel(np.zeros((3, 3))), "all-zero"),
    "kernel-shape": (lambda: ch08.check_vertical_edge_kernel(np.ones((2, 2))), "3x3 array"),
}


# The tables are swept by tests/unit/test_checks.py (ticks, diagnoses, distinct messages).


def test_every_shape_mistake_differs_from_the_right_answer_and_from_the_others():
    answers = [tuple(m(*case) for case in checkers.SHAPE_CASES) for m, _ in checkers.SHAPE_MISTAKES]
    right = tuple(checkers.right_shape(*case) for case in checkers.SHAPE_CASES)
    assert right not in answers and len(set(answers)) == len(answers)


def test_the_backward_answer_is_the_libraries_and_scipys():
    np.testing.assert_allclose(_DW, signal.correlate2d(_B["x"], _B["delta"], "valid"))
    np.testing.assert_allclose(_DX, signal.convolve2d(_B["delta"], _B["W"]))


def test_the_backward_mistakes_are_distinct_from_the_answer():
    for name, mistakes in checkers._backward_mistakes().items():
        right = _DW if name == "dW" else _DX
        assert all(not np.allclose(wrong, right) for wrong, _ in mistakes)


def test_output_shape_checker_rejects_a_non_callable():
    with pytest.raises(TypeError, match="without calling it"):
        ch08.check_output_shape((8, 16, 32, 32))
