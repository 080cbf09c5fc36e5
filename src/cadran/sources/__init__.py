"""Adapters that bring data into a workspace: platform exports, connectors and the demo generator.

Nothing here touches the store: a source yields Arrow tables shaped like the canonical data model
and the caller (``cadran.services``) writes them.
"""
