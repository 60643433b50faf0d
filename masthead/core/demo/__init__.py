"""Generated demo content for a fresh installation (``masthead demo``).

Every word and picture is produced here from a fixed seed, so two runs write
the same site and no text or image is copied from anywhere.
"""
