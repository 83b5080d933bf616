#!/usr/bin/env python3
"""Runs every tests/api/test_*.py against the binary in LINTAS_BUILD and
prints one summary line: 'api: N passed, N failed'. Exit 1 on any failure."""
import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
suite = unittest.defaultTestLoader.discover(here, pattern=pattern, top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors)
print("api: %d passed, %d failed" % (result.testsRun - failed, failed))
sys.exit(1 if failed or result.testsRun == 0 else 0)
