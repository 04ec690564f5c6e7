"""Chapter 8: the classic architectures, counted by ``nnbook.conv.param_count`` from their layer
specifications, with the ImageNet top-5 errors chapter 0 quotes."""

import textwrap

from nnbook.book.ch00_introduction import IMAGENET_TOP5_ERROR
from nnbook.conv import ARCHITECTURES, ConvSpec, DenseSpec, param_count

#: The rows of the table: (network, its entry in ``conv.ARCHITECTURES``, year, depth in weight
#: layers along the longest path as its paper counts it, the key of its ILSVRC top-5 error in
#: chapter 0, or None).
TABLE = (
    ("LeNet-5", "LeNet-5", 1998, 5, None),
    ("AlexNet", "AlexNet", 2012, 8, "AlexNet (2012)"),
    ("VGG16", "VGG16", 2014, 16, "VGG (2014, 2nd)"),
    ("GoogLeNet", "GoogLeNet", 2014, 22, "GoogLeNet (2014)"),
    ("ResNet-18", "ResNet-18", 2015, 18, "ResNet (2015)"),
    ("ResNet-50", "ResNet-50", 2015, 50, "ResNet (2015)"),
)


def longest_path(name):
    """The depth of an architecture counted from its specifications: every convolution and
    dense layer on the longest path from input to output.

    Plain stacks (LeNet-5, AlexNet, VGG16): all of them. GoogLeNet: the 3 convolutions of its
    stem, 2 per inception block (a 1x1 reduction, then a 3x3: no branch is deeper), and the
    classifier. ResNets: every convolution but the 1x1 shortcut projections, and the classifier."""
    layers = ARCHITECTURES[name].layers
    weighted = [spec for spec in layers if isinstance(spec, (ConvSpec, DenseSpec))]
    if name.startswith("GoogLeNet"):
        # 3x3 convolutions: one in the stem, two per block (torchvision's "5x5" branch is 3x3 too)
        blocks = (sum(1 for spec in layers if isinstance(spec, ConvSpec) and spec.kernel_size == 3) - 1) // 2
        return 3 + 2 * blocks + 1
    if name.startswith("ResNet"):
        projections = sum(1 for a, b in zip(weighted, weighted[1:])
                          if isinstance(a, ConvSpec) and isinstance(b, ConvSpec) and b.kernel_size == 1
                          and b.in_channels != a.out_channels)
        return len(weighted) - projections
    return len(weighted)


def conv_share(name):
    """The share of an architecture's parameters in its convolutions (the rest: dense layers
    and batch norm)."""
    layers = ARCHITECTURES[name].layers
    return param_count([spec for spec in layers if isinstance(spec, ConvSpec)]) / param_count(layers)


def architecture_rows():
    """[(network, year, depth, parameters, share in convolutions, top-5 error % or None), ...]."""
    return [(label, year, depth, ARCHITECTURES[key].n_params, conv_share(key),
             IMAGENET_TOP5_ERROR[error] if error else None)
            for label, key, year, depth, error in TABLE]


#: What each team's ILSVRC entry was (the top-5 errors of the table are the entries', not the
#: counted networks'): Krizhevsky et al. (2012), Simonyan & Zisserman (2015, table 7), Szegedy
#: et al. (2015, table 2), He et al. (2016, section 4.1).
ENTRIES = (
    "AlexNet: 5 networks trained on the challenge's images only (with 2 more, pre-trained on "
    "extra images: 15.3%)",
    "VGG: 7 networks, second place (GoogLeNet won)",
    "GoogLeNet: 7 versions of the same network (one of them wider)",
    "ResNet: 6 networks of different depths, two of them with 152 layers; the ResNet-18 and "
    "ResNet-50 rows repeat that entry's error",
)


def architecture_table():
    """The table as text, one row per network, and under it what each top-5 error belongs to."""
    lines = [f"{'network':10s} {'year':>4s} {'depth':>5s} {'parameters':>12s} {'in conv':>8s} {'top-5 error*':>13s}"]
    for label, year, depth, params, share, error in architecture_rows():
        shown = f"{error:g}%" if error is not None else "(no ImageNet)"
        lines.append(f"{label:10s} {year:4d} {depth:5d} {params:12,d} {share:8.0%} {shown:>13s}")
    lines.append("* of the team's entry in the challenge, an ensemble, not of the one network counted:")
    lines += [textwrap.fill(entry, 92, initial_indent="  - ", subsequent_indent="    ") for entry in ENTRIES]
    return "\n".join(lines)
