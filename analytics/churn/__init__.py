"""Churn early warning: definition, features, model, scores mart and command line.

``definition`` (what churn is), ``features`` (what the model sees, never past the cut-off),
``model`` (calibrated gradient boosting vs logistic regression vs a rule), ``metrics``,
``reasons`` (plain words, English and Chinese), ``data`` (the only SQL), ``jobs`` (train, score,
backtest), ``tabular`` (evaluate any labelled CSV), ``cli``. See docs/churn.md.
"""
