"""A footer that rebuilds its keys only when what it would show changes.

Textual's :class:`~textual.widgets.Footer` recomposes (removes and mounts a
dozen keys, each restyled against the whole stylesheet) every time the screen
publishes a bindings update: each focus move and each ``refresh_bindings``.
Opening the workshop published three such updates with the same keys.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A :class:`Footer` that skips a rebuild which would show the same keys."""

    _shown: tuple[Any, ...] | None = None

    def _signature(self) -> tuple[Any, ...]:
        """What compose would show: each key shown, enabled or not, and its tooltip."""
        if not self._bindings_ready:
            return ()
        keys = tuple(
            (
                binding.key,
                binding.key_display,
                binding.action,
                binding.description,
                binding.group,
                enabled,
                tooltip,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.compact, self.show_command_palette, self.combine_groups)

    def compose(self) -> ComposeResult:
        self._shown = self._signature()
        yield from super().compose()

    async def recompose(self) -> None:
        if self._shown is not None and self.is_attached and self._signature() == self._shown:
            return
        await super().recompose()
