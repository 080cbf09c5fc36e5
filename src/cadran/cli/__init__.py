"""The ``cadran`` command line."""
