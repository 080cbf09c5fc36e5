"""The scorecard checker's rules, by family; :mod:`cadran.core.checker` runs them in order."""
