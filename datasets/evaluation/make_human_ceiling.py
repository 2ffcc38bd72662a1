"""Make the human-ceiling tables of datasets/evaluation/ (session 7).

Usage (from the repository root; the fresh set's texts are not shipped, see evaluation/README.md):

    python datasets/evaluation/make_human_ceiling.py FRESH_DIR [FRESH8_DIR]

Writes scores_second_annotator.csv (development set), fresh/scores_second_annotator.csv,
fresh/scores_third_annotator.csv (the 12 even-numbered texts), with FRESH8_DIR (the fresh8 texts,
raw/*.txt) fresh8/scores_second_annotator.csv, fresh8/scores_against_second.csv and
fresh8/agreement_exact.csv, and human_ceiling.csv. Run it after datasets/evaluation/scores_after.csv,
fresh/scores_after.csv and fresh8/scores_after.csv are regenerated.
"""
import os
import sys

import pandas as pd

from govlab.evaluate import evaluate, human_ceiling, pairwise_agreement, read_goals, read_gold, read_split
from govlab.io import write_csv

FRESH = sys.argv[1]
E = 'datasets/evaluation/'
goals = read_goals()
rows = []
# development set: the blind second annotator against the first gold
DEVSET = os.environ.get('GOVLAB_DEVSET_DIR', '../shared/devset')
dev = read_gold(DEVSET)
sec = read_gold(DEVSET, codes_file=E + 'second_annotation_codes.csv', figures_file=E + 'second_annotation_figures.csv')
sm = read_split()
ann = evaluate(dev, split='each', split_map=sm, annotation=sec).scores
write_csv(ann, E + 'scores_second_annotator.csv')
sysd = pd.read_csv(E + 'scores_after.csv', dtype={'score': str})
for part in ('heldout', 'tune'):
    n = sum(1 for p in sm.values() if p == part)
    rows.append(human_ceiling(goals, ann, sysd, part=part).assign(set='devset', part=part, texts=n, annotator_name='second (blind)'))
# fresh set: the second annotator (24 texts) and the independent third annotator (12 texts)
fs = read_split(E + 'fresh/split.csv')
g = read_gold(FRESH)
sec = read_gold(FRESH, codes_file=E + 'fresh/second_annotation_codes.csv', figures_file=E + 'fresh/second_annotation_figures.csv')
ann = evaluate(g, split='heldout', split_map=fs, annotation=sec).scores
write_csv(ann, E + 'fresh/scores_second_annotator.csv')
sysf = pd.read_csv(E + 'fresh/scores_after.csv', dtype={'score': str})
rows.append(human_ceiling(goals, ann, sysf).assign(set='fresh', part='heldout', texts=len(fs), annotator_name='second (saw no govlab output)'))
third = sorted(set(pd.read_csv(E + 'fresh/third_annotation_codes.csv').file) | set(pd.read_csv(E + 'fresh/third_annotation_figures.csv').file))
g3 = read_gold(FRESH, files=third)
th = read_gold(FRESH, files=third, codes_file=E + 'fresh/third_annotation_codes.csv', figures_file=E + 'fresh/third_annotation_figures.csv')
sub = {d: 'heldout' for d in g3.texts}
ann = evaluate(g3, split='heldout', split_map=sub, annotation=th).scores
write_csv(ann, E + 'fresh/scores_third_annotator.csv')
sys3 = evaluate(g3, split='heldout', split_map=sub).scores
rows.append(human_ceiling(goals, ann, sys3).assign(set='fresh (12 even texts)', part='heldout', texts=len(third), annotator_name='third (independent)'))
# fresh8: an independent second annotator of all 36 texts (session 7), when its tables and texts are there
if len(sys.argv) > 2 and os.path.exists(E + 'fresh8/second_annotation_codes.csv'):
    F8 = sys.argv[2]
    f8 = read_split(E + 'fresh8/split.csv')
    g = read_gold(F8, codes_file=E + 'fresh8/gold_codes.csv', figures_file=E + 'fresh8/gold_figures.csv')
    sec = read_gold(F8, codes_file=E + 'fresh8/second_annotation_codes.csv',
                    figures_file=E + 'fresh8/second_annotation_figures.csv')
    ann = evaluate(g, split='heldout', split_map=f8, annotation=sec).scores
    write_csv(ann, E + 'fresh8/scores_second_annotator.csv')
    sys8 = pd.read_csv(E + 'fresh8/scores_after.csv', dtype={'score': str})
    rows.append(human_ceiling(goals, ann, sys8).assign(set='fresh8', part='heldout', texts=len(f8),
                                                       annotator_name='second (independent)'))
    # govlab against the second annotator's gold: is it closer to one reader than to the other?
    write_csv(evaluate(sec, split='heldout', split_map=f8).scores, E + 'fresh8/scores_against_second.csv')
    codes = {'first': pd.read_csv(E + 'fresh8/gold_codes.csv', dtype=str, keep_default_na=False),
             'second': pd.read_csv(E + 'fresh8/second_annotation_codes.csv', dtype=str, keep_default_na=False)}
    figs = {'first': pd.read_csv(E + 'fresh8/gold_figures.csv', dtype=str, keep_default_na=False),
            'second': pd.read_csv(E + 'fresh8/second_annotation_figures.csv', dtype=str, keep_default_na=False)}
    write_csv(pairwise_agreement(codes, figs), E + 'fresh8/agreement_exact.csv')
out = pd.concat(rows, ignore_index=True)
out = out[['set', 'part', 'texts', 'annotator_name', 'group', 'category', 'metric', 'goal', 'annotator', 'govlab', 'above_ceiling']]
write_csv(out.rename(columns={'annotator_name': 'annotator', 'annotator': 'annotator_score', 'govlab': 'govlab_score'}), E + 'human_ceiling.csv')
print(out.to_string(index=False))
