"""Pure computations on DataFrames: no Streamlit, no database."""
