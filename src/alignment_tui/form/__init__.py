"""The shared form layer: every step's form is built from these pieces.

* :mod:`.fields` — bound fields (read from the session, parse, save, one
  reason line when refused; saved within a second of typing).
* :mod:`.labelled` — a field's label: above it, or drawn on its top edge.
* :mod:`.oneline` — what the focus does to a one-line field's text (a stand-in,
  empty or a zero, is selected so typing replaces it; any other text is not),
  and a text cut away from the focus reads from its start, ending in "…".
* :mod:`.tick` — the one tick box: its mark is drawn only when ticked.
* :mod:`.refusal` — the one way to show a refused value or a refused verb.
* :mod:`.removal` — the one way to confirm a removal.
* :mod:`.records` — a record list beside one editor, for records of many fields.
* :mod:`.lines` — compact lines, for records of one text each.
* :mod:`.choice` — a value among a few, cycled in place.
* :mod:`.section` — titled parts of a form the facilitator jumps between.
* :mod:`.confirm` — the yes/no dialog the removal and the app's questions use.

Focus (which field has it when a step is shown) is decided by ``StepPane``
from these pieces: the field last used in the step, else its first field.
"""
