"""Experiments kept with their evidence, not used by govlab's pipeline.

Each module here was tried as a replacement for a part of the text mining, judged by
cross-validation grouped by document on annotated real texts, and *not* adopted; it stays so the
result can be reproduced and built on (the numbers are in ``datasets/evaluation/``):

* :mod:`govlab.experiments.learned_counted`: a logistic regression that chooses a figure's counted
  noun among candidate spans (``counted_cv.csv``); on texts the rules were not tuned on it does not
  beat them robustly.
* :mod:`govlab.experiments.learned_spans`: a learned span classifier for platform, problem and actor
  codes (``code_spans_cv.csv``, ``code_spans_heldout.csv``); it adds recall on new texts at a cost in
  code precision.

Nothing in :mod:`govlab.coding` imports these modules; they sit downstream of
:mod:`govlab.evaluate`, whose gold reading and scoring they reuse.
"""
