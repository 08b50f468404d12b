"""The size over which a file is no task list here: the merge driver leaves it to git's line
merge, and the store and the history walk skip it (a module of its own, so that the hooks
need not import the merge driver to know it)."""

SIZE_LIMIT = 8 * 1024 * 1024
