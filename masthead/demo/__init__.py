"""Demo content and the bulk generator: ``masthead demo`` and ``masthead generate``.

Every word and picture is produced here from a fixed seed, so two runs write
the same site and no text or image is copied from anywhere. The app sits on
top of the domain apps it fills; nothing else in Masthead imports it, and its
modules load only when one of its commands runs (#12).
"""
