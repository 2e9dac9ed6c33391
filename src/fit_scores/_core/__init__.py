"""Private numpy kernels shared by the single-record and the batch APIs.

Nothing here validates user input or raises user-facing errors; the public
modules do that and call these kernels on arrays.
"""
