"""Reports: documents made from a scorecard and its results (strategy map, ...).

An adapter layer: it reads :mod:`cadran.core` models and writes text (SVG, Mermaid, Graphviz);
it knows nothing of the store, the sources or the terminal.
"""
