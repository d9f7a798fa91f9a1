"""markets stage: prices and their repairs, event studies (MacKinlay 1997), index betas, scenarios with impacts.

Pure cores: ``prices`` (cleaning, returns, alignment), ``event_study``,
``betas``, ``spikes`` (excess returns on index spike days), ``scenarios``
(probabilities), ``impacts`` (analogue impacts), ``exposures`` (the exposure
map), ``quality`` (bad prints), ``derived`` (baskets, spreads, moves).
Edges: ``loading`` (files ↔ store), ``extra`` (a directory by manifest),
``replay`` (scenarios day by day as the news arrived),
``event_sets`` (event dates from the store), ``runs`` (store → results),
``plots`` (matplotlib files).
"""
