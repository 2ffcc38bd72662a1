"""Summaries of a corpus's cleaning log, for audits and notebooks."""
from __future__ import annotations

import pandas as pd

from govlab.corpus.clean import RULE_TERMS


def removed_by_rule(log: pd.DataFrame, *, by_doc: bool = False) -> pd.DataFrame:
    """Blocks and raw characters removed or replaced, per rule (and per document).

    Parameters
    ----------
    log : pandas.DataFrame
        A cleaning log (``Corpus.log`` or ``CleanResult.log``).
    by_doc : bool
        Also group by ``doc_id``.

    Returns
    -------
    pandas.DataFrame
        Columns ``[doc_id,] step, rule, term, blocks, removed_chars, replaced_blocks``: ``term`` is the
        glossary term of the kind of noise (for ``govlab.label``), ``removed_chars`` the raw characters
        the rule dropped (``dropped_chars``: each raw character is counted once, by the rule that
        dropped it), ``replaced_blocks`` the blocks replaced by something shorter (a
        tag by a line break, an escape by its character). Sorted by removed characters, largest first.

    Examples
    --------
    >>> from govlab.corpus import clean_text
    >>> removed_by_rule(clean_text("返回顶部\\n委员工作站").log)[["rule", "blocks", "removed_chars"]].values.tolist()
    [['page_tools', 1, 5], ['final_newline', 1, 0]]
    """
    keys = (["doc_id"] if by_doc else []) + ["step", "rule"]
    if log.empty:
        return pd.DataFrame(columns=keys + ["term", "blocks", "removed_chars", "replaced_blocks"])
    df = log.assign(removed=log["dropped_chars"], replaced=(log["replaced_by"] > 0).astype("int64"))
    out = df.groupby(keys, sort=True).agg(blocks=("length", "size"), removed_chars=("removed", "sum"),
                                          replaced_blocks=("replaced", "sum")).reset_index()
    out.insert(len(keys), "term", out["rule"].map(RULE_TERMS).fillna(out["rule"]))
    return out.sort_values(["removed_chars", "blocks"] + keys, ascending=[False, False] + [True] * len(keys),
                           kind="stable").reset_index(drop=True)
