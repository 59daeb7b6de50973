"""Neural-network layers (torch/e3nn): import only from ML code paths."""
