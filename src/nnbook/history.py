"""Milestones of neural-network research, as data the timeline figure is drawn from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Milestone:
    """One event: the year, a short label, one sentence, its era and a citation key."""

    year: int
    label: str
    detail: str
    era: str  # "early", "winter", "revival" or "deep"
    cite: str = ""


MILESTONES = (
    Milestone(1943, "McCulloch-Pitts neuron", "A threshold unit: fire when the weighted inputs pass a threshold.", "early", "mcculloch1943"),
    Milestone(1958, "Perceptron", "Rosenblatt's rule learns the weights from labelled examples.", "early", "rosenblatt1958"),
    Milestone(1969, "Perceptrons (the book)", "Minsky and Papert: one layer is linear and cannot compute XOR.", "winter", "minsky1969"),
    Milestone(1986, "Backpropagation", "Rumelhart, Hinton and Williams train multi-layer nets with sigmoid units.", "revival", "rumelhart1986"),
    Milestone(1989, "Universal approximation", "One hidden layer can approximate any continuous function (Cybenko; Hornik 1991).", "revival", "cybenko1989"),
    Milestone(1989, "LeNet", "LeCun's convolutional network reads handwritten digits.", "revival", "lecun1989"),
    Milestone(1991, "Vanishing gradients", "Hochreiter: gradients shrink layer by layer through saturating units.", "revival", "hochreiter1991"),
    Milestone(2012, "AlexNet", "Wins ImageNet with a top-5 error near 15.3%, far ahead of the runner-up.", "deep", "krizhevsky2012"),
    Milestone(2014, "VGGNet, GoogLeNet", "Deeper nets of small kernels: top-5 errors of about 7.3% and 6.7%.", "deep", "simonyan2014"),
    Milestone(2015, "ResNet", "152 layers with residual connections: top-5 error about 3.6%.", "deep", "he2016resnet"),
)

#: ImageNet (ILSVRC) top-5 error, in percent, of the winning architectures above.
IMAGENET_TOP5_ERROR = {"AlexNet (2012)": 15.3, "VGG (2014)": 7.3, "GoogLeNet (2014)": 6.7, "ResNet (2015)": 3.6}

#: The often-quoted top-5 error of a human annotator on the same task, in percent.
HUMAN_TOP5_ERROR = 5.0
