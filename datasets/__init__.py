"""govlab's shipped data. The wheel installs this folder as the package ``govlab.data``.

Load it through :mod:`govlab.datasets`, which finds it with :func:`importlib.resources.files`.
"""
