"""markets stage: prices and their repairs, event studies (MacKinlay 1997), index betas, scenarios with impacts.

Pure cores: ``prices`` (cleaning, returns, alignment), ``event_study``,
``betas``, ``scenarios`` (probabilities), ``impacts`` (analogue impacts),
``exposures`` (the exposure map). Edges: ``loading`` (files ↔ store),
``event_sets`` (event dates from the store), ``runs`` (store → results),
``plots`` (matplotlib files).
"""
