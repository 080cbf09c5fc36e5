"""Text analytics: language, sentiment, readability, content quality and community-care cues.

An adapter layer: it may read the model files shipped in the package, but never the database
(services decide what to score and store the results).
"""
