"""Models: page models; each loads what its view shows from the store and derives it through spbe.core."""
