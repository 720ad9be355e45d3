"""The training engine: numpy and the standard library only (no Qt, so it runs and tests headless)."""

from . import optimizers, schedules
from .activations import ACTIVATIONS, Activation, get_activation
from .features import FEATURES, Feature, FeatureMap, feature_keys
from .history import DecimatingSeries
from .losses import LOSSES, cross_entropy, get_loss, mse, softmax
from .network import ForwardPass, Network, ParameterVector
from .optimizers import OPTIMIZERS, SGD, Adam, make_optimizer
from .schedules import SCHEDULES, make_schedule
from .settings import Metrics, TrainingSettings
from .stacked import SeedResult, StackedTrainer
from .stacked_network import StackedNetwork
from .trainer import Trainer

__all__ = [
    "ACTIVATIONS", "Activation", "Adam", "DecimatingSeries", "FEATURES", "Feature", "FeatureMap", "ForwardPass",
    "LOSSES", "Metrics", "Network", "OPTIMIZERS", "ParameterVector", "SCHEDULES", "SGD", "SeedResult",
    "StackedNetwork", "StackedTrainer", "Trainer", "TrainingSettings", "cross_entropy", "feature_keys",
    "get_activation", "get_loss", "make_optimizer", "make_schedule", "mse", "optimizers", "schedules",
    "softmax",
]
