"""One BLAS thread per process: set before numpy loads (the CLI does, and the worker's spawn does).

Multi-threaded BLAS gains nothing on these tiny matrices, and its idle threads spin on the
core the other process needs: with it on, training with the window open ran at half speed
(`playground bench --ui`: 5.3k against 10.5k steps/s with one thread).
"""

SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
