"""Private numpy kernels shared by the single-record and the batch APIs.

Nothing here reads containers or raises user-facing errors; the public
modules do that and call these kernels on arrays. The validation rules
themselves live here once, in :mod:`fit_scores._core.rules`, on typed
columns: they log every problem in an error log instead of raising.
"""
