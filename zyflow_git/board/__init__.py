"""``zyflow-git board``: a local web page for tasks, claims and history (Starlette, uvicorn;
imported only by that command). ``app`` serves, ``html`` renders, ``static`` holds the one
small script (live updates) and the style sheet."""
