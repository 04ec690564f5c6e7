"""Where tests record how long the slow steps took, for the report at the end of `make test`."""

import pytest

#: config.stash[STEP_SECONDS] = {"step name": seconds}
STEP_SECONDS = pytest.StashKey[dict]()
#: config.stash[NOTES] = ["a line for the report", ...]: measurements that are not seconds
NOTES = pytest.StashKey[list]()
