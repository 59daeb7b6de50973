"""Readers and writers: structures (ASE/pymatgen → Cell), trajectories and HDF5 (H5MD, pairs), atomic file writes."""
